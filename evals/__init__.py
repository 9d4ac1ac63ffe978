"""Evaluations over labelled data (`make eval` = `python -m evals.evaluate`): kept beside bench/, outside the product package."""
