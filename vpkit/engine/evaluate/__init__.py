"""Evaluation: the evaluator, the baselines beside every number, intervals and cached real-side statistics."""
