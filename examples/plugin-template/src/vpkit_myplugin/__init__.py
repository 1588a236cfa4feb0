"""A vpkit plugin: one hook implementation per kind of component it provides.

Each hook imports its module when it is called, so that loading the plugin (which
``vpkit --help`` and every other command do) imports nothing heavy such as torch.
"""

from vpkit import hookimpl

__version__ = "0.1.0"


@hookimpl
def register_sources(register):
    from vpkit_myplugin.source import MySource

    register(MySource)


@hookimpl
def register_generators(register):
    from vpkit_myplugin.generator import MyGenerator

    register(MyGenerator)


@hookimpl
def register_metrics(register):
    from vpkit_myplugin.metric import MyMetric

    register(MyMetric)
