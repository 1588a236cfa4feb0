"""A vpkit plugin: one hook implementation per kind of component it provides."""

from vpkit import hookimpl
from vpkit_myplugin.generator import MyGenerator
from vpkit_myplugin.metric import MyMetric
from vpkit_myplugin.source import MySource

__version__ = "0.1.0"


@hookimpl
def register_sources(register):
    register(MySource)


@hookimpl
def register_generators(register):
    register(MyGenerator)


@hookimpl
def register_metrics(register):
    register(MyMetric)
