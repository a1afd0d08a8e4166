"""`summary.md`: the gate's verdict in Markdown, for a merge-request comment or a chat.

The order is what a reviewer needs first: verdict and reasons, the budget table, the
scanners and their status, then the worst findings (at most `TOP_FINDINGS`) with where
they are. Everything else is in `findings.json` and `report.html`.

Quirks that matter: the text lands in GitLab or GitHub Flavored Markdown, where a finding
title could otherwise open a link or an image, close a table cell, start inline HTML or
mention (and so notify) people. Every piece of scanner-supplied text therefore goes
through `escape_markdown`: folded onto one line by `sanitize.one_line`, Markdown
punctuation escaped with a backslash, `<`, `>` and `&` written as character references,
and each `@` followed by a zero-width space. A chat that shows the raw text shows the
escapes; nothing in it acts.
"""

from __future__ import annotations

from typing import ClassVar

from gates.model import Finding, GateResult, Kind, Severity, Status, sorted_findings
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import escape_markdown

TOP_FINDINGS = 20

_STATUS_MARK = {
    Status.OK: "✅ ok",
    Status.SKIPPED: "⏭️ skipped",
    Status.INCOMPLETE: "⚠️ incomplete",
    Status.FAILED: "❌ failed",
    Status.UNAVAILABLE: "❌ unavailable",
}


class MarkdownReport(ReportRenderer):
    """Renders the Markdown summary (see `ReportRenderer`)."""

    filename: ClassVar[str] = "summary.md"

    def render(self, result: GateResult) -> str:
        sections = [
            _verdict(result),
            _budget(result),
            _scanners(result),
            _findings(result),
        ]
        return "\n\n".join(section for section in sections if section) + "\n"


def _verdict(result: GateResult) -> str:
    mark = "✅ Security gate passed" if result.passed else "❌ Security gate failed"
    facts = [f"**Target:** {escape_markdown(result.target, limit=120)}"]
    if result.tool_version:
        facts.append(f"gates {escape_markdown(result.tool_version, limit=40)}")
    if result.generated_at:
        facts.append(escape_markdown(result.generated_at, limit=40))
    lines = [f"## {mark}", "", " · ".join(facts), ""]

    if result.passed:
        lines.append("Every check is within its budget.")
    else:
        lines.append("**Why it failed:**")
        lines.append("")
        for reason in result.reasons:
            check = escape_markdown(reason.check, limit=80)
            lines.append(f"- **{check}**: {escape_markdown(reason.message, limit=400)}")

    counts = ", ".join(
        f"{result.count(s)} {s.value}" for s in sorted(Severity, reverse=True) if result.count(s)
    )
    lines += ["", f"**Findings:** {counts or 'none'}"]
    return "\n".join(lines)


def _budget(result: GateResult) -> str:
    if not result.checks:
        return ""
    rows = [
        "### Budget",
        "",
        _row("Check", "Budget", "Actual", "Result"),
        _row("---", "---", "---", "---"),
    ]
    for check in result.checks:
        rows.append(
            _row(
                escape_markdown(check.check, limit=80),
                escape_markdown(check.budget, limit=80),
                escape_markdown(check.actual, limit=120),
                "❌ fail"
                if not check.passed
                else "⚠️ not counted (optional)"
                if check.waived
                else "✅ pass",
            )
        )
    return "\n".join(rows)


def _scanners(result: GateResult) -> str:
    if not result.scanners:
        return "### Scanners\n\nNo scanner ran."
    rows = [
        "### Scanners",
        "",
        _row("Scanner", "Version", "Status", "Findings", "Time", "Note"),
        _row("---", "---", "---", "---:", "---:", "---"),
    ]
    for run in result.scanners:
        rows.append(
            _row(
                escape_markdown(run.name, limit=40),
                escape_markdown(run.version or "?", limit=40),
                _STATUS_MARK[run.status],
                str(run.finding_count),
                f"{run.duration_s:.1f}s",
                escape_markdown(run.message, limit=200),
            )
        )
    return "\n".join(rows)


def _findings(result: GateResult) -> str:
    if not result.findings:
        return "### Findings\n\nNo findings."
    worst = sorted_findings(result.findings)[:TOP_FINDINGS]
    shown = (
        f"The {len(worst)} worst of {len(result.findings)}; all of them are in findings.json."
        if len(result.findings) > len(worst)
        else f"All {len(worst)}, worst first."
    )
    rows = [
        "### Top findings",
        "",
        shown,
        "",
        _row("Severity", "Finding", "Location", "Scanners"),
        _row("---", "---", "---", "---"),
    ]
    for finding in worst:
        title = escape_markdown(finding.title, limit=160)
        rule = escape_markdown(finding.rule_id, limit=80)
        rows.append(
            _row(
                finding.severity.value,
                f"{title} ({rule})" if rule and rule not in title else title,
                _location(finding),
                escape_markdown(", ".join(finding.scanners), limit=80),
            )
        )
    return "\n".join(rows)


def _location(finding: Finding) -> str:
    if finding.kind is Kind.DEPENDENCY and finding.package:
        package = f"{finding.package} {finding.version or ''}".strip()
        where = f"{package} ({finding.path})" if finding.path else package
    elif finding.path and finding.start_line:
        where = f"{finding.path}:{finding.start_line}"
    else:
        where = finding.path or "?"
    return escape_markdown(where, limit=120)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"
