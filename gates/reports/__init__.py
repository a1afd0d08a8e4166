"""The report family: one renderer per output format, behind `interface.ReportRenderer`.

`REPORTS` lists every file format a gate run writes; the terminal summary is printed,
not written, and lives in `terminal`.
"""

from __future__ import annotations

from gates.reports.findings_json import FindingsJsonReport
from gates.reports.html import HtmlReport
from gates.reports.interface import ReportRenderer

REPORTS: dict[str, type[ReportRenderer]] = {
    "json": FindingsJsonReport,
    "html": HtmlReport,
}
