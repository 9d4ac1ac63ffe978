"""Benchmarks for shopwarden: `make bench` (= `python -m bench.run`) writes bench/RESULTS.md."""
