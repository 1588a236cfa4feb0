"""The embedded default source: procedurally rendered basketball-like clips, no network."""

from vpkit import hookimpl
from vpkit_synthetic.source import SyntheticSource


@hookimpl
def register_sources(register):
    register(SyntheticSource)
