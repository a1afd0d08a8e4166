"""Tests for gates.policy: the one place the verdict is made."""

from __future__ import annotations

from gates.config import GateConfig
from gates.model import Coverage, Finding, Kind, ScannerRun, Severity, Status
from gates.policy import decide

COVERED = Coverage(percent=80.0, report="coverage.xml")


def finding(severity: Severity, n: int = 0) -> Finding:
    return Finding(("bandit",), f"R{n}", "t", severity, Kind.CODE, path="a.py", start_line=n + 1)


def ok_runs(*names: str) -> list[ScannerRun]:
    return [ScannerRun(name, Status.OK) for name in names]


def checks_failed(reasons) -> list[str]:
    return [reason.check for reason in reasons]


def test_defaults_pass_at_the_edge_of_every_budget():
    """0 critical, 4 high and 9 medium findings are exactly within the default budgets."""
    findings = [finding(Severity.HIGH, i) for i in range(4)] + [
        finding(Severity.MEDIUM, i) for i in range(9)
    ]
    _, reasons = decide(findings, ok_runs("bandit"), COVERED, GateConfig(required=("bandit",)))
    assert reasons == ()


def test_one_over_each_budget_fails_with_a_reason_per_check():
    """One critical, five high and ten medium findings fail three checks, each named."""
    findings = (
        [finding(Severity.CRITICAL)]
        + [finding(Severity.HIGH, i) for i in range(5)]
        + [finding(Severity.MEDIUM, i) for i in range(10)]
    )
    _, reasons = decide(findings, ok_runs("bandit"), COVERED, GateConfig(required=("bandit",)))
    assert checks_failed(reasons) == ["critical", "high", "medium"]
    assert "5 high" in reasons[1].message and "at most 4" in reasons[1].message


def test_unknown_severity_counts_as_high_by_default():
    """Five findings without severity exceed the high budget and the reason says why."""
    findings = [finding(Severity.UNKNOWN, i) for i in range(5)]
    _, reasons = decide(findings, [], COVERED, GateConfig(required=()))
    assert checks_failed(reasons) == ["high"]
    assert "without a severity" in reasons[0].message


def test_unknown_severity_level_is_configurable():
    """With unknown-severity = low, unknown findings no longer touch the high budget."""
    findings = [finding(Severity.UNKNOWN, i) for i in range(5)]
    config = GateConfig(required=(), unknown_severity=Severity.LOW)
    assert decide(findings, [], COVERED, config)[1] == ()


def test_required_scanner_not_ok_fails_with_its_name_and_reason():
    """A required scanner that is incomplete fails the gate, naming it and the reason."""
    runs = [ScannerRun("pip-audit", Status.INCOMPLETE, message="12 dependencies skipped")]
    _, reasons = decide([], runs, COVERED, GateConfig(required=("pip-audit",)))
    assert checks_failed(reasons) == ["scanner:pip-audit"]
    assert "pip-audit is required but incomplete: 12 dependencies skipped" == reasons[0].message


def test_optional_scanner_not_ok_does_not_fail():
    """An optional scanner that is unavailable is reported but does not fail the gate."""
    runs = [ScannerRun("kubesec", Status.UNAVAILABLE, message="not installed")]
    checks, reasons = decide([], runs, COVERED, GateConfig(required=(), optional=("kubesec",)))
    assert reasons == ()
    assert [c.actual for c in checks if c.check == "scanner:kubesec"] == ["unavailable"]


def test_missing_coverage_fails_unless_switched_off():
    """No coverage report fails the coverage check; switching coverage off removes it."""
    missing = Coverage(percent=None, report=None, message="no coverage report found")
    assert checks_failed(decide([], [], missing, GateConfig(required=()))[1]) == ["coverage"]
    off = GateConfig(required=(), coverage_enabled=False)
    assert decide([], [], missing, off)[1] == ()


def test_coverage_below_minimum_fails():
    """24.9% coverage is below the default minimum of 25%."""
    low = Coverage(percent=24.9, report="coverage.xml")
    _, reasons = decide([], [], low, GateConfig(required=()))
    assert reasons[0].message == "coverage is 24.9%, below the minimum of 25%"
