"""Video and images on disk: reading, writing, clip extraction and scene cuts.

Uses only the foundation modules; knows nothing of stores, runs or training.
"""
