"""The gate's own errors. Foreign exceptions are translated into these at each seam.

GatesError                  anything the CLI reports and exits 2 on
├── ConfigError             the gate's configuration or command line is wrong
├── ReportError             a scanner's report cannot be read (bad bytes, no JSON,
│                           an unknown layout, counts that do not add up)
└── OutputError             a report could not be written (disk full, permissions)
"""

from __future__ import annotations


class GatesError(Exception):
    """Base of every error the gate reports itself."""


class ConfigError(GatesError):
    """The configuration or the command line asks for something the gate cannot do."""


class ReportError(GatesError):
    """A scanner's output is not a report the gate can read."""


class OutputError(GatesError):
    """A report could not be written."""
