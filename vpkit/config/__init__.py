"""Run files: the schema, YAML with line numbers, ``--set`` overrides and errors located in the file.

Uses only the foundation modules (components, plugins, errors).
"""
