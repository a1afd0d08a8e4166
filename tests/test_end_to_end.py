"""The whole gate on the two sample services, with the real bandit, semgrep and trivy.

The vulnerable sample plants one flaw of each roadmap class; the hardened twin fixes
them. These tests run `gates run` in-process exactly as `nox -s gate` runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import html5lib
import jsonschema
import pytest

from gates.cli import main
from gates.reports.findings_json import findings_schema
from tests.conftest import require_scanner

pytestmark = pytest.mark.scanner


@pytest.fixture(scope="module")
def real_scanners() -> None:
    for name in ("bandit", "semgrep", "trivy"):
        require_scanner(name)


def run_gate(target: Path, output: Path) -> tuple[int, dict]:
    code = main(["run", "--target", str(target), "--output-dir", str(output)])
    return code, json.loads((output / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vulnerable(real_scanners, tmp_path_factory) -> tuple[int, dict, Path]:
    target = Path(__file__).resolve().parents[1] / "samples" / "vulnerable-service"
    output = tmp_path_factory.mktemp("vulnerable") / "gates report"
    code, report = run_gate(target, output)
    return code, report, output


@pytest.fixture(scope="module")
def hardened(real_scanners, tmp_path_factory) -> tuple[int, dict, Path]:
    target = Path(__file__).resolve().parents[1] / "samples" / "hardened-service"
    output = tmp_path_factory.mktemp("hardened") / "out"
    code, report = run_gate(target, output)
    return code, report, output


def at(report: dict, scanner: str, path: str, line: int | None = None) -> list[dict]:
    return [
        f
        for f in report["findings"]
        if scanner in f["scanners"]
        and f["path"] == path
        and (
            line is None
            or (f["start_line"] or 0) <= line <= (f["end_line"] or f["start_line"] or 0)
        )
    ]


def test_vulnerable_sample_fails_with_exit_code_1(vulnerable):
    """The gate fails the vulnerable sample with exit code 1 and a verdict of fail."""
    code, report, _ = vulnerable
    assert code == 1
    assert report["verdict"] == "fail"


def test_vulnerable_sample_reasons_name_the_exceeded_budgets(vulnerable):
    """The reasons name the critical, high and medium budgets the sample exceeds."""
    _, report, _ = vulnerable
    checks = {reason["check"] for reason in report["reasons"]}
    assert {"critical", "high", "medium", "coverage"} <= checks
    critical = next(r for r in report["reasons"] if r["check"] == "critical")
    assert "the budget allows at most 0" in critical["message"]


@pytest.mark.parametrize(
    ("scanner", "path", "line"),
    [
        ("bandit", "app/admin.py", 22),  # pickle.loads on request data
        ("bandit", "app/admin.py", 30),  # shell=True with request data
        ("bandit", "app/db.py", 17),  # SQL built with an f-string
        ("bandit", "app/admin.py", 44),  # verify=False
        ("semgrep", "app/auth.py", 12),  # sha256 password hash
        ("semgrep", "app/users.py", 14),  # api_key in a JSON response
        ("semgrep", "app/auth.py", 22),  # password hash compared with ==
        ("semgrep", "app/admin.py", 14),  # admin route without authentication (its def)
        ("semgrep", "app/admin.py", 22),  # pickle
        ("trivy", "Dockerfile", None),  # root user, unpinned base
        ("trivy", "k8s/deployment.yaml", 23),  # privileged container
        ("trivy", "terraform/main.tf", 27),  # public EKS endpoint
        ("trivy", "config/deploy.env", 3),  # a (fake) AWS access key
    ],
)
def test_vulnerable_sample_findings_at_planted_places(vulnerable, scanner, path, line):
    """Each scanner reports a finding at the place the flaw was planted."""
    _, report, _ = vulnerable
    assert at(report, scanner, path, line), f"no {scanner} finding at {path}:{line}"


def test_outputs_validate_against_the_published_schema(vulnerable):
    """findings.json and every scanner's result file validate against their schemas."""
    _, report, output = vulnerable
    jsonschema.validate(report, findings_schema())
    scanner_schema = {**findings_schema()["$defs"]["scanner"], "$defs": findings_schema()["$defs"]}
    for path in (output / "scanners").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data["scanner"], scanner_schema)


def test_every_scanner_records_version_command_and_status(vulnerable):
    """Each scanner that ran records its version, exact command, exit code and duration."""
    _, report, _ = vulnerable
    ran = {s["name"]: s for s in report["scanners"]}
    for name in ("bandit", "semgrep", "trivy"):
        assert ran[name]["version"], name
        assert ran[name]["command"][0].endswith(name)
        assert ran[name]["exit_code"] is not None
    assert all(s["message"] for s in report["scanners"] if s["status"] != "ok")


def test_fingerprints_survive_lines_moving(vulnerable, tmp_path):
    """Adding lines at the top of a file moves findings but keeps their fingerprints."""
    _, report, _ = vulnerable
    source = Path(__file__).resolve().parents[1] / "samples" / "vulnerable-service"
    moved = tmp_path / "moved"
    import shutil

    shutil.copytree(source, moved)
    admin = moved / "app" / "admin.py"
    admin.write_text('"""Moved."""\n\n\n' + admin.read_text(encoding="utf-8"), encoding="utf-8")
    main(["scan", "bandit", "--target", str(moved), "--output-dir", str(tmp_path / "out")])
    after = json.loads((tmp_path / "out" / "scanners" / "bandit.json").read_text())["findings"]
    before = {f["fingerprint"] for f in report["findings"] if "bandit" in f["scanners"]}
    pickle_after = next(f for f in after if f["rule_id"] == "B301")
    assert pickle_after["start_line"] == 25
    assert pickle_after["fingerprint"] in before


def test_html_report_is_self_contained_and_well_formed(vulnerable):
    """report.html parses, loads nothing external, and leads with the verdict."""
    _, _, output = vulnerable
    page = (output / "report.html").read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)
    assert "<script" not in page.lower()
    assert "src=" not in page and "<link" not in page
    assert page.index("FAIL") < page.index("OWASP Top 10")
    assert "not covered by any enabled scanner: needs manual review" in page


def test_hardened_sample_has_no_critical_or_high_finding(hardened):
    """The hardened twin has no critical, high or unknown finding."""
    _, report, _ = hardened
    worst = {f["severity"] for f in report["findings"]}
    assert not worst & {"critical", "high", "unknown"}, worst


def test_hardened_sample_fails_only_on_scanners_that_cannot_verify_offline(hardened):
    """The hardened twin's only failed checks are scanners that cannot verify offline."""
    code, report, _ = hardened
    failed = {reason["check"] for reason in report["reasons"]}
    assert failed <= {"scanner:pip-audit", "scanner:trivy"}, report["reasons"]
    for reason in report["reasons"]:
        assert any(
            words in reason["message"]
            for words in ("not verified", "database is not in", "is not installed")
        ), reason
    assert code == (1 if failed else 0)
