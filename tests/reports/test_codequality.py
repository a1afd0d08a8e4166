"""Tests for gates.reports.codequality: GitLab Code Quality entries, each one valid."""

from __future__ import annotations

import jsonschema

from gates.model import Finding, GateResult, Kind, Severity
from gates.reports.codequality import CodeQualityReport
from tests.reports.conftest import HOSTILE, assert_inert_json, realistic_runs, result_for, strings


def render(result: GateResult) -> list:
    return assert_inert_json(CodeQualityReport().render(result))


def test_every_entry_validates_against_gitlabs_codeclimate_schema(any_result, schema_errors):
    """Each entry of the realistic, empty and hostile results passes GitLab's schema."""
    document = render(any_result)
    assert isinstance(document, list)
    assert len(document) == len(any_result.findings)
    for entry in document:
        assert schema_errors(entry, "gitlab-codequality-codeclimate.json") == []


def test_entries_carry_the_fields_gitlabs_documentation_requires(realistic_result):
    """Each entry has a description, check name, fingerprint, severity, path and line."""
    for entry in render(realistic_result):
        assert entry["description"] and entry["check_name"] and entry["fingerprint"]
        assert entry["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert entry["location"]["path"]
        assert entry["location"]["lines"]["begin"] >= 1


def test_severities_map_to_code_quality_levels(realistic_result):
    """critical is a blocker, high and unknown critical, medium major, low minor, info info."""
    by_check = {entry["check_name"]: entry["severity"] for entry in render(realistic_result)}
    assert by_check == {
        "python.flask.security.injection.tainted-sql-string": "blocker",
        "aws-access-key-id": "blocker",
        "B602": "critical",
        "PYSEC-2024-1": "critical",
        "PYSEC-2023-74": "major",
        "KSV012": "minor",
        "python.lang.best-practice.open-never-closed": "info",
    }


def test_dependency_findings_without_a_place_use_line_1_of_the_manifest(realistic_result):
    """A dependency finding without path or line points at line 1 of requirements.txt."""
    by_check = {entry["check_name"]: entry for entry in render(realistic_result)}
    assert by_check["PYSEC-2023-74"]["location"] == {
        "path": "requirements.txt",
        "lines": {"begin": 1},
    }
    assert by_check["PYSEC-2024-1"]["location"]["path"] == "requirements/prod.txt"
    assert by_check["PYSEC-2023-74"]["description"].startswith("requests 2.30.0: ")


def test_fingerprints_are_unique_even_when_findings_share_one():
    """Two findings with the same fingerprint still get distinct, stable fingerprints."""
    twin = Finding(
        ("bandit",),
        "B101",
        "assert used",
        Severity.LOW,
        Kind.CODE,
        path="a.py",
        start_line=1,
        fingerprint="9" * 32,
    )
    unfingerprinted = twin.with_updates(fingerprint="", start_line=2)
    result = result_for((twin, twin.with_updates(start_line=5), unfingerprinted), realistic_runs())
    fingerprints = [entry["fingerprint"] for entry in render(result)]
    assert len(set(fingerprints)) == 3
    assert "9" * 32 in fingerprints
    assert fingerprints == [entry["fingerprint"] for entry in render(result)]


def test_no_entry_can_stop_gitlabs_parser(hostile_result, reference_schema):
    """Every hostile entry is valid, so GitLab's stop-at-first-invalid never triggers."""
    schema = reference_schema("gitlab-codequality-codeclimate.json")
    document = render(hostile_result)
    for entry in document:
        jsonschema.Draft7Validator(schema).validate(entry)
        assert "\n" not in entry["description"]
    assert HOSTILE not in strings(document)
