"""Training: the trainer, its update schedule, objectives, checkpoints written, resume, console and loggers."""
