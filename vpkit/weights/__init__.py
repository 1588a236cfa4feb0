"""Pretrained weights for metrics: fetched once, pinned by SHA-256, read safely, cached."""
