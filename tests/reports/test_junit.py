"""Tests for gates.reports.junit: gate checks and scanner health as GitLab reads JUnit XML."""

from __future__ import annotations

import re
from dataclasses import replace
from xml.etree.ElementTree import Element

import defusedxml.ElementTree
import pytest

from gates.model import GateResult, Reason
from gates.reports.junit import CHECKS_CLASS, SCANNERS_CLASS, JunitReport
from tests.reports.conftest import HOSTILE

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(result: GateResult) -> str:
    return JunitReport().render(result)


def parse(text: str) -> Element:
    return defusedxml.ElementTree.fromstring(text.encode("utf-8"))


def cases(root: Element, classname: str) -> dict[str, Element]:
    return {
        case.get("name"): case
        for case in root.iter("testcase")
        if case.get("classname") == classname
    }


def gitlab_status(case: Element) -> str:
    """The status GitLab's parser gives a test case: the first child it finds, in its order."""
    for tag, status in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        if case.find(tag) is not None:
            return status
    return "success"


@pytest.mark.parametrize("xsd", ["junit-jenkins-xunit-junit-10.xsd", "junit-windyroad-JUnit.xsd"])
def test_output_validates_against_both_junit_schemas(xsd, any_result, xml_schema):
    """The realistic, empty and hostile results are valid for Jenkins' and Ant's XSD."""
    from lxml import etree

    schema = xml_schema(xsd)
    document = etree.fromstring(render(any_result).encode("utf-8"))
    assert schema.validate(document), schema.error_log.last_error


def test_output_is_well_formed_xml_with_suites_below_the_root(any_result):
    """The file parses, and test cases sit in suites below `testsuites`, where GitLab looks."""
    root = parse(render(any_result))
    assert root.tag == "testsuites"
    assert [suite.get("name") for suite in root] == ["gates checks", "gates scanners"]
    assert root.find("testcase") is None


def test_one_case_per_check_failing_with_its_reason(realistic_result):
    """Each gate check is a test case; a failed one carries its reason as message and text."""
    root = parse(render(realistic_result))
    checks = cases(root, CHECKS_CLASS)
    assert len(checks) == len(realistic_result.checks)
    reasons = {reason.check: reason.message for reason in realistic_result.reasons}
    for check in realistic_result.checks:
        case = checks[f"{check.check}: {check.budget}"]
        failure = case.find("failure")
        if check.passed:
            assert gitlab_status(case) == "success"
        else:
            assert gitlab_status(case) == "failed"
            assert failure.get("message") == reasons[check.check]
            # GitLab shows the element's text, not its message attribute.
            assert failure.text.splitlines()[0] == reasons[check.check]


def test_scanner_health_is_error_for_required_and_skipped_for_optional(realistic_result):
    """A required scanner that did not finish is an error, an optional one is skipped."""
    scanners = cases(parse(render(realistic_result)), SCANNERS_CLASS)
    statuses = {name: gitlab_status(case) for name, case in scanners.items()}
    assert statuses == {
        "bandit": "success",
        "semgrep": "success",
        "pip-audit": "error",
        "trivy": "skipped",
        "safety": "skipped",
        "kubesec": "skipped",
    }
    error = scanners["pip-audit"].find("error")
    assert error.get("message") == "pip-audit incomplete: 1 package could not be audited"
    assert "not scanned: torch==2.0.0+cpu" in error.text
    assert scanners["semgrep"].get("time") == "31.200"


def test_widget_lines_say_why_the_gate_failed(realistic_result):
    """Every reason appears as the first line of a failed or errored test case."""
    root = parse(render(realistic_result))
    first_lines = {
        element.text.splitlines()[0] for tag in ("failure", "error") for element in root.iter(tag)
    }
    assert {reason.message for reason in realistic_result.reasons} <= first_lines


def test_reason_without_a_check_row_still_fails_a_case(realistic_result):
    """A reason with no matching check outcome becomes a failed test case of its own."""
    extra = Reason("owasp", "A03:2021 has open findings")
    result = replace(realistic_result, reasons=(*realistic_result.reasons, extra))
    checks = cases(parse(render(result)), CHECKS_CLASS)
    assert checks["owasp"].find("failure").text == "A03:2021 has open findings"


def test_passing_run_has_no_failures(empty_result):
    """With every check passing and every scanner ok, no test case fails or errs."""
    root = parse(render(empty_result))
    assert all(gitlab_status(case) == "success" for case in root.iter("testcase"))
    names = [(case.get("classname"), case.get("name")) for case in root.iter("testcase")]
    assert len(names) == len(set(names))


def test_hostile_text_is_inert(hostile_result):
    """Hostile text stays text: no new element, no forbidden character, long text cut."""
    text = render(hostile_result)
    assert not _FORBIDDEN.search(text)
    root = parse(text)
    assert {element.tag for element in root.iter()} <= {
        "testsuites",
        "testsuite",
        "properties",
        "property",
        "testcase",
        "failure",
        "error",
        "skipped",
        "system-out",
        "system-err",
    }
    assert "</script><script>" in root.find("testsuite/system-out").text
    assert HOSTILE not in text
    assert len(text) < 100_000
