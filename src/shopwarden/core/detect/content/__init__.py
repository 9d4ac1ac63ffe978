"""Detectors of creators' content (CR-6): claims, efficacy, relevance and the pack's term lists."""
