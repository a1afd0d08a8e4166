"""`findings.json`: the machine-readable result, validated against the published schema."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, ClassVar

import jsonschema

from gates.errors import OutputError
from gates.model import GateResult
from gates.reports.interface import ReportRenderer


@functools.cache
def findings_schema() -> dict[str, Any]:
    """The JSON Schema of `findings.json` (`gates/schemas/findings.schema.json`)."""
    text = resources.files("gates").joinpath("schemas/findings.schema.json").read_text("utf-8")
    return json.loads(text)


class FindingsJsonReport(ReportRenderer):
    """Renders the whole `GateResult` as JSON (see `ReportRenderer`)."""

    filename: ClassVar[str] = "findings.json"

    def render(self, result: GateResult) -> str:
        document = result.to_dict()
        # Our own output is checked like a scanner's: a report that breaks the schema is
        # an error, not something a later pipeline stage should guess at.
        try:
            jsonschema.validate(document, findings_schema())
        except jsonschema.ValidationError as error:
            where = "/".join(str(p) for p in error.absolute_path)
            raise OutputError(
                f"findings.json would not match its schema at {where}: {error.message}"
            ) from error
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
