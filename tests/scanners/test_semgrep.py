"""Tests for gates.scanners.semgrep: both severity scales, CWE lists, errors that leave gaps."""

from __future__ import annotations

from collections import Counter

import pytest

from gates.errors import ReportError
from gates.model import Severity
from gates.scanners.semgrep import SemgrepAdapter, semgrep_severity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("INFO", Severity.LOW),
        ("WARNING", Severity.MEDIUM),
        ("ERROR", Severity.HIGH),
        ("LOW", Severity.LOW),
        ("MEDIUM", Severity.MEDIUM),
        ("HIGH", Severity.HIGH),
        ("CRITICAL", Severity.CRITICAL),
        ("warning", Severity.MEDIUM),
        ("EXPERIMENT", Severity.UNKNOWN),
        ("", Severity.UNKNOWN),
        (None, Severity.UNKNOWN),
        (3, Severity.UNKNOWN),
    ],
)
def test_both_severity_scales_map_and_anything_else_is_unknown(value, expected):
    """INFO/WARNING/ERROR and LOW/MEDIUM/HIGH/CRITICAL map; other values are UNKNOWN."""
    assert semgrep_severity(value) is expected


def test_info_severity_and_cwe_list_of_strings(parse_output):
    """The old layout's INFO maps without crashing and CWE ids come out of the strings."""
    parsed, _ = parse_output(SemgrepAdapter(), "semgrep/0.96-info-severity-cwe-list.json")

    (finding,) = parsed.findings
    assert finding.severity is Severity.LOW
    assert finding.cwe == (352,)
    assert "A01:2021" in finding.owasp
    # This recording carries no `paths`: its finding counts, but it cannot show a full scan.
    assert parsed.gaps == ("semgrep's report has no 'paths': it does not show what it scanned",)
    assert parsed.scanned is None


def test_new_low_severity_scale(parse_output):
    """Results on the LOW/MEDIUM/HIGH scale are read as such."""
    parsed, _ = parse_output(SemgrepAdapter(), "semgrep/1.84-low-severity-scale.json")

    assert len(parsed.findings) == 3
    assert {f.severity for f in parsed.findings} == {Severity.LOW}
    # It lists no scanned file beside its three results: the account is not trusted.
    assert parsed.gaps == ("semgrep scanned no file: its 'paths.scanned' is empty",)


def test_critical_severity_counts_as_critical(parse_output):
    """A CRITICAL result is a critical finding."""
    parsed, _ = parse_output(SemgrepAdapter(), "semgrep/critical-severity.json")

    assert [f.severity for f in parsed.findings] == [Severity.CRITICAL]
    assert parsed.scanned == ("targets/basic.py",)
    assert parsed.gaps == ()


def test_parse_errors_keep_results_and_name_the_files_not_analysed(parse_output):
    """The 9 results are kept and each file semgrep failed to parse is named, run incomplete."""
    parsed, _ = parse_output(SemgrepAdapter(), "semgrep/1.56-results-and-parse-errors.json")

    assert len(parsed.findings) == 9
    assert Counter(f.severity for f in parsed.findings) == {
        Severity.HIGH: 1,
        Severity.MEDIUM: 6,
        Severity.LOW: 2,
    }
    assert parsed.not_scanned == ("mvnw", "gradlew", "semgrep-report.json")
    assert len(parsed.gaps) == 3
    assert "PartialParsing" in parsed.gaps[0]


def test_fatal_errors_make_the_run_incomplete(parse_output):
    """`Fatal error` entries at level error leave gaps, so the scan cannot be called clean."""
    parsed, _ = parse_output(SemgrepAdapter(), "semgrep/1.95-fatal-error-with-results.json")

    assert len(parsed.findings) == 6
    assert Counter(f.severity for f in parsed.findings) == {Severity.HIGH: 4, Severity.MEDIUM: 2}
    assert any("Fatal error" in gap for gap in parsed.gaps)
    assert "site/content/docs/5.3/examples/blog/index.html" in parsed.not_scanned


def test_error_without_path_is_a_gap_and_a_warning_only_a_note():
    """An error-level entry without a path (a bad rule) is a gap; a warning is just a note."""
    document = {
        "results": [],
        "errors": [
            {"level": "error", "type": "InvalidRuleSchemaError", "message": "bad rule"},
            {"level": "warn", "type": "SemgrepWarning", "message": "just so you know"},
        ],
        "paths": {"scanned": ["app.py"]},
    }
    parsed = SemgrepAdapter().parse(document, None)

    assert parsed.gaps == ("semgrep error (InvalidRuleSchemaError): bad rule",)
    assert parsed.notes == ("semgrep warn (SemgrepWarning): just so you know",)


@pytest.mark.parametrize(
    ("paths", "gap"),
    [
        (None, "semgrep's report has no 'paths': it does not show what it scanned"),
        ({}, "semgrep's report has no 'paths.scanned': it does not show what it read"),
        ({"scanned": []}, "semgrep scanned no file: its 'paths.scanned' is empty"),
    ],
)
def test_report_that_does_not_show_a_scanned_file_is_a_gap(paths, gap):
    """No `paths`, no `paths.scanned` or an empty one leaves a gap, whatever the target."""
    document = {"results": [], "errors": []}
    if paths is not None:
        document["paths"] = paths
    parsed = SemgrepAdapter().parse(document, None)

    assert parsed.gaps == (gap,)
    assert parsed.findings == ()


def test_report_listing_its_scanned_files_has_no_gap():
    """A clean report that lists what it scanned is complete, its paths made relative."""
    document = {"results": [], "errors": [], "paths": {"scanned": ["./app.py", "Dockerfile"]}}
    parsed = SemgrepAdapter().parse(document, None)

    assert parsed.gaps == ()
    assert parsed.scanned == ("app.py", "Dockerfile")


@pytest.mark.parametrize(
    "document",
    [
        {"errors": []},
        [],
        7,
        "results",
        {"results": None},
        {"results": [1]},
        {"results": [], "errors": [], "paths": None},
        {"results": [], "errors": [], "paths": {"scanned": "app.py"}},
    ],
)
def test_unknown_layouts_raise_report_error(document):
    """A report without a `results` list of objects, or with `paths` of another shape, is an
    error, never zero findings."""
    with pytest.raises(ReportError):
        SemgrepAdapter().parse(document, None)
