"""Tests for gates.reports.gitlab: GitLab's SAST and dependency-scanning reports, 15.2.1."""

from __future__ import annotations

import re
import uuid

import pytest

from gates.model import GateResult, ScannerRun, Status
from gates.reports.gitlab import GitLabDependencyScanningReport, GitLabSastReport
from tests.reports.conftest import HOSTILE, assert_inert_json, result_for, strings

SAST = (GitLabSastReport, "sast-report-format.json")
DEPENDENCY = (GitLabDependencyScanningReport, "dependency-scanning-report-format.json")


def sast(result: GateResult) -> dict:
    return assert_inert_json(GitLabSastReport().render(result))


def dependency_scanning(result: GateResult) -> dict:
    return assert_inert_json(GitLabDependencyScanningReport().render(result))


@pytest.mark.parametrize(("renderer", "schema"), [SAST, DEPENDENCY])
def test_output_validates_against_gitlabs_schema(renderer, schema, any_result, schema_errors):
    """The realistic, empty and hostile results all render valid 15.2.1 reports."""
    document = assert_inert_json(renderer().render(any_result))
    assert document["version"] == "15.2.1"
    assert schema_errors(document, schema) == []


def test_each_report_holds_only_its_kinds(realistic_result):
    """Code, configuration and secrets go to SAST; dependencies to dependency scanning."""
    sast_names = {v["name"] for v in sast(realistic_result)["vulnerabilities"]}
    dependency_names = {v["name"] for v in dependency_scanning(realistic_result)["vulnerabilities"]}
    assert sast_names == {
        "SQL built from request data",
        "subprocess call with shell=True",
        "Container may run as root",
        "AWS access key",
        "File opened and never closed",
    }
    assert dependency_names == {
        "requests leaks Proxy-Authorization headers",
        "jinja2 sandbox escape",
    }


def test_severities_map_to_gitlabs_names(realistic_result):
    """Each severity becomes GitLab's capitalized name, unknown staying Unknown."""
    severities = {
        v["name"]: v["severity"]
        for v in sast(realistic_result)["vulnerabilities"]
        + dependency_scanning(realistic_result)["vulnerabilities"]
    }
    assert severities["SQL built from request data"] == "Critical"
    assert severities["subprocess call with shell=True"] == "High"
    assert severities["requests leaks Proxy-Authorization headers"] == "Medium"
    assert severities["Container may run as root"] == "Low"
    assert severities["File opened and never closed"] == "Info"
    assert severities["jinja2 sandbox escape"] == "Unknown"


def test_ids_are_uuid5_of_the_fingerprint_and_stable(realistic_result):
    """Every id is a UUID 5, unique in its report and the same on every render."""
    first = [v["id"] for v in sast(realistic_result)["vulnerabilities"]]
    again = [v["id"] for v in sast(realistic_result)["vulnerabilities"]]
    assert first == again and len(set(first)) == len(first)
    assert all(uuid.UUID(value).version == 5 for value in first)


def test_identifiers_put_the_rule_first_then_advisories_and_cwe(realistic_result):
    """The primary identifier is the rule; CVE, GHSA, PYSEC and CWE follow with links."""
    by_name = {v["name"]: v for v in dependency_scanning(realistic_result)["vulnerabilities"]}
    identifiers = by_name["requests leaks Proxy-Authorization headers"]["identifiers"]
    assert [i["type"] for i in identifiers] == ["pysec", "cve", "ghsa"]
    assert identifiers[1]["url"] == "https://www.cve.org/CVERecord?id=CVE-2023-32681"
    sql = next(
        v
        for v in sast(realistic_result)["vulnerabilities"]
        if v["name"] == "SQL built from request data"
    )
    types = [(i["type"], i["value"]) for i in sql["identifiers"]]
    assert types[0] == ("semgrep_id", "python.flask.security.injection.tainted-sql-string")
    assert ("cwe", "89") in types and ("owasp", "A03:2021") in types


def test_locations_name_file_and_lines_or_the_dependency(realistic_result):
    """SAST locations carry file and lines; dependency ones a manifest and the package."""
    sql = next(
        v
        for v in sast(realistic_result)["vulnerabilities"]
        if v["name"] == "SQL built from request data"
    )
    assert sql["location"] == {"file": "app/db.py", "start_line": 42, "end_line": 44}
    by_name = {v["name"]: v for v in dependency_scanning(realistic_result)["vulnerabilities"]}
    assert by_name["requests leaks Proxy-Authorization headers"]["location"] == {
        "file": "requirements.txt",
        "dependency": {"package": {"name": "requests"}, "version": "2.30.0"},
    }
    assert by_name["jinja2 sandbox escape"]["location"]["file"] == "requirements/prod.txt"
    assert (
        "Upgrade requests to 2.31.0."
        in by_name["requests leaks Proxy-Authorization headers"]["solution"]
    )


def test_scan_status_fails_when_a_scanner_of_its_kind_did_not_finish(realistic_result):
    """A failed or incomplete scanner makes its report's scan a failure, with messages."""
    scan = dependency_scanning(realistic_result)["scan"]
    assert scan["status"] == "failure"
    levels = {m["value"].split(" ")[0]: m["level"] for m in scan["messages"]}
    assert levels == {"pip-audit": "warn", "trivy": "fatal", "safety": "fatal"}
    sast_levels = {m["value"].split(" ")[0] for m in sast(realistic_result)["scan"]["messages"]}
    # trivy and kubesec can report SAST kinds; pip-audit and safety cannot.
    assert sast_levels == {"trivy", "kubesec"}


def test_scan_status_is_success_when_every_scanner_finished(empty_result):
    """With every scanner ok, both scans succeed and carry no messages."""
    for document in (sast(empty_result), dependency_scanning(empty_result)):
        assert document["scan"]["status"] == "success"
        assert document["scan"]["messages"] == []
        assert document["vulnerabilities"] == []


def test_scan_without_any_scanner_of_its_kind_is_a_failure():
    """No dependency scanner at all is not a clean dependency scan."""
    result = result_for((), (ScannerRun("bandit", Status.OK, version="1.7.10"),))
    scan = dependency_scanning(result)["scan"]
    assert scan["status"] == "failure"
    assert scan["messages"] == [{"level": "warn", "value": "no dependency_scanning scanner ran"}]
    assert sast(result)["scan"]["status"] == "success"


def test_scan_times_have_no_zone_and_span_the_longest_scanner(realistic_result):
    """The scan ends when the gate decided and starts the longest scanner's time before."""
    scan = dependency_scanning(realistic_result)["scan"]
    assert scan["end_time"] == "2026-01-31T10:00:00"
    assert scan["start_time"] == "2026-01-31T09:59:20"
    assert (
        scan["analyzer"]["id"] == "gates" and scan["scanner"]["id"] == "gates-dependency-scanning"
    )


def test_hostile_text_is_inert(hostile_result):
    """Markdown fields are escaped, the name stays within 255 characters, nothing is raw."""
    vulnerabilities = (
        sast(hostile_result)["vulnerabilities"]
        + dependency_scanning(hostile_result)["vulnerabilities"]
    )
    for vulnerability in vulnerabilities:
        assert len(vulnerability["name"]) <= 255
        for field in ("description", "solution"):
            text = vulnerability[field]
            assert "<" not in text and ">" not in text
            assert not re.search(r"(?<!\\)[\[\]`*|]", text.replace("\\\\", "")), text[:200]
            assert "@all" not in text
    everything = list(strings(sast(hostile_result))) + list(
        strings(dependency_scanning(hostile_result))
    )
    assert HOSTILE not in everything
    # Only exact advisory ids get a link.
    urls = [value for value in everything if value.startswith("http")]
    assert all(re.fullmatch(r"https://[\w./?=:-]+", url) for url in urls), urls
