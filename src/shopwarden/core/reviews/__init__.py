"""Reviews (RULES.md §2, DY-LQ-1): malicious-review signals and low-positive-rate products. Pure."""
