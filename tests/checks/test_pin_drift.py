"""Tests for gates.checks.pin_drift and its adapter: one package, two versions, one finding."""

from __future__ import annotations

import json

import pytest

from gates.checks.pin_drift import main
from gates.cli import main as gates_main
from gates.errors import ReportError
from gates.model import Kind, Severity
from gates.scanners.pin_drift import PinDriftAdapter


def test_drift_across_files_is_found(tmp_path, capsys):
    """requests pinned to 2.19.0 in one file and 2.22.0 in another is one drift."""
    (tmp_path / "requirements.txt").write_text("Flask==3.1.0\nrequests==2.19.0\n")
    (tmp_path / "requirements-dev.txt").write_text(
        "-r requirements.txt\nrequests == 2.22.0\nflask==3.1.0\n"
    )
    assert main([str(tmp_path), "requirements.txt", "requirements-dev.txt"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [d["package"] for d in report["drifts"]] == ["requests"]
    assert {p["version"] for p in report["drifts"][0]["pins"]} == {"2.19.0", "2.22.0"}


def test_same_pin_twice_and_name_spelling_are_not_drift(tmp_path, capsys):
    """The same version pinned twice, spelled Flask and flask, is consistent."""
    (tmp_path / "a.txt").write_text("Flask==3.1.0\n")
    (tmp_path / "b.txt").write_text("flask==3.1.0  # same\n")
    main([str(tmp_path), "a.txt", "b.txt"])
    assert json.loads(capsys.readouterr().out)["drifts"] == []


def test_unreadable_file_exits_2(tmp_path, capsys):
    """A requirements file that cannot be read is an error, not an empty report."""
    assert main([str(tmp_path), "missing.txt"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_adapter_turns_each_drift_into_a_medium_dependency_finding():
    """The adapter makes one medium dependency finding per drifting package, at its first pin."""
    report = {
        "tool": "gates-pin-drift",
        "drifts": [
            {
                "package": "requests",
                "pins": [
                    {"file": "requirements.txt", "line": 4, "version": "2.19.0"},
                    {"file": "requirements-dev.txt", "line": 2, "version": "2.22.0"},
                ],
            }
        ],
    }
    parsed = PinDriftAdapter().parse(report, None)
    (finding,) = parsed.findings
    assert finding.severity is Severity.MEDIUM and finding.kind is Kind.DEPENDENCY
    assert (finding.path, finding.start_line) == ("requirements.txt", 4)
    assert parsed.expected == 1


@pytest.mark.parametrize(
    "report", [{}, {"tool": "other", "drifts": []}, {"tool": "gates-pin-drift"}]
)
def test_adapter_rejects_other_documents(report):
    """Anything but a pin drift report is a ReportError."""
    with pytest.raises(ReportError):
        PinDriftAdapter().parse(report, None)


def test_pins_in_included_files_are_checked_for_drift(tmp_path, monkeypatch):
    """django pinned in requirements.txt and, at another version, in a file it includes is
    a drift; an include that cannot be followed makes the run incomplete."""
    (tmp_path / "deps").mkdir()
    (tmp_path / "requirements.txt").write_text(
        "django==1.3\n-r deps/prod.txt\n-r https://example.org/more.txt\n"
    )
    (tmp_path / "deps" / "prod.txt").write_text("django==1.2\n")

    assert gates_main(["scan", "pin-drift", "--target", str(tmp_path)]) == 0

    saved = json.loads((tmp_path / "gates-report" / "scanners" / "pin-drift.json").read_text())
    assert [f["package"] for f in saved["findings"]] == ["django"]
    assert "deps/prod.txt:1 ==1.2" in saved["findings"][0]["description"]
    assert saved["scanner"]["status"] == "incomplete"
    assert saved["scanner"]["message"] == (
        "not checked for drift (include not followed): requirements.txt:3: "
        "-r https://example.org/more.txt (a URL, which the gate does not fetch)"
    )


def test_pins_in_a_requirements_folder_and_lock_files_are_checked_for_drift(tmp_path):
    """django pinned differently in requirements.txt and requirements/prod.txt, and flask in
    requirements.lock and requirements-dev.lock, are two drifts."""
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements.txt").write_text("django==1.3\n")
    (tmp_path / "requirements" / "prod.txt").write_text("django==1.2\n")
    (tmp_path / "requirements.lock").write_text("-e file:.\nflask==3.0.0\n    # via svc\n")
    (tmp_path / "requirements-dev.lock").write_text("flask==2.3.0\n")

    assert gates_main(["scan", "pin-drift", "--target", str(tmp_path)]) == 0

    saved = json.loads((tmp_path / "gates-report" / "scanners" / "pin-drift.json").read_text())
    assert saved["scanner"]["status"] == "ok"
    assert sorted(f["package"] for f in saved["findings"]) == ["django", "flask"]
