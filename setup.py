"""The optional C accelerator gomem.runtime._speedups (see src/gomem/runtime/speedups.py); metadata is in pyproject.toml.

``optional=True``: where no C compiler is at hand the install goes on without it and gomem runs its
pure-Python code (the same results, slower)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("gomem.runtime._speedups", ["src/gomem/runtime/_speedups.c"], optional=True)])
