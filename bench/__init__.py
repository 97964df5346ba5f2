"""Benchmarks: a synthetic corpus generator and the harness that measures builds and endpoints."""
