"""Training and inference: the trainer, its update schedule, checkpoints, sample grids,
generation from a trained run, and metric evaluation.
"""
