"""The model's standard library: pure-Python versions of Go packages, one module per package
(``fmt``, ``strconv``), exact to the real toolchain's output, for the code generator to call."""
