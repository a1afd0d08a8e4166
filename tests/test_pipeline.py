"""Tests for gates.pipeline: results cross job boundaries only within one run."""

from __future__ import annotations

import json

import pytest

from gates.config import GateConfig
from gates.model import ScannerRun, ScanResult, Status
from gates.pipeline import collect, save_result

CONFIG = GateConfig(required=("bandit",), optional=())


def _save(output, monkeypatch: pytest.MonkeyPatch, run_id: str | None) -> None:
    if run_id is None:
        monkeypatch.delenv("CI_PIPELINE_ID", raising=False)
    else:
        monkeypatch.setenv("CI_PIPELINE_ID", run_id)
    save_result(output, ScanResult(ScannerRun("bandit", Status.OK, version="1.9.4")))


def test_a_result_is_stamped_with_the_pipeline_it_was_made_in(tmp_path, monkeypatch):
    """A scan job's result records CI_PIPELINE_ID, and GATES_RUN_ID overrides it."""
    _save(tmp_path, monkeypatch, "1042")
    saved = json.loads((tmp_path / "scanners" / "bandit.json").read_text())
    assert saved["scanner"]["run_id"] == "1042"

    monkeypatch.setenv("GATES_RUN_ID", "release-7")
    save_result(tmp_path, ScanResult(ScannerRun("bandit", Status.OK)))
    saved = json.loads((tmp_path / "scanners" / "bandit.json").read_text())
    assert saved["scanner"]["run_id"] == "release-7"


def test_a_result_of_the_same_pipeline_is_used(tmp_path, monkeypatch):
    """The gate job of pipeline 1042 takes the result scan:bandit made in pipeline 1042."""
    _save(tmp_path, monkeypatch, "1042")
    [result] = collect(tmp_path, CONFIG)
    assert result.run.status is Status.OK


@pytest.mark.parametrize("made_in", ["1041", None])
def test_a_result_from_another_run_is_never_trusted(tmp_path, monkeypatch, made_in):
    """A stale result, or one committed to the scanned repository without a run, fails the
    scanner in pipeline 1042 with a message naming it."""
    _save(tmp_path, monkeypatch, made_in)
    monkeypatch.setenv("CI_PIPELINE_ID", "1042")

    [result] = collect(tmp_path, CONFIG)

    assert result.run.status is Status.FAILED
    assert "no result from bandit in this run (1042)" in result.run.message
    assert "stale or committed" in result.run.message


def test_outside_a_pipeline_results_are_used_as_saved(tmp_path, monkeypatch):
    """On a laptop (no run id) `gates decide` reads what `gates scan` saved."""
    _save(tmp_path, monkeypatch, None)
    [result] = collect(tmp_path, CONFIG)
    assert result.run.status is Status.OK and result.run.run_id is None


def test_an_output_folder_holding_the_target_s_files_is_refused(tmp_path):
    """--output-dir pointing at a source folder would hide it from every scanner: exit 2."""
    from gates.cli import main

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "evil.py").write_text("import pickle\n")
    assert main(["run", "--target", str(tmp_path), "--output-dir", str(tmp_path / "app")]) == 2
    assert main(["run", "--target", str(tmp_path), "--output-dir", str(tmp_path)]) == 2
    assert not (tmp_path / "app" / "findings.json").exists()
