"""The one findings schema every scanner is normalized into.

A scan produces `ScannerRun` records (one per scanner, saying how it went) and `Finding`
records (one per distinct problem). The gate reads nothing else. `findings.schema.json`
in this package publishes the same shape for other tools.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@functools.total_ordering
class Severity(enum.Enum):
    """How bad a finding is, ordered from `INFO` to `CRITICAL`.

    `UNKNOWN` is a finding whose scanner gave no usable severity. It sorts just below
    `CRITICAL` so it is never hidden at the bottom of a list, and the gate counts it at
    a configurable level (`unknown-severity`, high by default): it is never dropped.
    """

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    UNKNOWN = "unknown"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def parse(cls, value: object) -> Severity:
        """Read a severity name in any case; anything unrecognised is `UNKNOWN`."""
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                return cls.UNKNOWN
        return cls.UNKNOWN


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.UNKNOWN: 4,
    Severity.CRITICAL: 5,
}


class Kind(enum.Enum):
    """What sort of thing a finding is about."""

    CODE = "code"
    DEPENDENCY = "dependency"
    CONFIGURATION = "configuration"
    SECRET = "secret"  # noqa: S105  # nosec B105 - a finding kind, not a password


class Status(enum.Enum):
    """How a scanner run went. Only `OK` means its silence can be trusted."""

    OK = "ok"
    INCOMPLETE = "incomplete"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Finding:
    """One problem in the target, as reported by one or more scanners."""

    scanners: tuple[str, ...]
    rule_id: str
    title: str
    severity: Severity
    kind: Kind
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    cwe: tuple[int, ...] = ()
    owasp: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    package: str | None = None
    version: str | None = None
    fixed_versions: tuple[str, ...] = ()
    description: str = ""
    remediation: str = ""
    confidence: str | None = None
    snippet: str = ""
    related_rules: tuple[str, ...] = ()
    fingerprint: str = ""

    def with_updates(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "scanners": list(self.scanners),
            "rule_id": self.rule_id,
            "related_rules": list(self.related_rules),
            "title": self.title,
            "severity": self.severity.value,
            "confidence": self.confidence,
            "kind": self.kind.value,
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "cwe": list(self.cwe),
            "owasp": list(self.owasp),
            "identifiers": list(self.identifiers),
            "package": self.package,
            "version": self.version,
            "fixed_versions": list(self.fixed_versions),
            "description": self.description,
            "remediation": self.remediation,
            "snippet": self.snippet,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            fingerprint=data["fingerprint"],
            scanners=tuple(data["scanners"]),
            rule_id=data["rule_id"],
            related_rules=tuple(data.get("related_rules", ())),
            title=data["title"],
            severity=Severity(data["severity"]),
            confidence=data.get("confidence"),
            kind=Kind(data["kind"]),
            path=data.get("path"),
            start_line=data.get("start_line"),
            end_line=data.get("end_line"),
            cwe=tuple(data.get("cwe", ())),
            owasp=tuple(data.get("owasp", ())),
            identifiers=tuple(data.get("identifiers", ())),
            package=data.get("package"),
            version=data.get("version"),
            fixed_versions=tuple(data.get("fixed_versions", ())),
            description=data.get("description", ""),
            remediation=data.get("remediation", ""),
            snippet=data.get("snippet", ""),
        )


@dataclass(frozen=True)
class ScannerRun:
    """What happened when one scanner ran (or was ingested, or could not run)."""

    name: str
    status: Status
    version: str | None = None
    command: tuple[str, ...] = ()
    exit_code: int | None = None
    duration_s: float = 0.0
    message: str = ""
    source: str = "run"
    raw_output: str | None = None
    warnings: tuple[str, ...] = ()
    not_scanned: tuple[str, ...] = ()
    finding_count: int = 0
    #: The pipeline (or run) the result was made in; see `gates.pipeline.current_run_id`.
    run_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "command": list(self.command),
            "exit_code": self.exit_code,
            "status": self.status.value,
            "duration_s": round(self.duration_s, 3),
            "message": self.message,
            "source": self.source,
            "raw_output": self.raw_output,
            "warnings": list(self.warnings),
            "not_scanned": list(self.not_scanned),
            "finding_count": self.finding_count,
            "run_id": self.run_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScannerRun:
        return cls(
            name=data["name"],
            status=Status(data["status"]),
            version=data.get("version"),
            command=tuple(data.get("command", ())),
            exit_code=data.get("exit_code"),
            duration_s=float(data.get("duration_s", 0.0)),
            message=data.get("message", ""),
            source=data.get("source", "run"),
            raw_output=data.get("raw_output"),
            warnings=tuple(data.get("warnings", ())),
            not_scanned=tuple(data.get("not_scanned", ())),
            finding_count=int(data.get("finding_count", 0)),
            run_id=data.get("run_id"),
        )


@dataclass(frozen=True)
class ScanResult:
    """A scanner's run and the findings it produced: the unit a scan job publishes."""

    run: ScannerRun
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "scanner": self.run.to_dict(),
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanResult:
        return cls(
            run=ScannerRun.from_dict(data["scanner"]),
            findings=tuple(Finding.from_dict(item) for item in data["findings"]),
        )


@dataclass(frozen=True)
class Coverage:
    """The test coverage the gate measured, and where it read it."""

    percent: float | None
    report: str | None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"percent": self.percent, "report": self.report, "message": self.message}


@dataclass(frozen=True)
class Reason:
    """One failed gate check, in words a reviewer understands."""

    check: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "message": self.message}


@dataclass(frozen=True)
class CheckOutcome:
    """One row of the budget table: what a check allowed and what it found."""

    check: str
    budget: str
    actual: str
    passed: bool

    @property
    def waived(self) -> bool:
        """An optional scanner that did not run completely: shown, but not counted."""
        return self.passed and self.check.startswith("scanner:") and self.actual != "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "budget": self.budget,
            "actual": self.actual,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class GateResult:
    """Everything one gate decision rests on; every report renders this and nothing else."""

    target: str
    scanners: tuple[ScannerRun, ...]
    findings: tuple[Finding, ...]
    coverage: Coverage
    checks: tuple[CheckOutcome, ...]
    reasons: tuple[Reason, ...]
    owasp: tuple[OwaspRow, ...] = ()
    merged: tuple[str, ...] = ()
    tool_version: str = ""
    generated_at: str = ""
    config_source: str = ""

    @property
    def passed(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:
        return self.passed

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": "1.0",
            "tool": {"name": "gates", "version": self.tool_version},
            "generated_at": self.generated_at,
            "target": self.target,
            "config_source": self.config_source,
            "verdict": self.verdict,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "checks": [check.to_dict() for check in self.checks],
            "summary": {severity.value: self.count(severity) for severity in Severity},
            "coverage": self.coverage.to_dict(),
            "scanners": [run.to_dict() for run in self.scanners],
            "owasp": [row.to_dict() for row in self.owasp],
            "merged": list(self.merged),
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class OwaspRow:
    """One OWASP Top 10 category of the checklist and what the gate can say about it."""

    category: str
    name: str
    state: str
    findings: int = 0
    scanners: tuple[str, ...] = field(default_factory=tuple)
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "name": self.name,
            "state": self.state,
            "findings": self.findings,
            "scanners": list(self.scanners),
            "detail": self.detail,
        }


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Worst first, then by place, so every report lists findings in the same order."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (-f.severity.rank, f.path or "", f.start_line or 0, f.rule_id),
        )
    )
