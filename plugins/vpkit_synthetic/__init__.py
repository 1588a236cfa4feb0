"""The embedded default source: procedurally rendered basketball-like clips, no network.

The hook registers a declaration; the renderer (numpy) is imported when a run draws clips.
"""

from vpkit import hookimpl


@hookimpl
def register_sources(register):
    from vpkit_synthetic.declarations import SyntheticSourceDeclaration

    register(SyntheticSourceDeclaration)
