"""vpkit plugin: bouncing digits clips (a source) and the motion gap (a metric)."""

from vpkit import hookimpl
from vpkit_bouncing_digits.metric import MotionGap
from vpkit_bouncing_digits.source import BouncingDigits

__version__ = "0.1.0"


@hookimpl
def register_sources(register):
    register(BouncingDigits)


@hookimpl
def register_metrics(register):
    register(MotionGap)
