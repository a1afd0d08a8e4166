"""gates: a release security gate for Python web services."""

__version__ = "0.1.0"
