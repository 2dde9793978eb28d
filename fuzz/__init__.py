"""Fuzzing of the loader and the differ: ``python -m fuzz.run --seconds 60``."""
