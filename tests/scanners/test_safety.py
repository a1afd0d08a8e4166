"""Tests for gates.scanners.safety: every safety layout, ignored advisories, the offline command."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from gates.cli import main as gates_main
from gates.errors import ReportError
from gates.inventory import DEFAULT_EXCLUDES, Inventory, take_inventory
from gates.model import Kind, Severity
from gates.scanners.interface import ScanContext
from gates.scanners.safety import (
    SNAPSHOT_DATE,
    SafetyAdapter,
    advisory_cves,
    cvss_severity,
)
from gates.textio import load_json_document
from tests.conftest import require_scanner

SCAN_PROJECT = Path("/home/user/dev/pyconid-2025/simple-web-flask")
CHECK_PROJECT = Path("/home/user/projet-devsecops-flask")


def test_list_of_positional_lists_is_parsed_by_position(parse_output):
    """1.x's five-field lists give package, spec, version, advisory and id by position."""
    parsed, _ = parse_output(SafetyAdapter(), "safety/1.x-list-of-lists.json")

    assert [f.rule_id for f in parsed.findings] == ["PYUP-33063", "PYUP-33064", "PYUP-33065"]
    for finding in parsed.findings:
        assert (finding.package, finding.version) == ("django", "1.2.2")
        assert finding.severity is Severity.UNKNOWN
        assert finding.kind is Kind.DEPENDENCY
        assert "<1.2.7" in finding.remediation
    assert parsed.findings[0].description.startswith("django.contrib.sessions in Django")
    # "a related issue to CVE-2011-1521" names another advisory, not this one.
    assert parsed.findings[1].identifiers == ("PYUP-33064",)
    assert parsed.gaps == ()


def test_report_dict_with_null_cve_and_empty_fixed_version(parse_output):
    """2.x's `CVE: null`, `severity: null` and `fixed_versions: [""]` parse without a crash."""
    parsed, _ = parse_output(SafetyAdapter(), "safety/2.0-report-dict-empty-fixed-version.json")

    (finding,) = parsed.findings
    assert finding.identifiers == ("PYUP-25853",)
    assert (finding.package, finding.version) == ("insecure-package", "0.1.0")
    assert finding.fixed_versions == ()
    assert finding.severity is Severity.UNKNOWN
    assert "<0.2.0" in finding.remediation
    assert "https://pyup.io/vulnerabilities/PVE-2021-25853/25853/" in finding.remediation


def test_banner_around_json_is_a_warning_and_cves_are_kept(parse_output):
    """The deprecation banner around 3.x `check` JSON is set aside and the CVE ids kept."""
    parsed, document = parse_output(
        SafetyAdapter(), "safety/3.7-check-banner-around-json.json", CHECK_PROJECT
    )

    assert any("DEPRECATED" in line for line in document.warnings)
    assert [f.identifiers for f in parsed.findings] == [
        ("PYUP-71600", "CVE-2024-1135"),
        ("PYUP-76244", "CVE-2024-6827"),
    ]
    assert {(f.package, f.version, f.path) for f in parsed.findings} == {
        ("gunicorn", "21.2.0", "requirements.txt")
    }
    # `ignored: {}` on these entries means "not ignored".
    assert {f.severity for f in parsed.findings} == {Severity.UNKNOWN}


def test_scan_json_reports_ignored_vulnerabilities_as_such(parse_output):
    """Safety 3 `scan` advisories ignored by policy are info findings that say so, never dropped."""
    parsed, _ = parse_output(SafetyAdapter(), "safety/3.7-scan-json-ignored.json", SCAN_PROJECT)

    # flask 5, mysql-connector-python 12, sqlalchemy 5 ignored; jinja2 3 found.
    assert len(parsed.findings) == 25
    assert Counter(f.severity for f in parsed.findings) == {
        Severity.INFO: 22,
        Severity.UNKNOWN: 3,
    }
    ignored = [f for f in parsed.findings if f.severity is Severity.INFO]
    assert all("ignored by policy: This vulnerability is being ignored" in f.title for f in ignored)
    assert Counter(f.package for f in ignored) == {
        "flask": 5,
        "mysql-connector-python": 12,
        "sqlalchemy": 5,
    }
    assert {f.path for f in ignored} == {"app/requirements.txt"}
    assert all(f.remediation.startswith("Pin ") for f in ignored)

    found = [f for f in parsed.findings if f.severity is Severity.UNKNOWN]
    assert sorted(f.rule_id for f in found) == ["PYUP-74735", "PYUP-75976", "PYUP-76378"]
    assert {(f.package, f.version, f.path) for f in found} == {
        ("jinja2", "3.1.4", "app/poetry.lock")
    }
    assert all("3.1.6" in f.remediation for f in found)

    # The unpinned requirements were not verified at all: that is a gap.
    (gap,) = parsed.gaps
    assert "app/requirements.txt" in gap
    assert "flask, mysql-connector-python, sqlalchemy" in gap


def test_login_prompt_instead_of_json_is_an_error(scanner_output):
    """A UTF-16 login prompt is a scanner error, whatever the exit code: no report to parse."""
    with pytest.raises(ReportError, match="login"):
        load_json_document(
            scanner_output("safety/3.x-login-prompt-utf16-no-json.json"), what="safety"
        )


def test_empty_list_is_a_clean_1x_report():
    """safety 1.x prints `[]` when nothing is vulnerable: zero findings, no error."""
    parsed = SafetyAdapter().parse([], None)

    assert (parsed.findings, parsed.expected, parsed.gaps) == ((), 0, ())


def test_seven_field_entry_maps_its_cvss_v3_score():
    """A 1.10 entry's seventh field, CVSS v3, gives the severity."""
    entry = [
        "flask",
        "<1.0",
        "0.12.2",
        "Fixes a DoS. See CVE-2019-1010083.",
        "38654",
        None,
        {"base_score": 7.5, "base_severity": "HIGH"},
    ]
    (finding,) = SafetyAdapter().parse([entry], None).findings

    assert finding.severity is Severity.HIGH
    assert finding.identifiers == ("PYUP-38654", "CVE-2019-1010083")


def test_report_dict_severity_and_ignored_list():
    """2.x's severity dict maps, and `ignored_vulnerabilities` entries are info findings."""
    base = {"package_name": "flask", "analyzed_version": "0.12.2", "advisory": "", "CVE": None}
    document = {
        "report_meta": {"packages_found": 3},
        "vulnerabilities": [
            {**base, "vulnerability_id": "1", "severity": {"cvssv3": {"base_score": 9.8}}}
        ],
        "ignored_vulnerabilities": [
            {**base, "vulnerability_id": "2", "ignored_reason": "accepted until June. Ticket 9"}
        ],
    }
    parsed = SafetyAdapter().parse(document, None)

    assert [(f.rule_id, f.severity) for f in parsed.findings] == [
        ("PYUP-1", Severity.CRITICAL),
        ("PYUP-2", Severity.INFO),
    ]
    assert parsed.findings[1].title == "flask 0.12.2: PYUP-2 ignored by policy: accepted until June"
    assert parsed.gaps == ()


def test_report_dict_that_found_no_packages_is_a_gap():
    """A `check` report with `packages_found: 0` checked nothing, which is a gap."""
    document = {"report_meta": {"packages_found": 0}, "vulnerabilities": []}

    assert SafetyAdapter().parse(document, None).gaps == (
        "safety found no packages to check: nothing was verified",
    )


def test_same_advisory_listed_twice_is_counted_once(scanner_output):
    """An advisory listed again for the same package and version is merged, and said so."""
    entries = load_json_document(scanner_output("safety/1.x-list-of-lists.json"), what="s").value
    parsed = SafetyAdapter().parse(entries + entries[:2], None)

    assert len(parsed.findings) == parsed.expected == 3
    assert len(parsed.merged) == 2
    assert "PYUP-33063 for django 1.2.2 listed again" in parsed.merged[0]


@pytest.mark.parametrize(
    ("cvssv3", "expected"),
    [
        ({"base_score": 9.0}, Severity.CRITICAL),
        ({"base_score": 8.9, "base_severity": "CRITICAL"}, Severity.HIGH),
        ({"base_score": 7.0}, Severity.HIGH),
        ({"base_score": 4.0}, Severity.MEDIUM),
        ({"base_score": 3.9}, Severity.LOW),
        ("6.1", Severity.MEDIUM),
        ({"base_severity": "HIGH"}, Severity.HIGH),
        ({"base_severity": "BAD"}, Severity.UNKNOWN),
        (None, Severity.UNKNOWN),
        ("n/a", Severity.UNKNOWN),
        (True, Severity.UNKNOWN),
    ],
)
def test_cvss_v3_maps_by_score_then_by_name(cvssv3, expected):
    """CVSS v3 scores map at 9/7/4; without a score the base severity name is used."""
    assert cvss_severity(cvssv3) is expected


@pytest.mark.parametrize(
    ("cve", "advisory", "expected"),
    [
        (
            None,
            "Django before 1.11.27 allows account takeover. See CVE-2019-19844.",
            ("CVE-2019-19844",),
        ),
        ("CVE-2024-1135", "Also fixes cve-2024-0001.", ("CVE-2024-1135", "CVE-2024-0001")),
        (None, "A flaw, a related issue to CVE-2011-1521.", ()),
        (None, "A different vulnerability than CVE-2014-1111 and CVE-2014-2222.", ()),
        (
            None,
            "Fixes CVE-2020-1 (typo) and CVE-2020-15191, similar to CVE-2020-15190.",
            ("CVE-2020-15191",),
        ),
    ],
)
def test_advisory_cves_are_its_own_not_the_related_ones(cve, advisory, expected):
    """CVE ids come from the CVE field and the text, except those named as other issues."""
    assert advisory_cves(cve, advisory) == expected


@pytest.mark.parametrize(
    "document",
    [
        7,
        None,
        {"report_meta": {}},
        [["django", "<1", "0.9", "advisory"]],
        [["django", "<1", "0.9", "advisory", "1", None]],
        [{"name": "django"}],
        [["", "<1", "0.9", "advisory", "1"]],
        {"vulnerabilities": [{"package_name": "x"}]},
        {"scan_results": []},
        {"scan_results": {"projects": [{"files": [{"results": {"dependencies": "x"}}]}]}},
    ],
)
def test_unknown_layouts_raise_report_error(document):
    """Anything but the three known layouts, or entries missing their id, is an error."""
    with pytest.raises(ReportError):
        SafetyAdapter().parse(document, None)


def test_scan_json_without_dependencies_is_a_gap():
    """A `scan` report that lists no dependency verified nothing."""
    parsed = SafetyAdapter().parse({"scan_results": {"files": [], "projects": []}}, None)

    assert parsed.gaps == ("safety listed no dependencies: nothing was verified",)


@pytest.fixture
def safety_env(tmp_path: Path) -> Path:
    """A fake tool environment holding a safety executable and the safety-db package."""
    executable = tmp_path / "env" / "bin" / "safety"
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n")
    database = tmp_path / "env" / "lib" / "python3.11" / "site-packages" / "safety_db"
    database.mkdir(parents=True)
    (database / "insecure.json").write_text("{}")
    (database / "insecure_full.json").write_text("{}")
    return executable


def context_for(target: Path, executable: Path, **options) -> ScanContext:
    files = tuple(sorted(p.name for p in target.glob("requirements*.txt")))
    return ScanContext(
        target=target,
        inventory=Inventory(requirements_files=files),
        executable=executable,
        options=options,
    )


def test_command_uses_the_bundled_snapshot_and_says_so(tmp_path: Path, safety_env: Path):
    """With no `db` option the safety-db next to the executable is used, and that is a gap."""
    target = tmp_path / "target"
    target.mkdir()
    (target / "requirements.txt").write_text("flask==0.12.2\n")
    (target / "requirements-dev.txt").write_text("-r requirements.txt\npytest==4.6.11\n")
    command = SafetyAdapter().command(context_for(target, safety_env))

    database = safety_env.parent.parent / "lib" / "python3.11" / "site-packages" / "safety_db"
    assert command.argv == (
        str(safety_env),
        "check",
        "--json",
        "-r",
        "requirements-dev.txt",
        "-r",
        "requirements.txt",
        "--db",
        str(database),
    )
    assert command.gaps == (
        f"safety's advisory database is the {SNAPSHOT_DATE} snapshot of safety-db: "
        "advisories published since are not checked",
    )


def test_command_with_a_configured_database_has_no_snapshot_gap(tmp_path: Path, safety_env: Path):
    """A database given as the `db` option is passed on and is not called a snapshot."""
    target = tmp_path / "target"
    target.mkdir()
    (target / "requirements.txt").write_text("flask==0.12.2\n")
    command = SafetyAdapter().command(context_for(target, safety_env, db="/srv/safety-db"))

    assert command.argv[-2:] == ("--db", "/srv/safety-db")
    assert command.gaps == ()


def test_requirements_safety_would_skip_are_named_as_gaps(tmp_path: Path, safety_env: Path):
    """Lines that are not a single `==` pin are skipped by safety 1.10.3, so each is a gap."""
    target = tmp_path / "target"
    target.mkdir()
    (target / "requirements.txt").write_text(
        "# pinned ones are checked\n"
        "Django == 1.2.2 ; python_version > '2'\n"
        "flask==0.12.2 \\\n    --hash=sha256:abc\n"
        "--index-url https://example.org/simple\n"
        "-e git+https://example.org/z.git#egg=z\n"
        "requests===2.0\n"
        "urllib3==1.0,<2\n"
        "pyyaml>=5  # not pinned\n"
    )
    gaps = SafetyAdapter().command(context_for(target, safety_env, db="/db")).gaps

    assert gaps == (
        "not checked by safety (not pinned with ==): requirements.txt:6: "
        "-e git+https://example.org/z.git#egg=z",
        "not checked by safety (not pinned with ==): requirements.txt:7: requests===2.0",
        "not checked by safety (not pinned with ==): requirements.txt:8: urllib3==1.0,<2",
        "not checked by safety (not pinned with ==): requirements.txt:9: pyyaml>=5",
    )


def test_no_requirements_files_skips_the_scanner(tmp_path: Path):
    """A target without requirements files gives a skip reason instead of a run."""
    context = ScanContext(target=tmp_path, inventory=Inventory(), executable=Path("safety"))

    assert SafetyAdapter().skip_reason(context) == "the target has no requirements files to check"


def test_exit_codes_of_a_completed_check_are_accepted():
    """0 (nothing found), 255 (1.10.3's `exit(-1)` on findings) and 64 (safety 2+) are ok."""
    assert SafetyAdapter.ok_exit_codes == frozenset({0, 64, 255})


def test_included_files_are_checked_and_unfollowed_includes_are_gaps(
    tmp_path: Path, safety_env: Path
):
    """A file included with -r is handed to safety and its unpinned lines are named; an
    include that leaves the target is named as not checked."""
    target = tmp_path / "target"
    (target / "deps").mkdir(parents=True)
    (target / "requirements.txt").write_text("-r deps/prod.txt\n--requirement ../up.txt\n")
    (target / "deps" / "prod.txt").write_text("django==1.2\nrequests>=2\n")
    (tmp_path / "up.txt").write_text("flask==0.12\n")
    context = ScanContext(
        target=target,
        inventory=take_inventory(target, DEFAULT_EXCLUDES),
        executable=safety_env,
        options={"db": "/db"},
    )

    command = SafetyAdapter().command(context)

    assert command.argv[3:7] == ("-r", "requirements.txt", "-r", "deps/prod.txt")
    assert command.gaps == (
        "not checked by safety (not pinned with ==): deps/prod.txt:2: requests>=2",
        "not checked by safety (include not followed): requirements.txt:2: "
        "--requirement ../up.txt (outside the target)",
    )


def test_dependencies_declared_without_requirements_files_make_safety_incomplete(tmp_path):
    """The real safety, on a target whose only dependencies are in pyproject.toml, checks an
    empty file instead of its own environment and is incomplete, naming pyproject.toml."""
    require_scanner("safety")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\ndependencies = ["django==1.2"]\n'
    )
    (tmp_path / "gates.toml").write_text('required = ["safety"]\noptional = []\n')

    assert gates_main(["scan", "safety", "--target", str(tmp_path)]) == 0

    saved = json.loads((tmp_path / "gates-report" / "scanners" / "safety.json").read_text())
    run = saved["scanner"]
    assert run["command"][-4:-2] == ["-r", os.devnull]
    assert run["status"] == "incomplete"
    assert "dependencies declared in pyproject.toml were not audited: safety" in run["message"]
    assert saved["findings"] == []
