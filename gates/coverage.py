"""Reading the target's test coverage from a Cobertura XML or coverage.py JSON report.

The gate never runs the target's tests: it reads the report the target's own pipeline
produced. XML is parsed with defusedxml, since the report comes from the scanned
repository and is not trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from gates.model import Coverage

CANDIDATES = ("coverage.xml", "coverage.json", "reports/coverage.xml", "reports/coverage.json")


def read_coverage(target: Path, report: str = "") -> Coverage:
    """The measured line coverage, or a `Coverage` whose message says why there is none."""
    candidates = (report,) if report else CANDIDATES
    for name in candidates:
        path = target / name
        if path.is_file():
            return _read(path, name)
    looked = ", ".join(candidates)
    return Coverage(
        percent=None, report=None, message=f"no coverage report found (looked for {looked})"
    )


def _read(path: Path, name: str) -> Coverage:
    try:
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            percent = float(data["totals"]["percent_covered"])
        else:
            root = SafeET.parse(path).getroot()
            if root.tag != "coverage" or root.get("line-rate") is None:
                raise ValueError("not a Cobertura report (no <coverage line-rate=...>)")
            percent = float(root.get("line-rate", "")) * 100
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        SafeET.ParseError,
        DefusedXmlException,
    ) as error:
        return Coverage(percent=None, report=name, message=f"{name} could not be read: {error}")
    if not 0 <= percent <= 100:
        return Coverage(percent=None, report=name, message=f"{name} claims {percent}% coverage")
    return Coverage(percent=round(percent, 2), report=name)
