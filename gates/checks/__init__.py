"""Checks of the gate's own, for flaws no external scanner expresses.

Each runs as a separate process (`python -m gates.checks.NAME`) and prints a JSON
report, so it goes through the same runner, timeouts and readers as any scanner.
"""
