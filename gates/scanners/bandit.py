"""Adapter for bandit, the Python AST scanner (`bandit -f json`).

Severity is bandit's severity weighed by its confidence: a finding bandit is not sure
of drops one level, so a low-confidence HIGH counts as medium. Files bandit could not
parse appear only in its `errors` list and it still exits 0; they make the run
incomplete here, as does a report with `loc: 0` (nothing was read).
"""

from __future__ import annotations

from importlib import resources
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
    fits_command_line,
    parse_cwe,
    relative_path,
    require,
    text,
)

_DOWNGRADE = {
    Severity.CRITICAL: Severity.HIGH,
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.INFO,
}


def bandit_severity(severity: str, confidence: str) -> Severity:
    """Map bandit's severity and confidence to ours (see the README's table)."""
    level = Severity.parse(severity)
    if level is Severity.UNKNOWN or text(severity).upper() == "UNDEFINED":
        return Severity.UNKNOWN
    if text(confidence).upper() == "LOW":
        return _DOWNGRADE.get(level, level)
    return level


class BanditAdapter(ScannerAdapter):
    """Runs bandit over the target's Python files (see `ScannerAdapter`)."""

    name: ClassVar[str] = "bandit"
    executable: ClassVar[str] = "bandit"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0, 1})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset(
        {"A02:2021", "A03:2021", "A05:2021", "A07:2021", "A08:2021"}
    )

    def skip_reason(self, context: ScanContext) -> str | None:
        if not context.inventory.python_files:
            return "the target has no Python files"
        return None

    def command(self, context: ScanContext) -> Command:
        # --ignore-nosec: suppressed findings are reported and shown as suppressed
        # (gates.merge), never dropped unseen. --ini: the gate's options, never a .bandit
        # file of the target's.
        ini = resources.files("gates").joinpath("data/bandit.ini")
        argv = [str(context.executable), "-f", "json", "-q", "--ignore-nosec", "--ini", str(ini)]
        files = context.inventory.python_files
        if fits_command_line(files):
            # The inventory's files by name: excludes, links and virtual environments are
            # already left out, whatever characters their names hold ("--": a file named
            # like an option is still a file).
            return Command((*argv, "--", *files))
        argv += ["-r", "."]
        excluded = [f"./{pattern}" for pattern in context.skip_paths if "*" not in pattern]
        if excluded:
            argv += ["-x", ",".join(excluded)]
        return Command(tuple(argv))

    def parse(self, document: Any, target: Path | None) -> Parsed:
        report = as_dict(document, "bandit's report")
        for key in ("results", "errors", "metrics"):
            require(key in report, f"bandit's report has no '{key}'")
        results = as_list(report["results"], "bandit's 'results'")
        errors = as_list(report.get("errors", []), "bandit's 'errors'")

        findings = tuple(
            self._finding(as_dict(item, "a bandit result"), target) for item in results
        )

        gaps = []
        not_scanned = []
        for error in errors:
            entry = as_dict(error, "a bandit error")
            filename = relative_path(text(entry.get("filename")), target) or "(no file name)"
            not_scanned.append(filename)
            gaps.append(f"bandit could not analyse {filename}: {text(entry.get('reason'))}")

        # bandit's metrics hold one entry per file it read, plus "_totals". Without them
        # nothing shows that anything was read.
        metrics = report.get("metrics") if isinstance(report.get("metrics"), dict) else {}
        totals = metrics.get("_totals") if isinstance(metrics.get("_totals"), dict) else {}
        if "loc" not in totals:
            gaps.append("bandit's report has no line count: it does not show what it read")
        elif not totals.get("loc"):
            gaps.append("bandit read 0 lines of code: nothing was scanned")
        scanned = tuple(relative_path(name, target) for name in metrics if name != "_totals")
        return Parsed(
            findings=findings,
            expected=len(results),
            gaps=tuple(gaps),
            not_scanned=tuple(not_scanned),
            scanned=scanned if metrics else None,
        )

    def _finding(self, item: dict[str, Any], target: Path | None) -> Finding:
        require("test_id" in item and "filename" in item, "a bandit result has no test_id")
        line = item.get("line_number")
        line_range = item.get("line_range")
        if not isinstance(line_range, list) or not line_range:
            line_range = [line]
        # The finding spans its statement, as bandit's SARIF gives it: bandit names the line
        # of `shell=True` in a call over several lines, semgrep the call's first line.
        numbers = [n for n in (line, *line_range) if isinstance(n, int)]
        start = min(numbers, default=None)
        end = max(numbers, default=None)
        rule = text(item.get("test_id")) or "bandit"
        name = text(item.get("test_name"))
        more_info = text(item.get("more_info"))
        return Finding(
            scanners=(self.name,),
            rule_id=rule,
            title=f"{rule} {name}: {text(item.get('issue_text'))}".strip(),
            severity=bandit_severity(
                text(item.get("issue_severity")), text(item.get("issue_confidence"))
            ),
            confidence=text(item.get("issue_confidence")).lower() or None,
            kind=Kind.CODE,
            path=relative_path(text(item.get("filename")), target),
            start_line=start,
            end_line=end,
            cwe=parse_cwe(item.get("issue_cwe")),
            description=text(item.get("issue_text")),
            remediation=f"See {more_info}" if more_info else "",
        )
