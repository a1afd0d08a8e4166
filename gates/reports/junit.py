"""`junit.xml`: the gate's checks and the scanners' health as JUnit XML, for GitLab.

Two test suites. `gates checks` has one test case per gate check (each budget, coverage,
each scanner's check), failing with the check's `Reason`. `gates scanners` has one per
scanner: an error if the scanner did not finish `ok` and that fails the gate, skipped
(with the reason) if it did not but is optional or was skipped, a pass otherwise.

Quirks that matter:

- GitLab does no schema validation. It reads each test case's name, classname and time
  and the *content* of `failure`, `error` and `skipped`, not their `message` attribute,
  so the reason is both the message and the first line of the content. The merge-request
  widget lists failed test cases by name: a check's name carries its budget ("high: at
  most 4") and stays stable from run to run, as GitLab keys test history on it.
- The file is valid against both the Jenkins xunit `junit-10.xsd` and the stricter Ant
  schema (windyroad `JUnit.xsd`). junit-xml builds each suite; this module then drops the
  `disabled` attribute neither schema declares and the `type` of `skipped`, writes times
  with three decimals, gives every test case a time, keeps `properties` first and the
  suite's `system-out`/`system-err` last, and sets the suite attributes the Ant schema
  requires. It does not use junit-xml's `to_xml_report_string`, which adds attributes
  the schemas reject and re-parses the text through minidom.
- junit-xml strips only some of the characters XML forbids, silently. All text passes
  through `sanitize` first, so ANSI escapes and NUL show as visible escapes; the XML
  writer escapes markup.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET  # nosec B405 - builds XML from our own data, parses none
from collections import defaultdict
from typing import ClassVar

from junit_xml import TestCase, TestSuite

from gates.model import CheckOutcome, GateResult, ScannerRun
from gates.reports.interface import ReportRenderer
from gates.reports.sanitize import one_line, visible

CHECKS_CLASS = "gates.checks"
SCANNERS_CLASS = "gates.scanners"
_MAX_DETAILS = 50


class JunitReport(ReportRenderer):
    """Renders gate checks and scanner health as JUnit XML (see `ReportRenderer`)."""

    filename: ClassVar[str] = "junit.xml"

    def render(self, result: GateResult) -> str:
        suites = [
            ("gates checks", _check_cases(result), _verdict_text(result)),
            ("gates scanners", _scanner_cases(result), _scanners_text(result)),
        ]
        root = ET.Element("testsuites")
        for number, (name, cases, stdout) in enumerate(suites):
            suite = TestSuite(
                name,
                cases,
                # The Ant schema requires a host; the gate does not record where it ran.
                hostname="localhost",
                id=str(number),
                package="gates",
                timestamp=_timestamp(result.generated_at),
                properties=_properties(result),
                stdout=stdout,
            )
            root.append(_conform(suite.build_xml_doc()))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _check_cases(result: GateResult) -> list[TestCase]:
    reasons: dict[str, list[str]] = defaultdict(list)
    for reason in result.reasons:
        reasons[reason.check].append(reason.message)

    cases = []
    for check in result.checks:
        case = TestCase(_check_name(check), classname=CHECKS_CLASS)
        if not check.passed:
            why = reasons.pop(check.check, []) or [
                f"{check.check}: {check.actual}, the budget allows {check.budget}"
            ]
            _fail(case, why, [f"budget: {check.budget}", f"actual: {check.actual}"])
        cases.append(case)
    # A reason without a check row still fails the gate, so it still fails a test case.
    for check_name, messages in reasons.items():
        case = TestCase(one_line(check_name, limit=200) or "gate", classname=CHECKS_CLASS)
        _fail(case, messages, [])
        cases.append(case)
    return cases


def _check_name(check: CheckOutcome) -> str:
    return one_line(f"{check.check}: {check.budget}", limit=200)


def _fail(case: TestCase, messages: list[str], details: list[str]) -> None:
    case.add_failure_info(
        message=one_line("; ".join(messages), limit=1000),
        output=visible("\n".join([*messages, *details])),
        failure_type="gate",
    )


def _scanner_cases(result: GateResult) -> list[TestCase]:
    failed_checks = {check.check for check in result.checks if not check.passed}
    known_checks = {check.check for check in result.checks}
    cases = []
    for run in result.scanners:
        case = TestCase(
            one_line(run.name, limit=200) or "scanner",
            classname=SCANNERS_CLASS,
            elapsed_sec=run.duration_s,
        )
        if not run.ok:
            check = f"scanner:{run.name}"
            summary = f"{run.name} {run.status.value}: {run.message or 'no detail given'}"
            if check in failed_checks or check not in known_checks:
                case.add_error_info(
                    message=one_line(summary, limit=1000),
                    output=visible("\n".join([summary, *_run_details(run)])),
                    error_type=run.status.value,
                )
            else:
                note = f"not counted by the gate: {summary}"
                case.add_skipped_info(
                    message=one_line(note, limit=1000),
                    output=visible("\n".join([note, *_run_details(run)])),
                )
        cases.append(case)
    return cases


def _run_details(run: ScannerRun) -> list[str]:
    details = [*run.warnings, *(f"not scanned: {item}" for item in run.not_scanned)]
    if len(details) > _MAX_DETAILS:
        more = len(details) - _MAX_DETAILS
        details = [*details[:_MAX_DETAILS], f"{more} more, in findings.json"]
    return details


def _verdict_text(result: GateResult) -> str:
    lines = [f"gate: {result.verdict}"]
    lines += [f"{reason.check}: {reason.message}" for reason in result.reasons]
    return visible("\n".join(lines))


def _scanners_text(result: GateResult) -> str:
    lines = [
        f"{run.name} {run.version or '(version unknown)'}: {run.status.value}, "
        f"{run.finding_count} finding(s), {run.duration_s:.1f}s"
        for run in result.scanners
    ]
    return visible("\n".join(lines) or "no scanner ran")


def _properties(result: GateResult) -> dict[str, str]:
    return {
        "target": one_line(result.target, limit=200),
        "verdict": result.verdict,
        "gates.version": one_line(result.tool_version, limit=60),
        "config": one_line(result.config_source, limit=200),
    }


def _conform(suite: ET.Element) -> ET.Element:
    """Make junit-xml's suite valid against the Jenkins and the Ant JUnit schemas."""
    suite.attrib.pop("disabled", None)
    suite.set("time", f"{float(suite.get('time') or 0):.3f}")
    for case in suite.iter("testcase"):
        case.set("time", f"{float(case.get('time') or 0):.3f}")
    for skipped in suite.iter("skipped"):
        skipped.attrib.pop("type", None)
    # The Ant schema wants both output elements, after the test cases.
    for tag in ("system-out", "system-err"):
        node = suite.find(tag)
        if node is None:
            node = ET.Element(tag)
        else:
            suite.remove(node)
        suite.append(node)
    return suite


def _timestamp(generated_at: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(generated_at)
    except ValueError:
        # Only a hand-built result lacks a time; the Ant schema still requires one.
        moment = datetime.datetime.now(datetime.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
