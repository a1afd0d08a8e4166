"""Tests for gates.scanners.semgrep: both severity scales, CWE lists, errors that leave gaps."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from gates.errors import ConfigError, ReportError
from gates.inventory import take_inventory
from gates.model import Severity
from gates.pipeline import rules_dir
from gates.scanners.interface import ScanContext
from gates.scanners.semgrep import SemgrepAdapter, first_sentence, rule_files, semgrep_severity


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


@pytest.mark.parametrize(
    ("message", "title"),
    [
        (
            "Runs a script (`curl ... | sh`) as it comes. Pin it.",
            "Runs a script (`curl ... | sh`) as it comes",
        ),
        ("Hash with e.g. argon2. Never sha256.", "Hash with e.g. argon2"),
        ("One sentence without a stop", "One sentence without a stop"),
    ],
)
def test_a_title_is_the_message_s_first_whole_sentence(message, title):
    """A finding's title is its message's first sentence, not cut at an ellipsis."""
    assert first_sentence(message) == title


# --- local rules beside the pack ---------------------------------------------------------


def _rule(rule_id: str) -> str:
    return (
        f"  - id: {rule_id}\n    languages: [python]\n    severity: INFO\n    message: m\n"
        "    pattern: never_called()\n"
    )


def _command(target: Path, *rules: str):
    context = ScanContext(
        target=target,
        inventory=take_inventory(target, ()),
        executable=Path("semgrep"),
        options={"rules": list(rules)},
        rules_dir=rules_dir(),
    )
    return SemgrepAdapter().command(context)


@pytest.fixture
def rules_target(tmp_path: Path) -> Path:
    """A target with one Python file and an empty local rule folder."""
    (tmp_path / "myrules").mkdir()
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def test_local_rule_with_a_pack_rule_s_id_is_refused(rules_target):
    """A local rule reusing a pack rule's id would replace it: refused, naming id and file."""
    (rules_target / "myrules" / "x.yaml").write_text(
        "rules:\n" + _rule("my.own-rule") + _rule("gates.python.pickle-request-data")
    )
    with pytest.raises(ConfigError) as raised:
        _command(rules_target, "myrules/")
    message = str(raised.value)
    assert "'gates.python.pickle-request-data'" in message and "myrules/x.yaml" in message


def test_local_rule_under_the_reserved_prefix_is_refused(rules_target):
    """An id under `gates.` (in any case) is the pack's, even for a rule the pack lacks."""
    (rules_target / "myrules" / "deep" / ".hidden").mkdir(parents=True)
    (rules_target / "myrules" / "deep" / ".hidden" / "r.yml").write_text(
        "rules:\n" + _rule("GATES.python.brand-new")
    )
    with pytest.raises(ConfigError, match=r"'GATES\.python\.brand-new' in myrules/deep"):
        _command(rules_target, "myrules")


def test_local_json_rule_file_named_directly_is_checked(rules_target):
    """A rule file named directly is read whatever its suffix, JSON as JSON."""
    rules = {"rules": [{"id": "gates.python.unsafe-deserialization", "pattern": "x"}]}
    (rules_target / "rules.json").write_text("\t" + json.dumps(rules))
    with pytest.raises(ConfigError, match=r"unsafe-deserialization' in rules\.json"):
        _command(rules_target, "rules.json")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("rules:\n  - id: [unclosed\n", "cannot be parsed"),
        ("just: text\n", "has no 'rules' list"),
        ("", "has no 'rules' list"),
        ("rules:\n  - languages: [python]\n", "rule 1 in the semgrep rule file"),
        ("rules:\n  - id: 7\n", "has no id"),
        ("rules: !!python/object:os.system\n", "cannot be parsed"),
    ],
)
def test_local_rule_file_that_cannot_be_read_as_rules_is_refused(rules_target, content, expected):
    """A local rule file that is not valid YAML, holds no rules or a rule without id is refused."""
    (rules_target / "myrules" / "bad.yaml").write_text(content)
    with pytest.raises(ConfigError, match=expected) as raised:
        _command(rules_target, "myrules/")
    assert "myrules/bad.yaml" in str(raised.value)


def test_local_rules_with_their_own_ids_run_beside_the_pack(rules_target):
    """Local rules with ids of their own are passed to semgrep after the pack, not instead."""
    (rules_target / "myrules" / "x.yaml").write_text("rules:\n" + _rule("acme.no-print"))
    # semgrep never loads these as rules, so they are not read either.
    (rules_target / "myrules" / "x.test.yaml").write_text("{{ not yaml")
    (rules_target / "myrules" / "x.fixed.yaml").write_text("{{ not yaml")
    (rules_target / "myrules" / "notes.md").write_text("gates.python.sql-injection")

    argv = _command(rules_target, "myrules/").argv
    configs = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--config"]
    assert configs == [str(rules_dir()), str(rules_target / "myrules")]
    assert rule_files(rules_target / "myrules") == [rules_target / "myrules" / "x.yaml"]


def test_missing_rule_pack_is_refused_even_with_local_rules(rules_target):
    """Without the pack, local rules alone would decide: the run is refused instead."""
    (rules_target / "myrules" / "x.yaml").write_text("rules:\n" + _rule("acme.no-print"))
    context = ScanContext(
        target=rules_target,
        inventory=take_inventory(rules_target, ()),
        executable=Path("semgrep"),
        options={"rules": ["myrules/"]},
        rules_dir=None,
    )
    with pytest.raises(ConfigError, match="the rule pack was not found"):
        SemgrepAdapter().command(context)
