"""GitLab security reports: SAST (`gl-sast-report.json`) and dependency scanning
(`gl-dependency-scanning-report.json`), schema version 15.2.1.

Code, configuration and secret findings go to the SAST report, dependency findings to
the dependency-scanning report; both share this module's scan header, identifiers and
ids. Quirks that matter:

- GitLab validates each report against the schema of the `version` it states and drops a
  report whose version it does not ship; 15.2.1 is one it ships.
- `scan.start_time` and `end_time` take no time zone and no fraction. The gate records
  only when it decided (`GateResult.generated_at`), so that is the end, and the start is
  that minus the longest scanner run (the runner runs scanners concurrently).
- `scan.status` is "success" only if every scanner that can report this kind of finding
  finished `ok`; otherwise "failure", with a message per scanner that did not (a scanner
  that was skipped counts too: only `ok` means its silence can be trusted). Which
  scanners report which kinds is `SCANNER_KINDS`, widened by what they reported this run.
- `id` must be unique in the report: a UUID 5 of the finding's fingerprint, so a finding
  keeps its id from run to run.
- The first identifier is the primary one GitLab tracks a vulnerability by: the rule (or
  advisory) id of the first scanner that reported it. CVE, GHSA, PYSEC, CWE and OWASP
  identifiers follow, with links only where the id has the expected shape.
- `description` and `solution` are rendered as GitLab Flavored Markdown, so scanner text
  in them is escaped like the Markdown summary's; `name` is plain text, capped below its
  255-character limit.
- A dependency finding needs `location.file` and `location.dependency`: a finding without
  a manifest path points at `requirements.txt`, one without a package name or version
  says "unknown".
"""

from __future__ import annotations

import abc
import datetime
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from gates.model import Finding, GateResult, Kind, ScannerRun, Severity, Status, sorted_findings
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import escape_markdown, one_line, visible

SCHEMA_VERSION = "15.2.1"
DEFAULT_MANIFEST = "requirements.txt"
MAX_PATH = 4096
# The schema's limits. Escaping can lengthen text after `sanitize` cut it, so the final
# text is fitted again.
NAME_LIMIT = 255
SOLUTION_LIMIT = 7000

#: The kinds of finding each scanner can report, so a scanner that failed before
#: reporting anything still counts against the right report. A scanner not listed here
#: counts against both.
SCANNER_KINDS: dict[str, frozenset[Kind]] = {
    "bandit": frozenset({Kind.CODE}),
    "semgrep": frozenset({Kind.CODE, Kind.CONFIGURATION, Kind.SECRET}),
    "kubesec": frozenset({Kind.CONFIGURATION}),
    "trivy": frozenset({Kind.DEPENDENCY, Kind.CONFIGURATION, Kind.SECRET}),
    "pip-audit": frozenset({Kind.DEPENDENCY}),
    "safety": frozenset({Kind.DEPENDENCY}),
}

# Fixed for good: changing it changes the id of every vulnerability GitLab has stored.
_ID_NAMESPACE = uuid.UUID("0c2f2ef8-d7df-4a8a-be82-c215fa3ef1ba")

_SEVERITY = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "Info",
    Severity.UNKNOWN: "Unknown",
}
_MESSAGE_LEVEL = {
    Status.SKIPPED: "warn",
    Status.INCOMPLETE: "warn",
    Status.FAILED: "fatal",
    Status.UNAVAILABLE: "fatal",
}
# Advisory ids GitLab knows a type for, and where each is documented. An id only gets a
# link when it has exactly the expected shape, so no scanner text reaches a URL.
_ADVISORIES = (
    (re.compile(r"CVE-\d{4}-\d{4,}"), "cve", "https://www.cve.org/CVERecord?id={}"),
    (
        re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}"),
        "ghsa",
        "https://github.com/advisories/{}",
    ),
    (re.compile(r"PYSEC-\d{4}-\d+"), "pysec", "https://osv.dev/vulnerability/{}"),
)
_OWASP = re.compile(r"A\d{2}:\d{4}")


class GitLabSecurityReport(ReportRenderer):
    """What GitLab's SAST and dependency-scanning reports share (see `ReportRenderer`)."""

    #: `scan.type` in the report.
    scan_type: ClassVar[str]
    #: The kinds of finding this report carries.
    kinds: ClassVar[frozenset[Kind]]

    @abc.abstractmethod
    def location(self, finding: Finding) -> dict[str, Any]:
        """The `location` object of one vulnerability."""

    def render(self, result: GateResult) -> str:
        findings = [f for f in sorted_findings(result.findings) if f.kind in self.kinds]
        runs = [run for run in result.scanners if self._covers(run, result.findings)]
        ids = _unique_ids(findings)
        document = {
            "version": SCHEMA_VERSION,
            "scan": self._scan(result, runs),
            "vulnerabilities": [
                self._vulnerability(finding, id_)
                for finding, id_ in zip(findings, ids, strict=True)
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def _covers(self, run: ScannerRun, findings: Iterable[Finding]) -> bool:
        reported = {f.kind for f in findings if run.name in f.scanners}
        known = SCANNER_KINDS.get(run.name, frozenset(Kind))
        return bool((known | reported) & self.kinds)

    def _scan(self, result: GateResult, runs: Sequence[ScannerRun]) -> dict[str, Any]:
        end = _decided_at(result.generated_at)
        start = end - datetime.timedelta(seconds=max((r.duration_s for r in runs), default=0))
        tool_version = one_line(result.tool_version, limit=60) or "unknown"
        names = ", ".join(f"{run.name} {run.version}" if run.version else run.name for run in runs)
        messages = [
            {
                "level": _MESSAGE_LEVEL[run.status],
                "value": one_line(
                    f"{run.name} {run.status.value}: {run.message or 'no detail given'}",
                    limit=1000,
                ),
            }
            for run in runs
            if not run.ok
        ]
        if not runs:
            messages.append({"level": "warn", "value": f"no {self.scan_type} scanner ran"})
        return {
            "analyzer": {
                "id": "gates",
                "name": "gates",
                "version": tool_version,
                "vendor": {"name": "gates"},
            },
            "scanner": {
                "id": f"gates-{self.scan_type.replace('_', '-')}",
                "name": one_line(f"gates ({names or 'no scanner'})", limit=200),
                "version": tool_version,
                "vendor": {"name": "gates"},
            },
            "type": self.scan_type,
            "start_time": start.strftime("%Y-%m-%dT%H:%M:%S"),
            "end_time": end.strftime("%Y-%m-%dT%H:%M:%S"),
            "status": "success" if runs and not messages else "failure",
            "messages": messages,
        }

    def _vulnerability(self, finding: Finding, id_: str) -> dict[str, Any]:
        vulnerability: dict[str, Any] = {
            "id": id_,
            "name": _fit(one_line(finding.title or finding.rule_id, limit=200), NAME_LIMIT),
            "description": escape_markdown(finding.description or finding.title, limit=20_000),
            "severity": _SEVERITY[finding.severity],
            "identifiers": identifiers(finding),
            "location": self.location(finding),
        }
        solution = _solution(finding)
        if solution:
            vulnerability["solution"] = _fit(escape_markdown(solution, limit=2000), SOLUTION_LIMIT)
        return vulnerability


class GitLabSastReport(GitLabSecurityReport):
    """Renders GitLab's SAST report: code, configuration and secrets (see `ReportRenderer`)."""

    filename: ClassVar[str] = "gl-sast-report.json"
    scan_type: ClassVar[str] = "sast"
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.CODE, Kind.CONFIGURATION, Kind.SECRET})

    def location(self, finding: Finding) -> dict[str, Any]:
        location: dict[str, Any] = {}
        if finding.path:
            location["file"] = _path_text(finding.path)
        if finding.start_line and finding.start_line > 0:
            location["start_line"] = finding.start_line
            if finding.end_line and finding.end_line >= finding.start_line:
                location["end_line"] = finding.end_line
        return location


class GitLabDependencyScanningReport(GitLabSecurityReport):
    """Renders GitLab's dependency-scanning report (see `ReportRenderer`)."""

    filename: ClassVar[str] = "gl-dependency-scanning-report.json"
    scan_type: ClassVar[str] = "dependency_scanning"
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.DEPENDENCY})

    def location(self, finding: Finding) -> dict[str, Any]:
        return {
            "file": _path_text(finding.path) or DEFAULT_MANIFEST,
            "dependency": {
                "package": {"name": one_line(finding.package, limit=200) or "unknown"},
                "version": one_line(finding.version, limit=100) or "unknown",
            },
        }


def identifiers(finding: Finding) -> list[dict[str, str]]:
    """The finding's identifiers for GitLab, the primary one (its rule) first."""
    scanner = finding.scanners[0] if finding.scanners else "gates"
    found = [_identifier(finding.rule_id, scanner)]
    found += [_identifier(value, scanner) for value in finding.identifiers]
    found += [
        {
            "type": "cwe",
            "name": f"CWE-{cwe}",
            "value": str(cwe),
            "url": f"https://cwe.mitre.org/data/definitions/{cwe}.html",
        }
        for cwe in finding.cwe
    ]
    found += [
        {"type": "owasp", "name": category, "value": category}
        for category in finding.owasp
        if _OWASP.fullmatch(category)
    ]
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for item in found:
        unique.setdefault((item["type"], item["value"]), item)
    return list(unique.values())


def _identifier(value: str, scanner: str) -> dict[str, str]:
    text = one_line(value, limit=200) or "unnamed"
    for pattern, kind, url in _ADVISORIES:
        if pattern.fullmatch(value.strip()):
            return {"type": kind, "name": text, "value": text, "url": url.format(text)}
    slug = re.sub(r"[^a-z0-9]+", "_", scanner.lower()).strip("_") or "gates"
    return {"type": f"{slug}_id", "name": f"{one_line(scanner, limit=40)} {text}", "value": text}


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # A cut may split an escape; dropping trailing backslashes keeps it from escaping "…".
    return text[: limit - 1].rstrip("\\") + "…"


def _path_text(path: str | None) -> str:
    # Paths keep their spaces; only control characters are escaped and absurd lengths cut.
    return visible(path or "", limit=MAX_PATH, newlines=False)


def _solution(finding: Finding) -> str:
    parts = []
    if finding.kind is Kind.DEPENDENCY and finding.fixed_versions:
        package = finding.package or "the package"
        parts.append(f"Upgrade {package} to {' or '.join(finding.fixed_versions)}.")
    if finding.remediation:
        parts.append(finding.remediation)
    return " ".join(parts)


def _unique_ids(findings: Sequence[Finding]) -> list[str]:
    ids: list[str] = []
    seen: set[str] = set()
    for finding in findings:
        basis = finding.fingerprint or _fallback_basis(finding)
        candidate, n = str(uuid.uuid5(_ID_NAMESPACE, basis)), 1
        # Merged findings have distinct fingerprints; this only guards a hand-built result.
        while candidate in seen:
            n += 1
            candidate = str(uuid.uuid5(_ID_NAMESPACE, f"{basis}|{n}"))
        seen.add(candidate)
        ids.append(candidate)
    return ids


def _fallback_basis(finding: Finding) -> str:
    return "|".join(
        str(part)
        for part in (
            finding.kind.value,
            finding.rule_id,
            finding.path,
            finding.start_line,
            finding.package,
            finding.version,
        )
    )


def _decided_at(generated_at: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(generated_at)
    except ValueError:
        # Only a hand-built result lacks a time; a report still needs one.
        moment = datetime.datetime.now(datetime.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)
