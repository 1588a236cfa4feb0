"""vpkit plugin: bouncing digits clips (a source), the motion gap (a metric) and a Markdown
report of a run (a logger).

Each hook imports its module when it is called, so that loading the plugin (which
``vpkit --help`` and every other command do) imports nothing heavy.
"""

from vpkit import hookimpl

__version__ = "0.1.0"


@hookimpl
def register_sources(register):
    from vpkit_bouncing_digits.source import BouncingDigits

    register(BouncingDigits)


@hookimpl
def register_metrics(register):
    from vpkit_bouncing_digits.metric import MotionGap

    register(MotionGap)


@hookimpl
def register_loggers(register):
    from vpkit_bouncing_digits.report import MarkdownReport

    register(MarkdownReport)
