"""A vpkit plugin: one hook implementation per kind of component it provides."""

from vpkit import hookimpl
from vpkit_myplugin.generator import MyGenerator

__version__ = "0.1.0"


@hookimpl
def register_generators(register):
    register(MyGenerator)
