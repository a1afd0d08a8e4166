"""Tests for gates.checks.pip_audit_sets: pip-audit sees every pin, one consistent set at a
time, and the real pip-audit's refusals never stop the audit."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from gates.checks.pip_audit_sets import main, pin_sets
from gates.cli import main as gates_main
from tests.conftest import require_scanner

# A stand-in for pip-audit: records the requirements it was given and reports a
# vulnerability in requests 2.19.0 only.
FAKE_PIP_AUDIT = """\
import json, pathlib, sys
requirements = pathlib.Path(sys.argv[sys.argv.index("-r") + 1]).read_text()
with open(sys.argv[0] + ".calls", "a") as calls:
    calls.write(json.dumps(requirements) + "\\n")
dependencies = []
for line in requirements.splitlines():
    name, version = line.split("==")
    vulns = [{"id": "PYSEC-2018-28", "fix_versions": ["2.20.0"], "aliases": ["CVE-2018-18074"]}]
    dependencies.append(
        {"name": name, "version": version, "vulns": vulns if line == "requests==2.19.0" else []}
    )
print(json.dumps({"dependencies": dependencies, "fixes": []}))
sys.exit(1 if "requests==2.19.0" in requirements else 0)
"""


def _fake(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "pip-audit"
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_drifting_pins_are_split_into_sets_with_one_version_each():
    """requests at two versions needs two sets; every other package is in the first."""
    pins = [
        {"package": "flask", "version": "3.1.0"},
        {"package": "requests", "version": "2.19.0"},
        {"package": "requests", "version": "2.31.0"},
        {"package": "flask", "version": "3.1.0"},
    ]
    assert pin_sets(pins) == [
        [("flask", "3.1.0"), ("requests", "2.19.0")],
        [("requests", "2.31.0")],
    ]
    assert pin_sets([]) == []


def test_every_pin_is_audited_and_the_reports_are_merged(tmp_path, capsys):
    """A prod and a dev file pinning requests differently, with an unpinned line, are all
    audited: two runs, one report listing both versions, exit 1 for the vulnerability."""
    (tmp_path / "requirements.txt").write_text("Flask==3.1.0\nrequests==2.19.0\nclick>=8\n")
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\nrequests==2.31.0\n")
    fake = _fake(tmp_path, FAKE_PIP_AUDIT)

    code = main([str(fake), str(tmp_path), "requirements.txt", "requirements-dev.txt"])

    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert sorted((d["name"], d["version"]) for d in report["dependencies"]) == [
        ("flask", "3.1.0"),
        ("requests", "2.19.0"),
        ("requests", "2.31.0"),
    ]
    calls = [json.loads(line) for line in Path(f"{fake}.calls").read_text().splitlines()]
    assert calls == ["flask==3.1.0\nrequests==2.19.0\n", "requests==2.31.0\n"]


def test_a_run_without_a_report_passes_pip_audit_s_output_through(tmp_path, capsysbinary):
    """When pip-audit prints no report, its own output and exit code are what the gate sees."""
    (tmp_path / "requirements.txt").write_text("flask==3.1.0\n")
    fake = _fake(tmp_path, 'import sys\nprint("Traceback: boom")\nsys.exit(3)\n')

    assert main([str(fake), str(tmp_path), "requirements.txt"]) == 3
    assert capsysbinary.readouterr().out == b"Traceback: boom\n"


def test_the_real_pip_audit_offline_is_incomplete_never_failed_or_clean(sample_copy):
    """On the vulnerable sample, whose files pin requests twice and which pip-audit alone
    refuses, the gate's pip-audit run audits every pin; offline each is a named skip."""
    require_scanner("pip-audit")
    target = sample_copy("vulnerable-service")
    (target / "requirements-dev.txt").write_text(
        (target / "requirements-dev.txt").read_text() + "black>=24\n"
    )

    assert gates_main(["scan", "pip-audit", "--target", str(target)]) == 0

    saved = json.loads((target / "gates-report" / "scanners" / "pip-audit.json").read_text())
    run = saved["scanner"]
    assert run["status"] == "incomplete", run["message"]
    assert "not verifiable (not pinned with ==): requirements-dev.txt" in run["message"]
    raw = json.loads((target / "gates-report" / "raw" / "pip-audit.json").read_text())
    versions = {d.get("version") or d["skip_reason"] for d in raw["dependencies"]}
    assert any("2.19.0" in v for v in versions), versions


def _install_fake(tmp_path: Path, monkeypatch, body: str) -> Path:
    """Put a fake pip-audit where the gate looks for the real one, and return it."""
    environment = tmp_path / "tools" / "pip-audit" / "bin"
    environment.mkdir(parents=True)
    monkeypatch.setenv("GATES_TOOLS_DIR", str(tmp_path / "tools"))
    return _fake(environment, body)


def _scan(target: Path) -> dict:
    assert gates_main(["scan", "pip-audit", "--target", str(target)]) == 0
    saved = target / "gates-report" / "scanners" / "pip-audit.json"
    return json.loads(saved.read_text(encoding="utf-8"))


def test_pins_of_included_files_reach_pip_audit(tmp_path, monkeypatch):
    """django==1.2 in deps/prod.txt, included by requirements.txt with -r, is handed to
    pip-audit along with the including file's pins."""
    fake = _install_fake(tmp_path, monkeypatch, FAKE_PIP_AUDIT)
    target = tmp_path / "target"
    (target / "deps").mkdir(parents=True)
    (target / "requirements.txt").write_text("-r deps/prod.txt\nrequests==2.19.0\n")
    (target / "deps" / "prod.txt").write_text("django==1.2\n")

    saved = _scan(target)

    calls = [json.loads(line) for line in Path(f"{fake}.calls").read_text().splitlines()]
    assert calls == ["django==1.2\nrequests==2.19.0\n"]
    assert saved["scanner"]["status"] == "ok", saved["scanner"]["message"]
    assert [f["package"] for f in saved["findings"]] == ["requests"]


# A pip-audit that leaves out every pin but the first it was given.
FAKE_FIRST_ONLY = """\
import json, pathlib, sys
first = pathlib.Path(sys.argv[sys.argv.index("-r") + 1]).read_text().splitlines()[0]
name, version = first.split("==")
print(json.dumps({"dependencies": [{"name": name, "version": version, "vulns": []}]}))
"""

# A pip-audit that audits every package at another version than the one it was given.
FAKE_OTHER_VERSIONS = """\
import json, pathlib, sys
lines = pathlib.Path(sys.argv[sys.argv.index("-r") + 1]).read_text().splitlines()
dependencies = [
    {"name": line.split("==")[0].upper(), "version": "99.0", "vulns": []} for line in lines
]
print(json.dumps({"dependencies": dependencies, "fixes": []}))
"""


def test_a_pin_left_out_of_the_report_is_listed_as_not_reported(tmp_path, capsys):
    """pip-audit reporting 1 of the 2 pins it was given: the other is `not_reported`."""
    (tmp_path / "requirements.txt").write_text("django==1.2\nflask==3.1.0\n")
    fake = _fake(tmp_path, FAKE_FIRST_ONLY)

    assert main([str(fake), str(tmp_path), "requirements.txt"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["not_reported"] == [
        {"name": "flask", "version": "3.1.0", "reason": "not in its report"}
    ]


def test_a_pin_reported_under_its_normalized_name_and_version_is_accounted_for(tmp_path, capsys):
    """Flask pinned at 3.1 and reported as FLASK 3.1.0 is the pin pip-audit was given."""
    (tmp_path / "requirements.txt").write_text("Flask==3.1\n")
    body = FAKE_OTHER_VERSIONS.replace('"99.0"', 'line.split("==")[1] + ".0"')
    fake = _fake(tmp_path, body)

    assert main([str(fake), str(tmp_path), "requirements.txt"]) == 0
    assert json.loads(capsys.readouterr().out)["not_reported"] == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (FAKE_FIRST_ONLY, "flask==3.1.0 (not in its report)"),
        (FAKE_OTHER_VERSIONS, "django==1.2 (reported at 99.0 instead); flask==3.1.0"),
    ],
)
def test_pins_pip_audit_did_not_account_for_make_the_run_incomplete(
    tmp_path, monkeypatch, body, named
):
    """A pip-audit that reports only some pins, or other versions, is incomplete, never ok,
    and the message names each pin it did not account for."""
    _install_fake(tmp_path, monkeypatch, body)
    target = tmp_path / "target"
    target.mkdir()
    (target / "requirements.txt").write_text("django==1.2\nflask==3.1.0\n")

    run = _scan(target)["scanner"]

    assert run["status"] == "incomplete"
    assert "pip-audit's report does not account for" in run["message"]
    assert named in run["message"]


def test_dependencies_declared_only_in_pyproject_make_the_run_incomplete(tmp_path, monkeypatch):
    """A target whose dependencies are only in pyproject.toml is not "skipped: nothing to
    audit": pip-audit's run audits nothing, is incomplete, and names pyproject.toml."""
    fake = _install_fake(tmp_path, monkeypatch, FAKE_PIP_AUDIT)
    target = tmp_path / "target"
    target.mkdir()
    (target / "pyproject.toml").write_text('[project]\nname = "svc"\ndependencies = ["django"]\n')

    run = _scan(target)["scanner"]

    assert run["status"] == "incomplete"
    assert "pip-audit listed no dependencies: nothing was audited" in run["message"]
    assert "dependencies declared in pyproject.toml were not audited" in run["message"]
    assert not Path(f"{fake}.calls").exists()
