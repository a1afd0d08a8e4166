"""Gate results to render: a realistic failing run, a clean run, and one full of hostile text.

Each is built directly (policy decides the checks), never by running a scanner. The
`schema_errors` and `xml_schema` fixtures check an output against the reference schemas
in ../shared/schemas, skipping with the missing path where that folder is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema
import pytest

from gates.config import GateConfig
from gates.model import Coverage, Finding, GateResult, Kind, ScannerRun, Severity, Status
from gates.policy import decide
from tests.conftest import shared_path

GENERATED_AT = "2026-01-31T10:00:00Z"
REQUIRED = ("bandit", "semgrep", "pip-audit")
OPTIONAL = ("trivy", "safety", "kubesec")

#: Everything a finding's text should never be able to do, in one string.
HOSTILE = (
    "\"quoted\" 'single' <b>bold</b> & &amp; ]]> </script><script>alert(1)</script> "
    "\x1b[31mred\x1b[0m \x00nul \x07bell \x0bvt \x0cff \x7fdel \x85nel \ud800 \ufffe "
    "| pipe `tick` *em* _u_ [link](javascript:alert(1)) ![img](http://x/p.png) @all "
    "{0} {{x}} \\[esc\\] # heading\n- item\r\nnext line "
    "naïve 日本語 emoji 🔥"
)
LONG_LINE = "A" * 100_000


def result_for(
    findings: tuple[Finding, ...],
    runs: tuple[ScannerRun, ...],
    coverage: Coverage | None = None,
    *,
    target: str = "payments-service",
) -> GateResult:
    """A GateResult as `gates.pipeline.decide` would build it, without the OWASP table."""
    coverage = coverage or Coverage(percent=81.5, report="coverage.xml")
    config = GateConfig(required=REQUIRED, optional=OPTIONAL)
    checks, reasons = decide(findings, runs, coverage, config)
    return GateResult(
        target=target,
        scanners=runs,
        findings=findings,
        coverage=coverage,
        checks=checks,
        reasons=reasons,
        tool_version="0.1.0",
        generated_at=GENERATED_AT,
        config_source="pyproject.toml",
    )


def realistic_findings() -> tuple[Finding, ...]:
    """Findings of every kind and every severity, one reported by two scanners."""
    return (
        Finding(
            ("semgrep",),
            "python.flask.security.injection.tainted-sql-string",
            "SQL built from request data",
            Severity.CRITICAL,
            Kind.CODE,
            path="app/db.py",
            start_line=42,
            end_line=44,
            cwe=(89,),
            owasp=("A03:2021",),
            description="User input flows into a SQL string.",
            remediation="Use bound parameters.",
            confidence="HIGH",
            snippet='cur.execute("SELECT * FROM t WHERE id=" + request.args["id"])',
            fingerprint="a" * 32,
        ),
        Finding(
            ("bandit",),
            "B602",
            "subprocess call with shell=True",
            Severity.HIGH,
            Kind.CODE,
            path="app/tasks.py",
            start_line=7,
            cwe=(78,),
            owasp=("A03:2021",),
            description="subprocess call with shell=True identified, security issue.",
            snippet="subprocess.run(cmd, shell=True)",
            fingerprint="b" * 32,
        ),
        Finding(
            ("pip-audit", "trivy"),
            "PYSEC-2023-74",
            "requests leaks Proxy-Authorization headers",
            Severity.MEDIUM,
            Kind.DEPENDENCY,
            identifiers=("PYSEC-2023-74", "CVE-2023-32681", "GHSA-j8r2-6x86-q33q"),
            package="requests",
            version="2.30.0",
            fixed_versions=("2.31.0",),
            description="Proxy-Authorization is sent to the destination on redirects.",
            fingerprint="c" * 32,
        ),
        Finding(
            ("pip-audit",),
            "PYSEC-2024-1",
            "jinja2 sandbox escape",
            Severity.UNKNOWN,
            Kind.DEPENDENCY,
            path="requirements/prod.txt",
            identifiers=("PYSEC-2024-1",),
            package="jinja2",
            version="3.1.2",
            fingerprint="d" * 32,
        ),
        Finding(
            ("trivy",),
            "KSV012",
            "Container may run as root",
            Severity.LOW,
            Kind.CONFIGURATION,
            path="deploy/k8s/deployment.yaml",
            cwe=(250,),
            owasp=("A05:2021",),
            remediation="Set securityContext.runAsNonRoot: true.",
            fingerprint="e" * 32,
        ),
        Finding(
            ("trivy",),
            "aws-access-key-id",
            "AWS access key",
            Severity.CRITICAL,
            Kind.SECRET,
            path="config/settings.py",
            start_line=3,
            cwe=(798,),
            snippet="AWS_KEY = 'AKIA****************'",
            fingerprint="f" * 32,
        ),
        Finding(
            ("semgrep",),
            "python.lang.best-practice.open-never-closed",
            "File opened and never closed",
            Severity.INFO,
            Kind.CODE,
            path="app/util with space.py",
            start_line=12,
            fingerprint="0" * 32,
        ),
    )


def realistic_runs() -> tuple[ScannerRun, ...]:
    """Every scanner, ok or not: an incomplete required one and failed optional ones."""
    return (
        ScannerRun("bandit", Status.OK, version="1.7.10", duration_s=2.5, finding_count=1),
        ScannerRun("semgrep", Status.OK, version="1.85.0", duration_s=31.2, finding_count=2),
        ScannerRun(
            "pip-audit",
            Status.INCOMPLETE,
            version="2.7.3",
            duration_s=12.0,
            message="1 package could not be audited",
            warnings=("torch: not found on PyPI",),
            not_scanned=("torch==2.0.0+cpu",),
            finding_count=2,
        ),
        ScannerRun(
            "trivy",
            Status.FAILED,
            version="0.56.2",
            exit_code=2,
            duration_s=40.0,
            message="trivy exited with 2: database download failed",
            finding_count=3,
        ),
        ScannerRun("safety", Status.UNAVAILABLE, message="safety is not installed"),
        ScannerRun("kubesec", Status.SKIPPED, message="no Kubernetes manifests"),
    )


def hostile_findings() -> tuple[Finding, ...]:
    """Findings whose every text field is hostile, and one whose title is a 100 KB line."""
    return (
        Finding(
            ("semgrep",),
            f"rule{HOSTILE[:30]}",
            HOSTILE,
            Severity.HIGH,
            Kind.CODE,
            path=f"src/{HOSTILE[:60]}.py",
            start_line=3,
            end_line=4,
            cwe=(79,),
            owasp=("A03:2021",),
            description=HOSTILE,
            remediation=HOSTILE,
            snippet=HOSTILE,
            confidence=HOSTILE,
            fingerprint="1" * 32,
        ),
        Finding(
            ("pip-audit",),
            "PYSEC-1",
            HOSTILE,
            Severity.CRITICAL,
            Kind.DEPENDENCY,
            path=HOSTILE[:40],
            identifiers=(HOSTILE, "CVE-2020-1234"),
            package=f"pkg{HOSTILE[:20]}",
            version=HOSTILE[:12],
            fixed_versions=(HOSTILE[:10],),
            description=HOSTILE,
            remediation=HOSTILE,
            fingerprint="2" * 32,
        ),
        Finding(
            ("bandit",),
            "B101",
            LONG_LINE,
            Severity.LOW,
            Kind.CODE,
            path=f"src/{LONG_LINE}.py",
            start_line=1,
            description=LONG_LINE,
            remediation=LONG_LINE,
            snippet=LONG_LINE,
            fingerprint="3" * 32,
        ),
    )


def hostile_runs() -> tuple[ScannerRun, ...]:
    """Scanners whose version and message carry hostile text."""
    return (
        ScannerRun("semgrep", Status.OK, version=HOSTILE[:20], finding_count=1),
        ScannerRun(
            "pip-audit",
            Status.FAILED,
            message=HOSTILE,
            warnings=(HOSTILE, LONG_LINE),
            finding_count=1,
        ),
        ScannerRun("bandit", Status.INCOMPLETE, message=LONG_LINE, finding_count=1),
    )


@pytest.fixture
def realistic_result() -> GateResult:
    """A failing run: findings of every kind and severity, failing scanners, low coverage."""
    return result_for(
        realistic_findings(), realistic_runs(), Coverage(percent=20.0, report="coverage.xml")
    )


@pytest.fixture
def empty_result() -> GateResult:
    """A passing run: every scanner ok, zero findings."""
    runs = tuple(ScannerRun(name, Status.OK, version="1.0") for name in (*REQUIRED, *OPTIONAL))
    return result_for((), runs)


@pytest.fixture
def hostile_result() -> GateResult:
    """A run whose finding, scanner and target text is hostile."""
    return result_for(hostile_findings(), hostile_runs(), target=HOSTILE)


@pytest.fixture(params=["realistic", "empty", "hostile"])
def any_result(request: pytest.FixtureRequest) -> GateResult:
    """Each of the three results in turn."""
    return request.getfixturevalue(f"{request.param}_result")


@pytest.fixture
def schema_errors(reference_schema) -> Callable[[Any, str], list[str]]:
    """Validate a JSON document against a reference schema; return the errors, if any."""

    def check(document: Any, name: str, default: type = jsonschema.Draft7Validator) -> list[str]:
        schema = reference_schema(name)
        validator_class = jsonschema.validators.validator_for(schema, default=default)
        validator_class.check_schema(schema)
        return [
            f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:300]}"
            for error in validator_class(schema).iter_errors(document)
        ]

    return check


@pytest.fixture
def xml_schema() -> Iterator[Callable[[str], Any]]:
    """Load an XSD from ../shared/schemas with lxml (skips if lxml is not installed)."""
    etree = pytest.importorskip("lxml.etree", reason="lxml validates XML against an XSD")

    def load(name: str) -> Any:
        return etree.XMLSchema(etree.parse(str(shared_path("schemas", name))))

    yield load


def strings(value: Any) -> Iterator[str]:
    """Every string (keys included) anywhere in a decoded JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def assert_inert_json(text: str, *, longest: int = 30_000) -> Any:
    """Parse a JSON output and check that no string in it holds control characters or
    runs past `longest` characters; return the document."""
    text.encode("utf-8")
    document = json.loads(text)
    for value in strings(document):
        assert not _CONTROL.search(value), value[:200]
        assert len(value) <= longest, value[:200]
    return document
