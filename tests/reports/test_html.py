"""Tests for gates.reports.html: the release-readiness page a release manager signs off from."""

from __future__ import annotations

import html5lib
import pytest

from gates.model import GateResult
from gates.reports.html import HtmlReport
from tests.reports.conftest import HOSTILE

_NS = "{http://www.w3.org/1999/xhtml}"


def render(result: GateResult) -> str:
    return HtmlReport().render(result)


def text_of(page: str) -> str:
    """What a reader sees: the text of the parsed page, markup gone."""
    return "".join(html5lib.parse(page).itertext())


def test_the_verdict_and_its_reasons_come_before_everything_else(realistic_result):
    """The page leads with FAIL and one line per failed check, before the budget table."""
    page = text_of(render(realistic_result))
    assert page.index("FAIL") < page.index("Budgets and checks") < page.index("Scanners")
    for reason in realistic_result.reasons:
        assert reason.check in page[: page.index("Budgets and checks")]


def test_an_optional_scanner_that_did_not_finish_earns_no_pass(realistic_result):
    """safety (optional, unavailable) is shown as not counted, never as passed."""
    tree = html5lib.parse(render(realistic_result))
    rows = {
        cells[0]: cells[-1]
        for row in tree.iter(f"{_NS}tr")
        if (cells := ["".join(cell.itertext()).strip() for cell in row])
    }
    assert rows["scanner:safety"] == "not counted (optional)"
    assert rows["scanner:bandit"] == "passed"
    assert rows["scanner:trivy"] == "not counted (optional)"
    assert rows["scanner:pip-audit"] == "FAILED"


def test_a_scanner_s_notes_are_shown(realistic_result):
    """A scanner's warnings (what it left out, what it merged) reach the page."""
    assert "torch: not found on PyPI" in text_of(render(realistic_result))


def test_a_passing_run_says_every_check_passed(empty_result):
    """A clean run reads PASS and lists no findings."""
    page = text_of(render(empty_result))
    assert "PASS" in page and "Every check passed" in page


@pytest.mark.parametrize("marker", ["<script>", "</script><script>", "<b>bold</b>"])
def test_hostile_text_is_shown_as_text_never_as_markup(hostile_result, marker):
    """Finding, scanner and target text with HTML in it is escaped: no script or bold element
    appears, and the page loads nothing from anywhere."""
    page = render(hostile_result)
    tree = html5lib.HTMLParser(strict=False).parse(page)
    tags = {
        element.tag.removeprefix(_NS) for element in tree.iter() if isinstance(element.tag, str)
    }
    assert not {"script", "b", "img", "iframe"} & tags
    assert marker not in page
    assert "\x1b" not in page and "\x00" not in page
    assert "alert(1)" in text_of(page)
    assert HOSTILE[:8] in text_of(page)
