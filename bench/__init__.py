"""Benchmarks: speed and memory goals are measured here, not in timed tests."""
