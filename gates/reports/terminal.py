"""The short summary printed to the terminal (stderr) after a gate run."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gates.model import GateResult, Severity, Status
from gates.reports.sanitize import one_line

_STYLE = {
    Status.OK: "green",
    Status.SKIPPED: "dim",
    Status.INCOMPLETE: "yellow",
    Status.FAILED: "red",
    Status.UNAVAILABLE: "red",
}


def render_summary(result: GateResult, *, color: bool = False, width: int = 100) -> str:
    """The verdict, its reasons, the scanners' health and the worst findings, as text."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False
    )

    scanners = Table(title="Scanners", title_justify="left", expand=False)
    for column in ("scanner", "version", "status", "time", "findings", "note"):
        scanners.add_column(column, overflow="fold")
    for run in result.scanners:
        scanners.add_row(
            # Plain Text cells: anything a report supplied is shown, never read as markup.
            Text(one_line(run.name, limit=40)),
            Text(one_line(run.version or "?", limit=40)),
            Text(run.status.value, style=_STYLE[run.status]),
            f"{run.duration_s:.1f}s",
            str(run.finding_count),
            Text(one_line(run.message, limit=160)),
        )
    console.print(scanners)

    counts = ", ".join(
        f"{result.count(s)} {s.value}" for s in sorted(Severity, reverse=True) if result.count(s)
    )
    console.print(Text(f"Findings: {counts or 'none'}"))
    for finding in [f for f in result.findings if f.severity >= Severity.HIGH][:10]:
        where = (
            f"{finding.path}:{finding.start_line}"
            if finding.start_line
            else (finding.path or finding.package or "")
        )
        console.print(
            Text(
                f"  [{finding.severity.value}] {one_line(finding.title, limit=90)} "
                f"({one_line(where, limit=80)})"
            )
        )

    verdict = Text(
        f"Gate: {'PASS' if result.passed else 'FAIL'}",
        style="bold green" if result.passed else "bold red",
    )
    console.print(verdict)
    for reason in result.reasons:
        console.print(Text(f"  - {reason.check}: {one_line(reason.message, limit=400)}"))
    return buffer.getvalue()
