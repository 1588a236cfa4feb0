"""The clip store and everything that fills or feeds it: store preparation from a run's source,
the ``VideoSource`` base, batch feeding, and cached downloads.
"""
