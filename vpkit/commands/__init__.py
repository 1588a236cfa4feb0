"""The ``vpkit`` command line (:mod:`vpkit.commands.cli`) and each command's backend."""
