"""Benchmarks: `make bench` (bench/run.py) and the older single-figure scripts; never run as tests."""
