"""Tests for gates.reports.sarif: SARIF 2.1.0 as GitHub code scanning and IDEs read it."""

from __future__ import annotations

import re

from gates.model import GateResult
from gates.reports.sarif import FINGERPRINT_KEY, SarifReport
from tests.reports.conftest import HOSTILE, assert_inert_json, strings

# RFC 3986 characters: anything else in a URI must be percent-encoded.
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def render(result: GateResult) -> dict:
    return assert_inert_json(SarifReport().render(result))


def runs_by_tool(document: dict) -> dict[str, dict]:
    return {run["tool"]["driver"]["name"]: run for run in document["runs"]}


def test_output_validates_against_the_sarif_schema(any_result, schema_errors):
    """The realistic, empty and hostile results all render valid SARIF 2.1.0."""
    document = render(any_result)
    assert document["version"] == "2.1.0"
    assert schema_errors(document, "sarif-schema-2.1.0.json") == []


def test_every_scanner_has_a_run_even_without_findings(realistic_result, empty_result):
    """Each scanner gets one run named after it with its version, findings or not."""
    runs = runs_by_tool(render(realistic_result))
    assert list(runs) == ["bandit", "semgrep", "pip-audit", "trivy", "safety", "kubesec"]
    assert runs["bandit"]["tool"]["driver"]["version"] == "1.7.10"
    assert runs["kubesec"]["results"] == [] and runs["safety"]["results"] == []
    assert "version" not in runs["safety"]["tool"]["driver"]
    assert all(run["results"] == [] for run in render(empty_result)["runs"])


def test_scanner_that_did_not_finish_says_so_in_its_invocation(realistic_result):
    """A failed, unavailable or incomplete scanner has executionSuccessful false and a note."""
    runs = runs_by_tool(render(realistic_result))
    assert runs["bandit"]["invocations"][0]["executionSuccessful"] is True
    trivy = runs["trivy"]["invocations"][0]
    assert trivy["executionSuccessful"] is False and trivy["exitCode"] == 2
    note = trivy["toolExecutionNotifications"][0]
    assert note["level"] == "error" and "database download failed" in note["message"]["text"]
    for name in ("pip-audit", "safety", "kubesec"):
        assert runs[name]["invocations"][0]["executionSuccessful"] is False


def test_finding_of_several_scanners_is_in_its_first_scanners_run_only(realistic_result):
    """The requests finding of pip-audit and trivy appears once, under pip-audit."""
    runs = runs_by_tool(render(realistic_result))
    pip_audit = [r for r in runs["pip-audit"]["results"] if r["ruleId"] == "PYSEC-2023-74"]
    assert len(pip_audit) == 1
    assert pip_audit[0]["properties"]["scanners"] == ["pip-audit", "trivy"]
    assert all(r["ruleId"] != "PYSEC-2023-74" for r in runs["trivy"]["results"])


def test_levels_and_security_severity_follow_the_finding_severity(realistic_result):
    """critical/high/unknown are errors, medium a warning, low/info notes, scored for GitHub."""
    expected = {
        "critical": ("error", "9.5"),
        "high": ("error", "8.0"),
        "unknown": ("error", "8.0"),
        "medium": ("warning", "5.5"),
        "low": ("note", "2.0"),
        "info": ("note", "0.0"),
    }
    seen = set()
    for run in render(realistic_result)["runs"]:
        rules = run["tool"]["driver"]["rules"]
        for result in run["results"]:
            severity = result["properties"]["severity"]
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
            level, score = expected[severity]
            assert result["level"] == level
            assert rule["properties"]["security-severity"] == score
            assert 0.0 <= float(score) <= 10.0
            seen.add(severity)
    assert seen == set(expected)


def test_rules_carry_descriptions_help_and_cwe_tags(realistic_result):
    """A rule has short and full descriptions, help text, and security and CWE tags."""
    runs = runs_by_tool(render(realistic_result))
    rule = runs["semgrep"]["tool"]["driver"]["rules"][0]
    assert rule["shortDescription"]["text"] == "SQL built from request data"
    assert rule["fullDescription"]["text"] == "User input flows into a SQL string."
    assert rule["help"]["text"] == "Use bound parameters."
    assert {"security", "external/cwe/cwe-89", "external/owasp/a03:2021"} <= set(
        rule["properties"]["tags"]
    )
    rules = {rule["id"]: rule for rule in runs["pip-audit"]["tool"]["driver"]["rules"]}
    dependency = rules["PYSEC-2023-74"]
    assert dependency["help"]["text"].startswith("Upgrade requests to 2.31.0.")


def test_locations_are_relative_encoded_uris_with_a_line(realistic_result):
    """URIs are percent-encoded, relative to %SRCROOT%, and every result has a start line."""
    document = render(realistic_result)
    assert "%SRCROOT%" in document["runs"][0]["originalUriBaseIds"]
    places = {}
    for run in document["runs"]:
        for result in run["results"]:
            physical = result["locations"][0]["physicalLocation"]
            artifact = physical["artifactLocation"]
            assert artifact["uriBaseId"] == "%SRCROOT%"
            assert _URI_CHARS.fullmatch(artifact["uri"])
            places[result["ruleId"]] = (artifact["uri"], physical["region"])
    assert places["python.lang.best-practice.open-never-closed"][0] == "app/util%20with%20space.py"
    # A dependency finding without a manifest path points at line 1 of requirements.txt.
    assert places["PYSEC-2023-74"] == ("requirements.txt", {"startLine": 1})
    assert places["python.flask.security.injection.tainted-sql-string"][1]["endLine"] == 44


def test_partial_fingerprints_are_the_gates_fingerprints(realistic_result):
    """Each result carries its finding's fingerprint, so alerts survive lines moving."""
    fingerprints = [
        result["partialFingerprints"][FINGERPRINT_KEY]
        for run in render(realistic_result)["runs"]
        for result in run["results"]
    ]
    assert sorted(fingerprints) == sorted(f.fingerprint for f in realistic_result.findings)


def test_secret_snippets_are_left_out(realistic_result):
    """The snippet of a secret finding never reaches the SARIF file."""
    text = SarifReport().render(realistic_result)
    assert "AKIA" not in text
    assert "shell=True" in text


def test_hostile_text_is_inert(hostile_result):
    """Control characters are escaped, long text is cut, and messages hold no live link."""
    document = render(hostile_result)
    messages = [result["message"]["text"] for run in document["runs"] for result in run["results"]]
    messages += [
        note["message"]["text"]
        for run in document["runs"]
        for invocation in run.get("invocations", [])
        for note in invocation.get("toolExecutionNotifications", [])
    ]
    for text in messages:
        # Every bracket is escaped (an odd run of backslashes before it) and every brace
        # doubled, so no viewer reads an embedded link or a placeholder.
        assert not re.search(r"(?<!\\)(\\\\)*[\[\]]", text), text[:200]
        assert not re.search(r"(?<!\{)\{(\{\{)*(?!\{)", text), text[:200]
    assert any("\\x1b[31m" in value or "\\x1b\\[31m" in value for value in strings(document))
    assert any("naïve 日本語" in value for value in messages)
    assert all(len(value) < 30_000 for value in strings(document))
    assert HOSTILE not in strings(document)


def test_rendering_is_deterministic(realistic_result):
    """The same result renders the same bytes twice."""
    assert SarifReport().render(realistic_result) == SarifReport().render(realistic_result)
