"""`gl-code-quality-report.json`: GitLab Code Quality, a subset of the CodeClimate format.

Each finding becomes one entry in a single JSON array, so the merge-request widget and
the diff annotations show it. Quirks that matter:

- GitLab checks every entry against its `codeclimate.json` schema and stops reading at the
  first entry that fails, silently dropping the rest: every entry here has `description`,
  `check_name`, `fingerprint`, `severity` and `location.path` with `location.lines.begin`,
  all of the right type.
- Entries that share a `fingerprint` collapse into one. Merged findings already have
  distinct fingerprints; should two ever collide, the later one gets a derived one.
- `severity` is one of info, minor, major, critical, blocker: critical findings are
  blockers, high and unknown ones critical, medium major, low minor, info info.
- The location must be a file and a line: a dependency finding without a manifest path
  points at `requirements.txt`, and a finding without a line at line 1 of its file.
- GitLab reads no byte-order mark; the CLI writes UTF-8 without one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, ClassVar

from gates.model import Finding, GateResult, Kind, Severity, sorted_findings
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import one_line, visible

DEFAULT_MANIFEST = "requirements.txt"
MAX_PATH = 4096

_SEVERITY = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.UNKNOWN: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
    Severity.INFO: "info",
}


class CodeQualityReport(ReportRenderer):
    """Renders GitLab's Code Quality report (see `ReportRenderer`)."""

    filename: ClassVar[str] = "gl-code-quality-report.json"

    def render(self, result: GateResult) -> str:
        findings = sorted_findings(result.findings)
        entries = [
            _entry(finding, fingerprint)
            for finding, fingerprint in zip(findings, _unique_fingerprints(findings), strict=True)
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def _entry(finding: Finding, fingerprint: str) -> dict[str, Any]:
    title = finding.title or finding.rule_id
    if finding.kind is Kind.DEPENDENCY and finding.package:
        title = f"{finding.package} {finding.version or ''}: {title}"
    return {
        "type": "issue",
        "check_name": one_line(finding.rule_id, limit=200) or "gates",
        "description": one_line(title, limit=300) or "finding without a title",
        "categories": ["Security"],
        "severity": _SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": _path(finding),
            "lines": {"begin": max(finding.start_line or 1, 1)},
        },
        "engine_name": one_line(", ".join(finding.scanners), limit=100) or "gates",
    }


def _path(finding: Finding) -> str:
    # Paths keep their spaces; only control characters are escaped and absurd lengths cut.
    path = visible(finding.path or "", limit=MAX_PATH, newlines=False)
    path = path.replace("\\", "/").removeprefix("./")
    if path:
        return path
    # A finding always names a file: GitLab builds its link from the path.
    return DEFAULT_MANIFEST if finding.kind is Kind.DEPENDENCY else "."


def _unique_fingerprints(findings: Sequence[Finding]) -> list[str]:
    fingerprints: list[str] = []
    seen: set[str] = set()
    for finding in findings:
        basis = finding.fingerprint or _digest(
            f"{finding.kind.value}|{finding.rule_id}|{finding.path}|{finding.start_line}|"
            f"{finding.package}|{finding.version}"
        )
        candidate, n = basis, 1
        while candidate in seen:
            n += 1
            candidate = _digest(f"{basis}|{n}")
        seen.add(candidate)
        fingerprints.append(candidate)
    return fingerprints


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
