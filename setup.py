"""The optional C accelerator gomem._speedups (see src/gomem/speedups.py); metadata is in pyproject.toml.

``optional=True``: where no C compiler is at hand the install goes on without it and gomem runs its
pure-Python code (the same results, slower)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("gomem._speedups", ["src/gomem/_speedups.c"], optional=True)])
