"""Benchmarks (scripts, not tests); run them with `make bench`."""
