"""Property tests: no reader crashes on any input, no renderer breaks on any text.

Every reader either normalizes a report or raises the documented `ReportError`; fed
through the runner, anything unreadable becomes a failed scan, never zero findings.
Every renderer keeps its output well-formed whatever the finding text holds.
"""

from __future__ import annotations

import json

import defusedxml.minidom
import html5lib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gates.errors import ReportError
from gates.model import (
    CheckOutcome,
    Coverage,
    Finding,
    GateResult,
    Kind,
    Reason,
    ScannerRun,
    Severity,
    Status,
)
from gates.owasp import checklist
from gates.reports import REPORTS
from gates.reports.terminal import render_summary
from gates.runner import interpret
from gates.scanners import SCANNERS

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)

# Values shaped like the reports the adapters know, so the fuzzing reaches their depths.
report_keys = st.sampled_from(
    [
        "results",
        "errors",
        "metrics",
        "paths",
        "scanned",
        "extra",
        "severity",
        "metadata",
        "dependencies",
        "vulns",
        "skip_reason",
        "name",
        "version",
        "id",
        "aliases",
        "vulnerabilities",
        "scan_results",
        "projects",
        "files",
        "Results",
        "SchemaVersion",
        "Vulnerabilities",
        "Misconfigurations",
        "Secrets",
        "Resources",
        "scoring",
        "critical",
        "fileName",
        "valid",
        "message",
        "start",
        "end",
        "line",
        "filename",
        "line_number",
    ]
)
shaped_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(report_keys, inner, max_size=5),
    max_leaves=30,
)

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(name=st.sampled_from(sorted(SCANNERS)), data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_a_reader(name, data):
    """Arbitrary bytes as a scanner's output give a result, failed unless it is a report."""
    result = interpret(SCANNERS[name](), data, target=None)
    assert result.run.status in Status
    if result.run.status is Status.FAILED:
        assert result.run.message


@PROPERTY_SETTINGS
@given(name=st.sampled_from(sorted(SCANNERS)), value=json_values | shaped_values)
def test_arbitrary_json_is_parsed_or_rejected_with_report_error(name, value):
    """Arbitrary JSON is either normalized consistently or rejected with ReportError."""
    adapter = SCANNERS[name]()
    try:
        parsed = adapter.parse(value, None)
    except ReportError:
        return
    assert all(isinstance(f, Finding) for f in parsed.findings)
    data = json.dumps(value).encode()
    result = interpret(adapter, data, target=None)
    assert result.run.status in Status


hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "</script><script>alert(1)</script>",
        "]]><x/>",
        "\x1b[31mred\x1b[0m\x07",
        "\x00nul\x0bvt\x0cff",
        "a" * 100_000,
        "| col | `code` *em* [link](javascript:x) <b>",
        "'\"&<>",
    ]
)


def hostile_result(text: str) -> GateResult:
    finding = Finding(
        scanners=("semgrep",),
        rule_id=f"rule-{text[:40]}",
        title=text,
        severity=Severity.HIGH,
        kind=Kind.CODE,
        path=f"src/{text[:60]}.py",
        start_line=3,
        end_line=4,
        cwe=(79,),
        owasp=("A03:2021",),
        description=text,
        remediation=text,
        snippet=text,
        fingerprint="0" * 32,
    )
    dependency = Finding(
        scanners=("pip-audit",),
        rule_id="PYSEC-1",
        title=text,
        severity=Severity.UNKNOWN,
        kind=Kind.DEPENDENCY,
        package=f"pkg{text[:20]}",
        version="1.0",
        identifiers=("PYSEC-1", "CVE-2020-1"),
        description=text,
        fingerprint="1" * 32,
    )
    runs = (
        ScannerRun("semgrep", Status.OK, version="1.185.0", command=("semgrep", text[:50])),
        ScannerRun("pip-audit", Status.INCOMPLETE, message=f"not verified: {text}"),
    )
    return GateResult(
        target=text[:80],
        scanners=runs,
        findings=(finding, dependency),
        coverage=Coverage(percent=None, report=None, message=text),
        checks=(CheckOutcome("high", "at most 4", "2", True),),
        reasons=(Reason("scanner:pip-audit", f"pip-audit is required but incomplete: {text}"),),
        owasp=checklist((finding, dependency), runs, {"semgrep": frozenset({"A03:2021"})}),
        tool_version="0.1.0",
        generated_at="2026-01-01T00:00:00Z",
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_every_renderer_stays_well_formed_on_hostile_text(text):
    """Whatever finding text holds, every output parses and carries no live markup."""
    result = hostile_result(text)
    for renderer_class in REPORTS.values():
        renderer = renderer_class()
        output = renderer.render(result)
        name = renderer.filename
        if name.endswith(".html"):
            html5lib.HTMLParser(strict=False).parse(output)
            assert "<script" not in output.lower()
            assert "\x1b" not in output and "\x00" not in output
        elif name.endswith((".json", ".sarif")):
            json.loads(output)
        elif name.endswith(".xml"):
            defusedxml.minidom.parseString(output.encode("utf-8"))
        elif name.endswith(".md"):
            assert "\x1b" not in output and "<script" not in output.lower()
    summary = render_summary(result)
    assert "\x1b" not in summary and "\x00" not in summary
