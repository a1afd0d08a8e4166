"""Tests for gates.reports.markdown: the summary for merge-request comments and chats."""

from __future__ import annotations

import html5lib
import pytest
from markdown_it import MarkdownIt

from gates.model import Finding, GateResult, Kind, Severity
from gates.reports.markdown import TOP_FINDINGS, MarkdownReport, escape_markdown
from gates.reports.sanitize import one_line
from tests.reports.conftest import realistic_runs, result_for

# CommonMark with raw HTML allowed, plus GFM tables and strikethrough: what GitLab and
# GitHub render, minus their own sanitizers, so escaping alone must keep text inert.
_RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_HTML_NS = "{http://www.w3.org/1999/xhtml}"


def render(result: GateResult) -> str:
    return MarkdownReport().render(result)


def html_of(markdown: str):
    return html5lib.parse(_RENDERER.render(markdown))


def tags(tree) -> list[str]:
    return [element.tag.removeprefix(_HTML_NS) for element in tree.iter()]


def test_verdict_and_reasons_come_first(realistic_result):
    """The summary opens with the verdict, then one line per failed check."""
    text = render(realistic_result)
    assert text.startswith("## ❌ Security gate failed\n")
    reasons = text.index("**Why it failed:**")
    assert reasons < text.index("### Budget") < text.index("### Scanners")
    assert text.index("### Scanners") < text.index("### Top findings")
    for reason in realistic_result.reasons:
        assert f"- **{escape_markdown(reason.check)}**: {escape_markdown(reason.message)}" in text


def test_passing_run_says_so_and_lists_no_findings(empty_result):
    """A clean run is a pass with every check within budget and no findings."""
    text = render(empty_result)
    assert text.startswith("## ✅ Security gate passed\n")
    assert "Every check is within its budget." in text
    assert "No findings." in text and "❌" not in text


def test_tables_hold_budget_scanners_and_findings(realistic_result):
    """The rendered summary has the budget, scanner and findings tables, cell for cell."""
    tree = html_of(render(realistic_result))
    tables = tree.findall(f".//{_HTML_NS}table")
    assert len(tables) == 3
    budget, scanners, findings = (
        [[cell.text or "" for cell in row] for row in table.iter(f"{_HTML_NS}tr")]
        for table in tables
    )
    assert budget[0] == ["Check", "Budget", "Actual", "Result"]
    assert ["coverage", "at least 25%", "20% (coverage.xml)", "❌ fail"] in budget
    # an optional scanner that did not finish is shown as not counted, never as a pass
    assert ["scanner:safety", "optional, ok", "unavailable", "⚠️ not counted (optional)"] in budget
    assert [row[0] for row in scanners[1:]] == [run.name for run in realistic_result.scanners]
    assert scanners[4][2] == "❌ failed" and "database download failed" in scanners[4][5]
    assert len(findings) == 1 + len(realistic_result.findings)
    assert findings[1][0] == "critical"
    assert "requests 2.30.0" in [row[2] for row in findings]
    assert "app/db.py:42" in [row[2] for row in findings]


def test_top_findings_stop_at_the_limit():
    """Only the worst TOP_FINDINGS findings are listed, and the summary says so."""
    many = tuple(
        Finding(
            ("bandit",),
            f"B{n}",
            f"issue {n}",
            Severity.LOW,
            Kind.CODE,
            path="a.py",
            start_line=n + 1,
            fingerprint=f"{n:032d}",
        )
        for n in range(TOP_FINDINGS + 5)
    )
    text = render(result_for(many, realistic_runs()))
    assert f"The {TOP_FINDINGS} worst of {TOP_FINDINGS + 5}" in text
    assert "issue 19" in text and "issue 20" not in text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "</script><img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "![pixel](http://tracker.example/p.png)",
        "| a | b |",
        "`code` *em* _em_ ~~del~~ **strong**",
        "# heading",
        "1. item",
        "- item",
        "&lt;b&gt; &#60;script&#62;",
        "\\[x\\](y) \\",
        "]]> \x1b[31mred\x1b[0m \x00 \x07",
    ],
)
def test_escaped_text_renders_as_itself(text):
    """Escaped scanner text renders as one plain paragraph showing the same characters."""
    tree = html_of(escape_markdown(text))
    assert tags(tree) == ["html", "head", "body", "p"]
    shown = "".join(tree.itertext()).rstrip("\n")
    assert shown.replace("\u200b", "") == one_line(text)


def test_mentions_do_not_notify():
    """An @mention in scanner text is broken by a zero-width space."""
    assert "@all" not in escape_markdown("ping @all and @admin")
    assert escape_markdown("ping @all").replace("\u200b", "") == "ping @all"


def test_hostile_text_is_inert(hostile_result):
    """Hostile text adds no element, no cell and no control character to the summary."""
    text = render(hostile_result)
    assert "<" not in text and "\x1b" not in text and "\x00" not in text
    assert "@all" not in text
    tree = html_of(text)
    assert set(tags(tree)) <= {
        "html",
        "head",
        "body",
        "h2",
        "h3",
        "p",
        "strong",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    for table in tree.findall(f".//{_HTML_NS}table"):
        rows = [list(row) for row in table.iter(f"{_HTML_NS}tr")]
        assert all(len(row) == len(rows[0]) for row in rows)
    # The 100 KB title is cut to a table cell's worth.
    assert max(len(line) for line in text.splitlines()) < 2_000
