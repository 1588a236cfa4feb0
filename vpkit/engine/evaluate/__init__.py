"""Evaluation: the evaluator, its protocol (context frames, K samples, scored frames), best-of-K,
mean-of-K and diversity, the baselines beside every number, intervals, cached real-side
statistics and the pictures of ``eval/``."""
