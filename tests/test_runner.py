"""Tests for gates.runner: every way a scanner run can go wrong fails closed, by name.

Faults are real: wrapper executables that exit 137, kill themselves, print garbage or
hang, and the real scanners given a file they cannot parse or a one-second timeout.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
from pathlib import Path

import pytest

from gates.config import GateConfig
from gates.inventory import take_inventory
from gates.model import Status
from gates.pipeline import rules_dir
from gates.runner import ScanRequest, run_scanner
from tests.conftest import require_scanner


def fake_tool(tools: Path, name: str, executable: str, script: str) -> None:
    """Install a shell script as a scanner's executable in a fake tools folder."""
    path = tools / name / "bin" / executable
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def python_target(tmp_path: Path) -> Path:
    target = tmp_path / "target dir ü"
    target.mkdir()
    (target / "app.py").write_text("import pickle\n\ndef f(x):\n    return pickle.loads(x)\n")
    (target / "requirements.txt").write_text("flask==3.1.0\n")
    return target


def request_for(target: Path, tmp_path: Path, **config) -> ScanRequest:
    cfg = GateConfig(**config)
    return ScanRequest(
        target=target,
        inventory=take_inventory(target, cfg.exclude),
        config=cfg,
        raw_dir=tmp_path / "out" / "raw",
        rules_dir=rules_dir(),
    )


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tools = tmp_path / "tools"
    tools.mkdir()
    monkeypatch.setenv("GATES_TOOLS_DIR", str(tools))
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return tools


def test_missing_executable_is_unavailable(python_target, tmp_path, fake_tools):
    """A scanner that is not installed is `unavailable`, with a message saying how to fix it."""
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.UNAVAILABLE
    assert "bandit is not installed" in result.run.message
    assert "gates tools install bandit" in result.run.message


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("exit 137", "was killed (exit code 137, SIGKILL"),
        ("kill -9 $$", "was killed (exit code -9, SIGKILL"),
    ],
)
def test_killed_scanner_fails(python_target, tmp_path, fake_tools, script, expected):
    """A scanner killed by SIGKILL, directly or as exit status 137, fails by name."""
    fake_tool(
        fake_tools, "bandit", "bandit", f'[ "$1" = "--version" ] && echo 1.9.4 && exit 0\n{script}'
    )
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.FAILED
    assert expected in result.run.message


def test_garbage_output_fails_even_with_exit_zero(python_target, tmp_path, fake_tools):
    """A scanner that prints something other than its report fails, whatever its exit code."""
    fake_tool(fake_tools, "bandit", "bandit", "echo 'Segmentation fault (core dumped)'; exit 0")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.FAILED
    assert result.run.message.startswith("bandit's report could not be read")
    assert "Segmentation fault" in result.run.message


def test_two_reports_on_stdout_fail_naming_both(python_target, tmp_path, fake_tools):
    """A scanner that prints two reports fails: the gate never picks one and drops the other."""
    clean = '{"errors": [], "metrics": {"_totals": {"loc": 4}, "app.py": {}}, "results": []}'
    fake_tool(
        fake_tools, "bandit", "bandit", f"echo '{clean}'; echo '[main] INFO x'; echo '{clean}'"
    )
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.FAILED
    assert "printed 2 JSON documents (at lines 1, 3)" in result.run.message


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ('{"results": [], "errors": []}', "semgrep's report has no 'paths'"),
        ('{"results": [], "errors": [], "paths": {"scanned": []}}', "semgrep scanned no file"),
    ],
)
def test_semgrep_report_that_shows_no_scanned_file_is_incomplete(
    python_target, tmp_path, fake_tools, report, expected
):
    """semgrep's clean report without `paths.scanned`, or with an empty one, is not ok."""
    fake_tool(fake_tools, "semgrep", "semgrep", f"echo '{report}'")
    result = run_scanner(request_for(python_target, tmp_path), "semgrep")
    assert result.run.status is Status.INCOMPLETE
    assert expected in result.run.message


def test_unknown_layout_fails(python_target, tmp_path, fake_tools):
    """Valid JSON in a layout the adapter does not know is an error, not zero findings."""
    fake_tool(fake_tools, "bandit", "bandit", "echo '{\"issues\": []}'")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.FAILED
    assert "no 'results'" in result.run.message


def test_undocumented_exit_code_fails_but_keeps_findings(python_target, tmp_path, fake_tools):
    """Exit code 2 is not one bandit documents for a finished scan: failed, findings kept."""
    report = (
        '{"errors": [], "metrics": {"_totals": {"loc": 3}, "./app.py": {}}, "results": '
        '[{"filename":'
        ' "./app.py", "issue_severity": "HIGH", "issue_confidence": "HIGH", "test_id": "B301",'
        ' "test_name": "pickle", "issue_text": "x", "line_number": 4, "line_range": [4],'
        ' "issue_cwe": {"id": 502}}]}'
    )
    fake_tool(fake_tools, "bandit", "bandit", f"echo '{report}'; echo 'boom' >&2; exit 2")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.FAILED
    assert "exited with code 2" in result.run.message and "stderr: boom" in result.run.message
    assert len(result.findings) == 1


def test_hanging_scanner_times_out(python_target, tmp_path, fake_tools):
    """A scanner that hangs is stopped at its timeout and fails, saying so."""
    hang = f"exec {sys.executable} -c 'import time; time.sleep(60)'"
    fake_tool(fake_tools, "bandit", "bandit", f'[ "$1" = "--version" ] && exit 0\n{hang}')
    request = request_for(python_target, tmp_path, timeouts={"bandit": 1})
    result = run_scanner(request, "bandit")
    assert result.run.status is Status.FAILED
    assert result.run.message == "bandit timed out after 1 s and was stopped"
    assert result.run.duration_s < 30


@pytest.mark.scanner
def test_real_semgrep_with_one_second_timeout_fails(python_target, tmp_path):
    """The real semgrep, given one second, is stopped and fails the run."""
    require_scanner("semgrep")
    result = run_scanner(request_for(python_target, tmp_path, timeouts={"semgrep": 1}), "semgrep")
    assert result.run.status is Status.FAILED
    assert "timed out after 1 s" in result.run.message


@pytest.mark.scanner
def test_real_bandit_unparseable_file_is_incomplete(python_target, tmp_path):
    """A Python file bandit cannot parse makes the run incomplete and is named."""
    require_scanner("bandit")
    (python_target / "broken.py").write_text("def broken(:\n")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.INCOMPLETE
    assert "broken.py" in result.run.not_scanned
    assert any(f.rule_id == "B301" for f in result.findings)


@pytest.mark.scanner
def test_real_bandit_clean_scan_is_ok(python_target, tmp_path):
    """The real bandit on readable code is ok, records its version and exact command."""
    require_scanner("bandit")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.OK, result.run.message
    assert result.run.version and result.run.command[-2:] == ("--", "app.py")
    assert (tmp_path / "out" / "raw" / "bandit.json").is_file()


@pytest.mark.scanner
def test_real_bandit_ignores_the_target_s_own_bandit_settings(python_target, tmp_path):
    """A .bandit file in the target that skips the pickle check does not hide the finding."""
    require_scanner("bandit")
    (python_target / ".bandit").write_text("[bandit]\nskips = B301,B403\n")
    result = run_scanner(request_for(python_target, tmp_path), "bandit")
    assert result.run.status is Status.OK, result.run.message
    assert {"B301", "B403"} <= {f.rule_id for f in result.findings}


@pytest.mark.scanner
@pytest.mark.parametrize("scanner", ["bandit", "semgrep"])
def test_real_scanner_reads_a_file_named_like_an_option(python_target, tmp_path, scanner):
    """A Python file called "-r.py" is scanned as a file, not taken for a flag."""
    require_scanner(scanner)
    (python_target / "-r.py").write_text((python_target / "app.py").read_text())
    result = run_scanner(request_for(python_target, tmp_path), scanner)
    assert result.run.status is Status.OK, result.run.message
    assert "-r.py" in {f.path for f in result.findings}


@pytest.mark.scanner
def test_real_semgrep_invalid_rule_file_is_not_ok(python_target, tmp_path):
    """semgrep exits 0 on an invalid rule file; the gate still refuses to call it ok."""
    require_scanner("semgrep")
    rules = tmp_path / "bad-rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text("rules:\n  - id: broken\n    pattern: [unclosed\n")
    request = request_for(python_target, tmp_path)
    request = dataclasses.replace(request, rules_dir=rules)
    result = run_scanner(request, "semgrep")
    assert result.run.status in (Status.FAILED, Status.INCOMPLETE), result.run
    assert result.run.message


def test_pip_audit_offline_is_never_ok(python_target, tmp_path, fake_tools):
    """pip-audit that skipped every dependency and exited 0 is incomplete, never ok."""
    report = (
        '{"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI and'
        ' could not be audited: flask (3.1.0)"}], "fixes": []}'
    )
    fake_tool(
        fake_tools,
        "pip-audit",
        "pip-audit",
        f"echo '{report}'; echo 'No known vulnerabilities found' >&2",
    )
    result = run_scanner(request_for(python_target, tmp_path), "pip-audit")
    assert result.run.status is Status.INCOMPLETE
    assert "not verified" in result.run.message and "flask" in result.run.message


def test_symlink_leaving_target_is_not_followed(python_target, tmp_path):
    """A link that points outside the target is recorded and left out of the inventory."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1\n")
    os.symlink(outside, python_target / "escape")
    inventory = take_inventory(python_target, ())
    assert inventory.escaping_links == ("escape",)
    assert all(not p.startswith("escape") for p in inventory.python_files)


def test_full_disk_fails_that_scanner_and_keeps_the_others(
    python_target, tmp_path, fake_tools, monkeypatch
):
    """A full disk while keeping one scanner's output fails that scanner, by name, alone."""
    import errno

    from gates import runner
    from gates.storage import write_atomic

    fake_tool(fake_tools, "bandit", "bandit", 'echo \'{"results": [], "errors": []}\'')

    def full_for_bandit(path, content):
        if path.name.startswith("bandit"):
            error = OSError(errno.ENOSPC, "No space left on device")
            raise runner.OutputError(f"cannot write {path}: {error.strerror}")
        write_atomic(path, content)

    monkeypatch.setattr(runner, "write_atomic", full_for_bandit)
    request = request_for(python_target, tmp_path)
    bandit = run_scanner(request, "bandit")
    drift = run_scanner(request, "pin-drift")
    assert bandit.run.status is Status.FAILED
    assert "No space left on device" in bandit.run.message
    assert drift.run.status is Status.OK
    assert (tmp_path / "out" / "raw" / "pin-drift.json").is_file()


def test_every_run_names_what_the_inventory_left_out(python_target, tmp_path):
    """A virtual environment and a link leaving the target are named in the warnings of a
    scanner that ran and of one that was skipped."""
    venv = python_target / ".venv"
    (venv / "lib" / "python3.12" / "site-packages").mkdir(parents=True)
    (venv / "bin").mkdir()
    (venv / "bin" / "python3").write_text("")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, python_target / "escape")

    ran = run_scanner(request_for(python_target, tmp_path), "pin-drift")
    (python_target / "requirements.txt").unlink()
    skipped = run_scanner(request_for(python_target, tmp_path), "pin-drift")

    assert (ran.run.status, skipped.run.status) == (Status.OK, Status.SKIPPED)
    for run in (ran.run, skipped.run):
        assert any(
            "virtual environment" in w and w.endswith(": .venv (bin, lib, pyvenv.cfg)")
            for w in run.warnings
        ), run.warnings
        assert any("outside the target" in w and w.endswith(": escape") for w in run.warnings)
