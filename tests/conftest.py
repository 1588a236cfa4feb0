"""The suite's fixtures, one module per topic in tests/fixtures/: run files, throwaway plugins,
real video files, a full disk, the network (no internet, a real HTTP server on 127.0.0.1) and
metric weights."""

pytest_plugins = [
    "fixtures.run_files",
    "fixtures.plugins",
    "fixtures.media",
    "fixtures.disk",
    "fixtures.network",
    "fixtures.weights",
]
