"""Reading the target's test coverage from a Cobertura XML or coverage.py JSON report.

The gate never runs the target's tests: it reads the report the target's own pipeline
produced. The report comes from the scanned repository and is not trusted: XML is
parsed with defusedxml, a link is not followed, a path outside the target is refused,
and a report that measured no lines is not read as full coverage.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from gates.model import Coverage

CANDIDATES = ("coverage.xml", "coverage.json", "reports/coverage.xml", "reports/coverage.json")


def read_coverage(target: Path, report: str = "") -> Coverage:
    """The measured line coverage, or a `Coverage` whose message says why there is none."""
    candidates = (report,) if report else CANDIDATES
    root = target.resolve()
    for name in candidates:
        path = target / name
        if path.is_symlink():
            return _unusable(name, "is a symbolic link, which the gate does not follow")
        if not path.resolve().is_relative_to(root):
            return _unusable(name, "is outside the target")
        if path.is_file():
            return _read(path, name)
    looked = ", ".join(candidates)
    return Coverage(
        percent=None, report=None, message=f"no coverage report found (looked for {looked})"
    )


def _unusable(name: str, why: str) -> Coverage:
    return Coverage(percent=None, report=name, message=f"{name} {why}")


def _read(path: Path, name: str) -> Coverage:
    try:
        if path.suffix == ".json":
            percent, lines = _from_json(json.loads(path.read_text(encoding="utf-8")))
        else:
            percent, lines = _from_cobertura(SafeET.parse(path).getroot())
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        RecursionError,
        SafeET.ParseError,
        DefusedXmlException,
    ) as error:
        return _unusable(name, f"could not be read: {error}")
    if lines == 0:
        return _unusable(name, "measured no lines at all")
    if not math.isfinite(percent) or not 0 <= percent <= 100:
        return _unusable(name, f"claims {percent}% coverage")
    return Coverage(percent=round(percent, 2), report=name)


def _from_json(data: Any) -> tuple[float, int | None]:
    totals = data["totals"]
    percent, lines = totals["percent_covered"], totals.get("num_statements")
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        raise ValueError("totals.percent_covered is not a number")
    return float(percent), lines if isinstance(lines, int) else None


def _from_cobertura(root: Any) -> tuple[float, int | None]:
    if root.tag != "coverage" or root.get("line-rate") is None:
        raise ValueError("not a Cobertura report (no <coverage line-rate=...>)")
    valid = root.get("lines-valid")
    return float(root.get("line-rate")) * 100, int(valid) if valid is not None else None
