"""Benchmarks of what the UI calls, on a demo database of real size (`python -m bench`)."""
