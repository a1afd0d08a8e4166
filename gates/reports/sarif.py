"""`gates.sarif`: SARIF 2.1.0 for GitHub code scanning and IDE viewers.

One run per scanner, in the order the scanners ran, each with the rules its findings
broke and a record of how the scanner went. Quirks that matter:

- A finding several scanners reported is one result, in the run of its first scanner;
  `properties.scanners` lists every scanner that reported it.
- Every scanner has a run, even with zero findings. A scanner that did not finish `ok`
  has `invocations[0].executionSuccessful` false and a `toolExecutionNotification` saying
  why, so its empty results read as "not looked", not "clean". GitHub may still close
  open alerts of a scanner whose run has no results; keep that scanner's failure visible
  through the gate's verdict.
- GitHub reads `properties.security-severity` only on rules tagged `security`, as a
  string holding a number from 0.0 to 10.0 (9.0 and over critical, 7.0 high, 4.0 medium,
  above 0 low). `level` maps critical, high and unknown to error, medium to warning, low
  and info to note.
- GitHub rejects a result without a location: a dependency finding without a manifest
  path points at `requirements.txt`, a finding without a line at line 1.
- URIs are relative to `%SRCROOT%` (the scanned target) and percent-encoded.
- `partialFingerprints` carry the gate's own fingerprint, which survives lines moving.
- A plain-text message may hold embedded links (`[text](target)`) and placeholders
  (`{0}`): in message text, scanner-supplied backslashes and brackets are escaped and
  braces doubled, so a viewer shows the text as it is. Snippets of secret findings are
  left out.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import quote

from gates.model import Finding, GateResult, Kind, ScannerRun, Severity, Status, sorted_findings
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import one_line, visible

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
DEFAULT_MANIFEST = "requirements.txt"
FINGERPRINT_KEY = "gatesFingerprint/v1"
MAX_PATH = 4096

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.UNKNOWN: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# Inside GitHub's bands; unknown counts like high, as the gate counts it by default.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.UNKNOWN: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}
_NOTIFICATION_LEVEL = {
    Status.SKIPPED: "note",
    Status.INCOMPLETE: "warning",
    Status.FAILED: "error",
    Status.UNAVAILABLE: "error",
}
_MAX_NOTES = 50


class SarifReport(ReportRenderer):
    """Renders SARIF 2.1.0, one run per scanner (see `ReportRenderer`)."""

    filename: ClassVar[str] = "gates.sarif"

    def render(self, result: GateResult) -> str:
        owned: dict[str, list[Finding]] = {run.name: [] for run in result.scanners}
        for finding in sorted_findings(result.findings):
            owner = finding.scanners[0] if finding.scanners else "gates"
            owned.setdefault(owner, []).append(finding)
        runs = {run.name: run for run in result.scanners}
        document = {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                _run(name, runs.get(name), findings, result) for name, findings in owned.items()
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _run(
    name: str, run: ScannerRun | None, findings: list[Finding], result: GateResult
) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    index: dict[str, int] = {}
    results = []
    for finding in findings:
        rule_id = one_line(finding.rule_id, limit=255) or "unnamed"
        if rule_id not in rules:
            index[rule_id] = len(rules)
            rules[rule_id] = _rule(rule_id, finding)
        else:
            _add_tags(rules[rule_id], finding)
        results.append(_result(finding, rule_id, index[rule_id]))

    driver: dict[str, Any] = {"name": one_line(name, limit=100), "rules": list(rules.values())}
    if run is not None and run.version:
        driver["version"] = one_line(run.version, limit=100)
    document: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": _message(f"The scanned project: {one_line(result.target, limit=200)}")
                }
            }
        },
        "results": results,
        "properties": {"gates": {"version": result.tool_version, "verdict": result.verdict}},
    }
    if run is not None:
        document["invocations"] = [_invocation(run)]
    return document


def _rule(rule_id: str, finding: Finding) -> dict[str, Any]:
    title = one_line(finding.title, limit=300) or rule_id
    help_text = visible(_help(finding) or finding.description or finding.title)
    rule: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": visible(finding.description) or title},
        "help": {"text": help_text or title},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": ["security"],
            "security-severity": _SECURITY_SEVERITY[finding.severity],
        },
    }
    _add_tags(rule, finding)
    return rule


def _add_tags(rule: dict[str, Any], finding: Finding) -> None:
    tags: list[str] = rule["properties"]["tags"]
    wanted = [finding.kind.value, *(f"external/cwe/cwe-{cwe}" for cwe in finding.cwe)]
    wanted += [
        f"external/owasp/{one_line(category, limit=20).lower()}" for category in finding.owasp
    ]
    tags.extend(tag for tag in dict.fromkeys(wanted) if tag not in tags)


def _help(finding: Finding) -> str:
    parts = []
    if finding.kind is Kind.DEPENDENCY and finding.fixed_versions:
        parts.append(
            f"Upgrade {finding.package or 'the package'} to {' or '.join(finding.fixed_versions)}."
        )
    if finding.remediation:
        parts.append(finding.remediation)
    return "\n\n".join(parts)


def _result(finding: Finding, rule_id: str, rule_index: int) -> dict[str, Any]:
    text = finding.title or rule_id
    if finding.kind is Kind.DEPENDENCY and finding.package:
        text = f"{finding.package} {finding.version or ''}: {text}"
    properties: dict[str, Any] = {
        "scanners": [one_line(s, limit=100) for s in finding.scanners],
        "severity": finding.severity.value,
        "kind": finding.kind.value,
    }
    if finding.confidence:
        properties["confidence"] = one_line(finding.confidence, limit=40)
    if finding.identifiers:
        properties["identifiers"] = [one_line(i, limit=200) for i in finding.identifiers]
    if finding.owasp:
        properties["owasp"] = [one_line(c, limit=40) for c in finding.owasp]
    if finding.kind is Kind.DEPENDENCY:
        properties["package"] = one_line(finding.package, limit=200)
        properties["version"] = one_line(finding.version, limit=100)
        properties["fixedVersions"] = [one_line(v, limit=100) for v in finding.fixed_versions]
    item: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": _message(one_line(text, limit=1000))},
        "locations": [_location(finding)],
        "properties": properties,
    }
    if finding.fingerprint:
        item["partialFingerprints"] = {FINGERPRINT_KEY: one_line(finding.fingerprint)}
    return item


def _location(finding: Finding) -> dict[str, Any]:
    path = _path_text(finding.path).replace("\\", "/").removeprefix("./")
    if not path:
        path = DEFAULT_MANIFEST if finding.kind is Kind.DEPENDENCY else "."
    artifact: dict[str, Any]
    if path.startswith("/"):
        # Outside the target: an absolute file URI, which GitHub cannot map to the repo.
        artifact = {"uri": "file://" + quote(path, safe="/")}
    else:
        artifact = {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}

    start = max(finding.start_line or 1, 1)
    region: dict[str, Any] = {"startLine": start}
    if finding.end_line and finding.end_line >= start:
        region["endLine"] = finding.end_line
    if finding.snippet and finding.kind is not Kind.SECRET:
        region["snippet"] = {"text": visible(finding.snippet)}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _path_text(path: str | None) -> str:
    # Paths keep their spaces; only control characters are escaped and absurd lengths cut.
    return visible(path or "", limit=MAX_PATH, newlines=False)


def _invocation(run: ScannerRun) -> dict[str, Any]:
    notes = []
    if not run.ok:
        notes.append(
            {
                "level": _NOTIFICATION_LEVEL[run.status],
                "message": {
                    "text": _message(
                        one_line(
                            f"{run.name} {run.status.value}: {run.message or 'no detail given'}",
                            limit=2000,
                        )
                    )
                },
            }
        )
    extra = [*run.warnings, *(f"not scanned: {item}" for item in run.not_scanned)]
    notes += [
        {"level": "warning", "message": {"text": _message(one_line(text, limit=500))}}
        for text in extra[:_MAX_NOTES]
    ]
    if len(extra) > _MAX_NOTES:
        more = f"{len(extra) - _MAX_NOTES} more warnings are in findings.json."
        notes.append({"level": "note", "message": {"text": more}})

    invocation: dict[str, Any] = {
        "executionSuccessful": run.ok,
        "properties": {"status": run.status.value, "durationSeconds": round(run.duration_s, 3)},
    }
    if notes:
        invocation["toolExecutionNotifications"] = notes
    if run.exit_code is not None:
        invocation["exitCode"] = run.exit_code
    return invocation


def _message(text: str) -> str:
    """Text for a SARIF message object: no embedded link, no placeholder, control-free."""
    text = visible(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return text.replace("{", "{{").replace("}", "}}")
