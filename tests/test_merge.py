"""Tests for gates.merge: one flaw is one finding, whoever reports it and however named."""

from __future__ import annotations

from pathlib import Path

from gates.merge import finalize, merge
from gates.model import Finding, Kind, ScannerRun, ScanResult, Severity, Status

APP = """\
import pickle
from flask import Flask, request

app = Flask(__name__)
app.secret_key = "dev-secret-in-the-code"


@app.route("/load", methods=["POST"])
def load():
    return pickle.loads(request.data)


@app.route("/again", methods=["POST"])
def again():
    return pickle.loads(request.data)


app.run(debug=True)
"""

DOCKERFILE = "FROM python:latest\nRUN pip install flask\n"


def _target(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    return tmp_path


def _code(scanner: str, rule: str, line: int, cwe: tuple[int, ...], severity: Severity) -> Finding:
    return Finding(
        (scanner,), rule, rule, severity, Kind.CODE, path="app.py", start_line=line, cwe=cwe
    )


def _result(name: str, *findings: Finding, target: Path) -> ScanResult:
    return ScanResult(ScannerRun(name, Status.OK), finalize(findings, target))


def _merged(*results: ScanResult) -> tuple[Finding, ...]:
    findings, _ = merge(results)
    return findings


def test_two_rules_of_one_scanner_on_one_line_are_one_finding(tmp_path):
    """The pack's "pickle from the request" and "pickle at all" on line 10 merge; the
    same rule on the identical line 15 stays a finding of its own."""
    target = _target(tmp_path)
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.pickle-request-data", 10, (502,), Severity.CRITICAL),
        _code("semgrep", "gates.python.unsafe-deserialization", 10, (502,), Severity.HIGH),
        _code("semgrep", "gates.python.pickle-request-data", 15, (502,), Severity.CRITICAL),
        target=target,
    )

    findings = _merged(semgrep)

    assert sorted((f.start_line, f.rule_id) for f in findings) == [
        (10, "gates.python.pickle-request-data"),
        (15, "gates.python.pickle-request-data"),
    ]
    first = next(f for f in findings if f.start_line == 10)
    assert first.related_rules == ("gates.python.unsafe-deserialization",)
    assert first.severity is Severity.CRITICAL


def test_one_rule_matching_one_line_several_times_is_one_finding(tmp_path):
    """semgrep can match one rule at nested expressions of one line (with different
    messages); that is one flaw, counted once."""
    target = _target(tmp_path)
    matches = [
        _code("semgrep", "gates.python.unsafe-deserialization", 10, (502,), Severity.HIGH)
        for _ in range(3)
    ]
    matches = [m.with_updates(title=f"match {n}") for n, m in enumerate(matches)]

    findings = _merged(_result("semgrep", *matches, target=target))

    assert [(f.start_line, f.rule_id) for f in findings] == [
        (10, "gates.python.unsafe-deserialization")
    ]


def test_bandit_and_the_pack_naming_one_flaw_differently_are_one_finding(tmp_path):
    """bandit's B201 (CWE-94) and the pack's debug rule (CWE-489) on `app.run(debug=True)`
    merge, and so do B105 and the hard-coded key rule; the worst severity wins."""
    target = _target(tmp_path)
    bandit = _result(
        "bandit",
        _code("bandit", "B201", 18, (94,), Severity.HIGH),
        _code("bandit", "B105", 5, (259,), Severity.LOW),
        target=target,
    )
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.debug-enabled", 18, (489, 209), Severity.MEDIUM),
        _code("semgrep", "gates.python.hardcoded-secret-key", 5, (321, 798), Severity.HIGH),
        target=target,
    )

    findings = _merged(bandit, semgrep)

    assert len(findings) == 2
    assert {f.scanners for f in findings} == {("bandit", "semgrep")}
    debug = next(f for f in findings if f.start_line == 18)
    assert (debug.rule_id, debug.related_rules, debug.severity) == (
        "B201",
        ("gates.python.debug-enabled",),
        Severity.HIGH,
    )


def test_a_whole_file_check_merges_with_the_same_check_on_a_line(tmp_path):
    """trivy's DS-0002 (no line) and the pack's root-user rule (line 1) are one finding,
    which keeps the line one of them knew; DS-0001 and the digest rule merge on line 1."""
    target = _target(tmp_path)

    def config(scanner: str, rule: str, line: int | None, severity: Severity) -> Finding:
        return Finding(
            (scanner,), rule, rule, severity, Kind.CONFIGURATION, path="Dockerfile", start_line=line
        )

    trivy = _result(
        "trivy",
        config("trivy", "DS-0002", None, Severity.HIGH),
        config("trivy", "DS-0001", 1, Severity.MEDIUM),
        target=target,
    )
    semgrep = _result(
        "semgrep",
        config("semgrep", "gates.docker.root-user", 1, Severity.MEDIUM),
        config("semgrep", "gates.docker.unpinned-base-image", 1, Severity.MEDIUM).with_updates(
            cwe=(494,)
        ),
        target=target,
    )

    findings = _merged(trivy, semgrep)

    assert len(findings) == 2
    root = next(f for f in findings if f.rule_id == "DS-0002")
    assert (root.related_rules, root.start_line, root.severity) == (
        ("gates.docker.root-user",),
        1,
        Severity.HIGH,
    )


def test_different_flaws_on_one_line_stay_apart(tmp_path):
    """Two rules with different CWEs on one line are two findings."""
    target = _target(tmp_path)
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.pickle-request-data", 10, (502,), Severity.CRITICAL),
        _code("semgrep", "gates.python.admin-without-auth", 10, (306,), Severity.HIGH),
        target=target,
    )

    assert len(_merged(semgrep)) == 2
