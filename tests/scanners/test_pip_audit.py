"""Tests for gates.scanners.pip_audit: both report layouts, aliases, skipped dependencies."""

from __future__ import annotations

from pathlib import Path

import pytest

from gates.errors import ReportError
from gates.inventory import DEFAULT_EXCLUDES, take_inventory
from gates.model import Kind, Severity
from gates.scanners.interface import ScanContext
from gates.scanners.pip_audit import PipAuditAdapter


def test_list_layout_is_parsed_and_the_skip_is_visible(parse_output):
    """The 1.x top-level list parses without `aliases`, and its skipped dependency is a gap."""
    parsed, _ = parse_output(PipAuditAdapter(), "pip-audit/1.x-list-layout-vulns.json")

    assert len(parsed.findings) == 7
    assert {f.severity for f in parsed.findings} == {Severity.UNKNOWN}
    assert {f.kind for f in parsed.findings} == {Kind.DEPENDENCY}
    django = next(f for f in parsed.findings if f.package == "django")
    assert (django.rule_id, django.version) == ("PYSEC-2021-439", "3.2.9")
    assert django.identifiers == ("PYSEC-2021-439",)
    assert django.fixed_versions == ("2.2.25", "3.1.14", "3.2.10")
    (gap,) = parsed.gaps
    assert "1 of 7" in gap and "azure-devops" in gap


def test_only_skipped_is_not_verified_never_clean(parse_output):
    """Nothing vulnerable but one dependency skipped: zero findings and a gap."""
    parsed, _ = parse_output(PipAuditAdapter(), "pip-audit/1.x-list-layout-only-skipped.json")

    assert parsed.findings == ()
    (gap,) = parsed.gaps
    assert "not verified" in gap and "azure-devops" in gap


def test_dict_layout_keeps_aliases_and_reports_the_skips(parse_output):
    """CVE and GHSA aliases are kept as identifiers, and the 11 skipped packages are reported."""
    parsed, _ = parse_output(PipAuditAdapter(), "pip-audit/2.x-dict-layout-aliases-skips.json")

    assert len(parsed.findings) == 26
    certifi = next(f for f in parsed.findings if f.rule_id == "PYSEC-2022-42986")
    assert certifi.identifiers == ("PYSEC-2022-42986", "CVE-2022-23491", "GHSA-43fp-rhv2-5gv8")
    assert certifi.fixed_versions == ("2022.12.7",)
    assert sum(any(i.startswith("CVE-") for i in f.identifiers) for f in parsed.findings) > 20
    (gap,) = parsed.gaps
    assert "11 of 211" in gap and "cloud-init" in gap


def test_summary_line_before_json_is_a_warning(parse_output):
    """The human summary line before the JSON is kept as a warning and the report is read."""
    parsed, document = parse_output(
        PipAuditAdapter(), "pip-audit/2.x-summary-line-before-json.json"
    )

    assert document.warnings == ("No known vulnerabilities found",)
    assert parsed.findings == ()
    assert parsed.gaps == ()


def test_no_dependencies_at_all_is_a_gap():
    """A report that lists no dependency audited nothing, which is a gap."""
    parsed = PipAuditAdapter().parse({"dependencies": []}, None)

    assert parsed.findings == ()
    assert parsed.gaps == ("pip-audit listed no dependencies: nothing was audited",)


@pytest.mark.parametrize(
    "document",
    [
        {"fixes": []},
        3,
        None,
        [{"version": "1.0", "vulns": []}],
        [{"name": "flask", "version": "1.0"}],
        [{"name": "flask", "version": "1.0", "vulns": [{"fix_versions": []}]}],
    ],
)
def test_unknown_layouts_raise_report_error(document):
    """No `dependencies`, a dependency without name or `vulns`, or a vuln without id is an error."""
    with pytest.raises(ReportError):
        PipAuditAdapter().parse(document, None)


def _context(target: Path) -> ScanContext:
    inventory = take_inventory(target, DEFAULT_EXCLUDES)
    return ScanContext(target=target, inventory=inventory, executable=Path("pip-audit"))


def test_included_files_are_handed_over_and_unfollowed_includes_are_gaps(tmp_path):
    """A file included with -r is audited like the one including it (its unpinned lines
    named too); an include that cannot be followed is "not verifiable"."""
    (tmp_path / "deps").mkdir()
    (tmp_path / "requirements.txt").write_text("-r deps/prod.txt\n-rmissing.txt\nflask==3.1.0\n")
    (tmp_path / "deps" / "prod.txt").write_text("django==1.2\nrequests>=2\n")

    command = PipAuditAdapter().command(_context(tmp_path))

    assert command.argv[-2:] == ("requirements.txt", "deps/prod.txt")
    assert command.gaps == (
        "not verifiable (not pinned with ==): deps/prod.txt:2: requests>=2",
        "not verifiable (include not followed): requirements.txt:2: -r missing.txt (missing)",
    )


def test_requirements_in_a_requirements_folder_and_lock_files_are_handed_over(tmp_path):
    """requirements/prod.txt, the requirements/base.txt it includes (once) and a
    requirements.lock are audited; an unpinned line in one of them is "not verifiable"."""
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "prod.txt").write_text("-r base.txt\nrequests>=2\n")
    (tmp_path / "requirements" / "base.txt").write_text("django==1.2\n")
    (tmp_path / "requirements.lock").write_text("flask==3.0.0\n")

    command = PipAuditAdapter().command(_context(tmp_path))

    assert command.argv[-3:] == (
        "requirements.lock",
        "requirements/base.txt",
        "requirements/prod.txt",
    )
    assert command.gaps == (
        "not verifiable (not pinned with ==): requirements/prod.txt:2: requests>=2",
    )


def test_pins_the_report_did_not_account_for_are_a_gap():
    """Each pin listed under `not_reported` is named in a gap; the audited ones still count."""
    document = {
        "dependencies": [{"name": "django", "version": "1.2", "vulns": []}],
        "not_reported": [{"name": "flask", "version": "3.1.0", "reason": "not in its report"}],
    }

    parsed = PipAuditAdapter().parse(document, None)

    assert parsed.gaps == (
        "pip-audit's report does not account for 1 pin(s) it was given, so they are not "
        "verified: flask==3.1.0 (not in its report)",
    )


def test_a_not_reported_list_of_another_shape_is_an_error():
    """`not_reported` that is not a list of objects is a layout the adapter does not know."""
    with pytest.raises(ReportError):
        PipAuditAdapter().parse({"dependencies": [], "not_reported": ["flask"]}, None)


PYPROJECT = '[project]\nname = "svc"\ndependencies = ["django==1.2"]\n'


def test_dependencies_declared_beside_requirements_files_are_a_note(tmp_path):
    """pyproject.toml dependencies next to a requirements file are named in a note, which
    shows without making the run incomplete."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements.txt").write_text("django==1.2\n")

    command = PipAuditAdapter().command(_context(tmp_path))

    assert command.gaps == ()
    assert command.notes == (
        "dependencies declared in pyproject.toml were not audited: pip-audit reads "
        "requirements files only (export them to a requirements file with == pins to audit "
        "them)",
    )


def test_dependencies_declared_without_requirements_files_are_a_gap_not_a_skip(tmp_path):
    """With no requirements file at all, pyproject.toml's dependencies make pip-audit run on
    nothing and be incomplete, naming the file, rather than skipped as having nothing."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    context = _context(tmp_path)

    command = PipAuditAdapter().command(context)

    assert PipAuditAdapter().skip_reason(context) is None
    assert command.argv[-1] == "."
    assert command.notes == ()
    assert len(command.gaps) == 1
    assert command.gaps[0].startswith("dependencies declared in pyproject.toml were not audited")
