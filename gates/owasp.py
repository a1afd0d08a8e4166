"""OWASP Top 10 categories: from CWE ids to categories, and the release checklist.

The checklist never awards a clean mark it did not earn: a category is "clean" only
when every enabled scanner that looks for it ran completely and found nothing; it is
"not verified" when one of them did not finish, and "not covered" when no enabled
scanner looks for it at all, which means a person has to review it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib import resources

from gates.model import Finding, Kind, OwaspRow, ScannerRun, Status

FINDINGS = "findings"
CLEAN = "clean"
NOT_VERIFIED = "not verified"
NOT_COVERED = "not covered"


@functools.cache
def categories(year: str = "2021") -> dict[str, dict[str, object]]:
    """The categories of the OWASP Top 10 of `year`, with their names and CWE ids."""
    data = resources.files("gates").joinpath(f"data/owasp-top10-{year}.json").read_text("utf-8")
    return json.loads(data)["categories"]


@functools.cache
def _by_cwe(year: str) -> dict[int, tuple[str, ...]]:
    index: dict[int, list[str]] = {}
    for category, entry in categories(year).items():
        for cwe in entry["cwes"]:  # type: ignore[attr-defined]
            index.setdefault(int(cwe), []).append(category)
    return {cwe: tuple(cats) for cwe, cats in index.items()}


def categories_for(finding: Finding) -> tuple[str, ...]:
    """The finding's OWASP categories (2021 and 2025): those its rule names, else by CWE."""
    found = list(finding.owasp)
    for year in ("2021", "2025"):
        if any(cat.endswith(f":{year}") for cat in found):
            continue
        for cwe in finding.cwe:
            found.extend(_by_cwe(year).get(cwe, ()))
    if not any(cat.endswith(":2021") for cat in found):
        fallback = {
            Kind.DEPENDENCY: ("A06:2021", "A03:2025"),
            Kind.CONFIGURATION: ("A05:2021", "A02:2025"),
            Kind.SECRET: ("A07:2021", "A07:2025"),
        }.get(finding.kind, ())
        found.extend(fallback)
    return tuple(dict.fromkeys(found))


def checklist(
    findings: Iterable[Finding],
    runs: Iterable[ScannerRun],
    coverage_by_scanner: dict[str, frozenset[str]],
) -> tuple[OwaspRow, ...]:
    """One row per OWASP Top 10 (2021) category, saying what the gate can vouch for."""
    findings = list(findings)
    runs = [run for run in runs if run.status is not Status.SKIPPED]
    rows = []
    for category, entry in categories("2021").items():
        hits = [f for f in findings if category in f.owasp]
        lookers = [run for run in runs if category in coverage_by_scanner.get(run.name, ())]
        unfinished = [run for run in lookers if run.status is not Status.OK]
        if hits:
            state = FINDINGS
            detail = f"{len(hits)} finding(s)"
        elif not lookers:
            state = NOT_COVERED
            detail = "not covered by any enabled scanner: needs manual review"
        elif not unfinished:
            state = CLEAN
            detail = "no findings from " + ", ".join(run.name for run in lookers)
        else:
            state = NOT_VERIFIED
            detail = "not every scanner that looks for it finished: " + ", ".join(
                f"{run.name} ({run.status.value})" for run in unfinished
            )
        rows.append(
            OwaspRow(
                category=category,
                name=str(entry["name"]),
                state=state,
                findings=len(hits),
                scanners=tuple(run.name for run in lookers),
                detail=detail,
            )
        )
    return tuple(rows)
