"""The gate's decision, made in one place.

Checks, in the order the report lists them:

- one per budgeted severity: the number of findings at that severity must not exceed
  its budget (`unknown` findings count at the configured level, high by default);
- `coverage`: the measured coverage must reach the minimum, and a missing or unreadable
  report fails the check unless coverage is switched off;
- `scanner:<name>`: every required scanner must have run completely (`ok`). An optional
  scanner that did not is shown but does not fail the gate.

The verdict is "pass" exactly when no check failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from gates.config import GateConfig
from gates.model import CheckOutcome, Coverage, Finding, Reason, ScannerRun, Severity, Status

_BUDGET_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)


def effective_severity(finding: Finding, config: GateConfig) -> Severity:
    """The severity a finding counts at: its own, or the configured level if unknown."""
    return config.unknown_severity if finding.severity is Severity.UNKNOWN else finding.severity


def decide(
    findings: Iterable[Finding],
    runs: Sequence[ScannerRun],
    coverage: Coverage,
    config: GateConfig,
) -> tuple[tuple[CheckOutcome, ...], tuple[Reason, ...]]:
    """Every check's outcome, and a reason for each one that failed."""
    findings = list(findings)
    counts = Counter(effective_severity(f, config) for f in findings)
    unknown = sum(1 for f in findings if f.severity is Severity.UNKNOWN)
    checks: list[CheckOutcome] = []
    reasons: list[Reason] = []

    for level in _BUDGET_ORDER:
        if level not in config.budgets:
            continue
        budget, actual = config.budgets[level], counts[level]
        passed = actual <= budget
        checks.append(CheckOutcome(level.value, f"at most {budget}", str(actual), passed))
        if not passed:
            extra = ""
            if unknown and level is config.unknown_severity:
                extra = f", of which {unknown} without a severity counted as {level.value}"
            reasons.append(
                Reason(
                    level.value,
                    f"{actual} {level.value} finding(s){extra}; the budget allows at most {budget}",
                )
            )

    if config.coverage_enabled:
        check, reason = _coverage_check(coverage, config.coverage_minimum)
        checks.append(check)
        if reason:
            reasons.append(reason)

    for run in runs:
        required = run.name in config.required
        passed = run.status is Status.OK or not required
        role = "required" if required else "optional"
        checks.append(CheckOutcome(f"scanner:{run.name}", f"{role}, ok", run.status.value, passed))
        if not passed:
            why = f": {run.message}" if run.message else ""
            reasons.append(
                Reason(f"scanner:{run.name}", f"{run.name} is required but {run.status.value}{why}")
            )
    return tuple(checks), tuple(reasons)


def _coverage_check(coverage: Coverage, minimum: float) -> tuple[CheckOutcome, Reason | None]:
    budget = f"at least {minimum:g}%"
    if coverage.percent is None:
        message = coverage.message or "no coverage report"
        return CheckOutcome("coverage", budget, "none", False), Reason("coverage", message)
    actual = f"{coverage.percent:g}% ({coverage.report})"
    if coverage.percent < minimum:
        return (
            CheckOutcome("coverage", budget, actual, False),
            Reason(
                "coverage", f"coverage is {coverage.percent:g}%, below the minimum of {minimum:g}%"
            ),
        )
    return CheckOutcome("coverage", budget, actual, True), None
