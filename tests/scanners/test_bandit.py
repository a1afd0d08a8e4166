"""Tests for gates.scanners.bandit: reading bandit's JSON reports as bandit really wrote them."""

from __future__ import annotations

from collections import Counter

import pytest

from gates.errors import ReportError
from gates.model import Kind, Severity
from gates.scanners.bandit import BanditAdapter, bandit_severity


@pytest.mark.parametrize(
    ("severity", "confidence", "expected"),
    [
        ("HIGH", "HIGH", Severity.HIGH),
        ("HIGH", "MEDIUM", Severity.HIGH),
        ("HIGH", "LOW", Severity.MEDIUM),
        ("MEDIUM", "LOW", Severity.LOW),
        ("LOW", "LOW", Severity.INFO),
        ("low", "high", Severity.LOW),
        ("UNDEFINED", "HIGH", Severity.UNKNOWN),
        ("SEVERE", "LOW", Severity.UNKNOWN),
        ("", "", Severity.UNKNOWN),
    ],
)
def test_severity_is_downgraded_one_level_for_low_confidence(severity, confidence, expected):
    """bandit's severity maps to ours, one level lower when bandit's confidence is low."""
    assert bandit_severity(severity, confidence) is expected


def test_log_lines_before_json_are_warnings_and_every_result_is_kept(parse_output):
    """Log lines before the JSON become warnings; 5 high, 4 medium, 30 low by bandit's scale."""
    parsed, document = parse_output(BanditAdapter(), "bandit/1.8.3-log-lines-before-json.json")

    assert len(document.warnings) == 4
    assert all("[main]" in line for line in document.warnings)
    assert len(parsed.findings) == 39
    assert parsed.gaps == ()
    # The one MEDIUM with low confidence counts as low here; bandit's own tally is 5/4/30.
    assert Counter(f.severity for f in parsed.findings) == {
        Severity.HIGH: 5,
        Severity.MEDIUM: 3,
        Severity.LOW: 31,
    }
    downgraded = [f for f in parsed.findings if f.confidence == "low"]
    assert [f.severity for f in downgraded] == [Severity.LOW]
    assert all(f.kind is Kind.CODE and f.start_line for f in parsed.findings)
    assert Counter(f.cwe for f in parsed.findings)[(78,)] == 17


def test_error_with_empty_filename_makes_the_run_incomplete(parse_output):
    """An `errors` entry without a file name is a gap, and the 60 results still count."""
    parsed, _ = parse_output(BanditAdapter(), "bandit/1.4.0-error-empty-filename.json")

    assert len(parsed.findings) == 60
    assert Counter(f.severity for f in parsed.findings) == {
        Severity.HIGH: 4,
        Severity.MEDIUM: 45,
        Severity.LOW: 11,
    }
    assert len(parsed.gaps) == 1
    assert "No such file or directory" in parsed.gaps[0]
    assert parsed.not_scanned == ("(no file name)",)


def test_report_with_zero_lines_of_code_is_not_a_clean_scan(parse_output):
    """No results, no errors but `loc: 0` is a gap (nothing was read), never a clean scan."""
    parsed, _ = parse_output(BanditAdapter(), "bandit/clean-but-nothing-scanned.json")

    assert parsed.findings == ()
    assert parsed.gaps == ("bandit read 0 lines of code: nothing was scanned",)
    assert parsed.scanned == ()


def test_float_metrics_and_missing_cwe_give_one_low_finding(parse_output):
    """Old float metrics parse, and a result without `issue_cwe` has no CWE."""
    parsed, _ = parse_output(BanditAdapter(), "bandit/old-float-metrics-one-issue.json")

    (finding,) = parsed.findings
    assert finding.severity is Severity.LOW
    assert finding.cwe == ()
    assert (finding.rule_id, finding.path, finding.start_line) == ("B101", "one/one.py", 2)
    assert parsed.gaps == ()
    assert parsed.scanned == ("one/one.py",)


def test_a_multi_line_finding_spans_its_whole_statement(parse_output):
    """bandit reports B602 on the `shell=True` line of a call spanning 427-432; the finding
    runs from the call's first line to its last, as bandit's own SARIF gives it."""
    parsed, _ = parse_output(BanditAdapter(), "bandit/1.8.3-log-lines-before-json.json")

    spans = sorted(
        (f.start_line, f.end_line)
        for f in parsed.findings
        if f.rule_id == "B602" and f.path == "src/platform/wsl_integration.py"
    )
    assert spans == [(101, 106), (285, 290), (427, 432)]


@pytest.mark.parametrize(
    "document",
    [{"errors": [], "metrics": {}}, 42, None, [], {"results": {"a": 1}}, {"results": ["x"]}],
)
def test_unknown_layouts_raise_report_error(document):
    """A report without a `results` list, or with results that are not objects, is an error."""
    with pytest.raises(ReportError):
        BanditAdapter().parse(document, None)
