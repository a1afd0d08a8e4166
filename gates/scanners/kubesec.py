"""Adapter for kubesec, the Kubernetes manifest risk scorer (`kubesec scan FILE`).

kubesec has no Python package: it is used only when its binary is on PATH. It sums
points per object, so an object with a critical finding can still read "Passed"; here
every entry of an object's `scoring.critical` is a finding and the score is ignored.
`scoring.advise` entries (hardening kubesec suggests) and `scoring.passed` are not.
Severity follows the rule's points: -30 or less (Privileged, CapSysAdmin, binding to
system:anonymous) is critical, -7 or less (host namespaces, docker.sock, /proc mounts,
AllowPrivilegeEscalation) is high, anything else negative is medium. kubesec gives no
line numbers.

What kubesec did not evaluate is never called passed: an object of a kind it has no
rules for (a Service, a Secret) becomes a note, an object that failed schema validation
(`valid: false`, which includes schemas kubeconform could not download) a gap, and a
report in which no object was evaluated at all a gap too.

`kubesec scan` reads only its first file argument and silently ignores the others
(kubesec 2.x up to its HEAD), so it is given the first manifest and every other manifest
is named as a gap: with several manifests the run is incomplete, never falsely clean.
It exits 2 when any object scores 0 or less, which is a completed scan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from gates.model import Finding, Kind, Severity
from gates.scanners.interface import (
    Command,
    Parsed,
    ScanContext,
    ScannerAdapter,
    as_dict,
    as_list,
    relative_path,
    require,
    text,
)

_UNSUPPORTED = "not supported"


def kubesec_severity(points: int) -> Severity:
    """Map a critical rule's (negative) points to our severity."""
    if points <= -30:
        return Severity.CRITICAL
    if points <= -7:
        return Severity.HIGH
    return Severity.MEDIUM


class KubesecAdapter(ScannerAdapter):
    """Runs kubesec on the target's Kubernetes manifests (see `ScannerAdapter`)."""

    name: ClassVar[str] = "kubesec"
    executable: ClassVar[str] = "kubesec"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0, 2})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset({"A05:2021"})

    def skip_reason(self, context: ScanContext) -> str | None:
        if not context.inventory.k8s_manifests:
            return "the target has no Kubernetes manifests"
        return None

    def command(self, context: ScanContext) -> Command:
        first, *others = context.inventory.k8s_manifests
        gaps = tuple(
            f"kubesec scans one file per run: {manifest} was not scanned" for manifest in others
        )
        return Command((str(context.executable), "scan", first), gaps=gaps)

    def parse(self, document: Any, target: Path | None) -> Parsed:
        reports = as_list(document, "kubesec's report")

        findings: list[Finding] = []
        gaps: list[str] = []
        notes: list[str] = []
        expected = 0
        evaluated = 0
        for raw in reports:
            report = as_dict(raw, "a kubesec report")
            require("valid" in report, "a kubesec report has no 'valid' field")
            subject = text(report.get("object")) or "(unnamed object)"
            path = relative_path(text(report.get("fileName")), target) or None
            where = f"{subject} in {path or 'the manifest'}"
            message = " ".join(text(report.get("message")).split())

            if report["valid"] is not True:
                gaps.append(f"{where}: not evaluated, kubesec could not validate it: {message}")
                continue
            if _UNSUPPORTED in message.lower():
                notes.append(f"{where}: not evaluated (kind not supported by kubesec)")
                continue

            evaluated += 1
            scoring = as_dict(report.get("scoring") or {}, f"kubesec's scoring of {subject}")
            critical = as_list(
                scoring.get("critical") or [], f"kubesec's critical rules of {subject}"
            )
            expected += len(critical)
            findings.extend(
                self._finding(as_dict(rule, "a kubesec rule"), subject, path) for rule in critical
            )

        if not evaluated:
            gaps.append("kubesec evaluated no object: nothing was checked")
        return Parsed(
            findings=tuple(findings), expected=expected, gaps=tuple(gaps), notes=tuple(notes)
        )

    def _finding(self, rule: dict[str, Any], subject: str, path: str | None) -> Finding:
        points = rule.get("points")
        require(
            isinstance(points, int) and not isinstance(points, bool),
            f"a kubesec rule of {subject} has no integer 'points'",
        )
        selector = text(rule.get("selector"))
        reason = text(rule.get("reason"))
        rule_id = text(rule.get("id")) or selector or "kubesec"
        return Finding(
            scanners=(self.name,),
            rule_id=rule_id,
            title=f"{subject}: {reason or rule_id}",
            severity=kubesec_severity(points),
            kind=Kind.CONFIGURATION,
            path=path,
            description=f"{reason} ({subject} matches `{selector}`, {points} points)".strip(),
            remediation=f"Change {subject} so that `{selector}` no longer matches.",
        )
