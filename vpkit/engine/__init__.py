"""Training (``train/``), evaluation (``evaluate/``), and what both share: checkpoints,
generation from a trained run, process groups and ranks, precision and memory format.
"""
