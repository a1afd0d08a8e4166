"""`report.html`: the release-readiness report a release manager signs off from.

One self-contained file (inline CSS, no scripts, no external resources) so it reads the
same in a GitLab artifact browser as on a laptop. Rendered by the one Jinja2
environment below, with autoescaping on for every template.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import ClassVar

import jinja2

from gates.model import GateResult, Severity
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import one_line, visible


def templates_dir() -> Path:
    """The templates: inside the installed package, else at the repository's top level."""
    packaged = Path(str(resources.files("gates"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment every HTML template is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["visible"] = visible
    env.filters["one_line"] = one_line
    return env


class HtmlReport(ReportRenderer):
    """Renders the release-readiness report (see `ReportRenderer`)."""

    filename: ClassVar[str] = "report.html"

    def render(self, result: GateResult) -> str:
        groups = [
            (severity, [f for f in result.findings if f.severity is severity])
            for severity in sorted(Severity, reverse=True)
        ]
        template = environment().get_template("report.html.j2")
        return template.render(
            result=result,
            groups=[(severity, items) for severity, items in groups if items],
        )
