"""Clips only: the clip store, its preparation from a run's source, the VideoSource base, batch feeding."""
