"""The report family: one renderer per output format, behind `interface.ReportRenderer`.

`REPORTS` lists every file format a gate run writes; the terminal summary is printed,
not written, and lives in `terminal`.
"""

from __future__ import annotations

from gates.reports.codequality import CodeQualityReport
from gates.reports.findings_json import FindingsJsonReport
from gates.reports.gitlab import GitLabDependencyScanningReport, GitLabSastReport
from gates.reports.html import HtmlReport
from gates.reports.interface import ReportRenderer
from gates.reports.junit import JunitReport
from gates.reports.markdown import MarkdownReport
from gates.reports.sarif import SarifReport

REPORTS: dict[str, type[ReportRenderer]] = {
    "json": FindingsJsonReport,
    "html": HtmlReport,
    "sarif": SarifReport,
    "gitlab-sast": GitLabSastReport,
    "gitlab-dependency-scanning": GitLabDependencyScanningReport,
    "codequality": CodeQualityReport,
    "junit": JunitReport,
    "markdown": MarkdownReport,
}
