"""Statements of reasons (EU DSA Art. 17): the measure kinds, the statement built from a measure and
its pack, its zh/en text, and its Transparency Database form. Pure: no storage, no clock."""
