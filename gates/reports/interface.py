"""The contract every report format fulfils: turn a `GateResult` into text.

Renderers return strings; the CLI decides where they go and writes them atomically.
Every renderer treats finding text as hostile: it comes from the scanned repository.
"""

from __future__ import annotations

import abc
from typing import ClassVar

from gates.model import GateResult


class ReportRenderer(abc.ABC):
    """Base of the report family: one subclass per output format."""

    #: The file the CLI writes the rendering to, inside the output folder.
    filename: ClassVar[str]

    @abc.abstractmethod
    def render(self, result: GateResult) -> str:
        """The whole report for `result`, as text."""
