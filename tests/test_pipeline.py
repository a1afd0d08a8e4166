"""Tests for gates.pipeline: results cross job boundaries only within one run, and an ingested
report is judged against the target like a live run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gates.cli import main
from gates.config import GateConfig
from gates.model import ScannerRun, ScanResult, Status
from gates.pipeline import collect, save_result

APP = "import pickle\n\n\ndef load(data):\n    return pickle.loads(data)  # nosec\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A target with two Python files and one excluded folder."""
    root = tmp_path / "target"
    (root / "vendor").mkdir(parents=True)
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "views.py").write_text("x = 1\n", encoding="utf-8")
    (root / "vendor" / "lib.py").write_text("y = 2\n", encoding="utf-8")
    (root / "gates.toml").write_text('exclude = ["vendor/"]\n', encoding="utf-8")
    return root


def _ingest(target: Path, scanner: str, report: Any) -> dict[str, Any]:
    path = target.parent / f"{scanner}-report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    assert main(["ingest", scanner, str(path), "--target", str(target)]) == 0
    saved = target / "gates-report" / "scanners" / f"{scanner}.json"
    return json.loads(saved.read_text(encoding="utf-8"))


def _semgrep(scanned: list[str]) -> dict[str, Any]:
    return {"version": "1.185.0", "results": [], "errors": [], "paths": {"scanned": scanned}}


def _bandit(files: list[str], results: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    metrics: dict[str, Any] = {name: {"loc": 3} for name in files}
    metrics["_totals"] = {"loc": 3 * len(files)}
    return {"errors": [], "metrics": metrics, "results": results or []}


PICKLE = {
    "filename": "./app.py",
    "test_id": "B301",
    "test_name": "blacklist",
    "issue_severity": "MEDIUM",
    "issue_confidence": "HIGH",
    "issue_text": "Pickle can be unsafe.",
    "issue_cwe": {"id": 502},
    "line_number": 5,
    "line_range": [5],
}


def test_ingested_semgrep_report_that_missed_a_python_file_is_incomplete(target):
    """A semgrep report that did not scan one of the target's Python files is incomplete."""
    run = _ingest(target, "semgrep", _semgrep(["app.py"]))["scanner"]
    assert run["status"] == "incomplete"
    assert "did not scan 1 Python file(s) it was given: views.py" in run["message"]
    assert run["not_scanned"] == ["views.py"]


def test_ingested_semgrep_report_that_scanned_nothing_is_incomplete(target):
    """A semgrep report with an empty `paths.scanned` is incomplete, naming both gaps."""
    run = _ingest(target, "semgrep", _semgrep([]))["scanner"]
    assert run["status"] == "incomplete"
    assert "semgrep scanned no file" in run["message"]
    assert set(run["not_scanned"]) == {"app.py", "views.py"}


def test_ingested_bandit_report_that_read_fewer_files_is_incomplete(target):
    """A bandit report that read fewer Python files than the target holds is incomplete."""
    run = _ingest(target, "bandit", _bandit(["./app.py"]))["scanner"]
    assert run["status"] == "incomplete"
    assert run["not_scanned"] == ["views.py"]


def test_ingested_report_covering_the_target_is_ok_and_excluded_files_are_not_demanded(target):
    """A report that read every Python file outside the configured excludes is ok."""
    assert _ingest(target, "semgrep", _semgrep(["app.py", "views.py"]))["scanner"]["status"] == (
        "ok"
    )
    assert _ingest(target, "bandit", _bandit(["./app.py", "./views.py"]))["scanner"]["status"] == (
        "ok"
    )


def test_ingest_applies_the_configuration_like_a_live_run(target):
    """A finding in an excluded folder is dropped, and honor-suppressions = false is obeyed."""
    vendored = {**PICKLE, "filename": "./vendor/lib.py", "line_number": 1, "line_range": [1]}
    report = _bandit(["./app.py", "./views.py"], [PICKLE, vendored])
    saved = _ingest(target, "bandit", report)
    assert [(f["path"], f["severity"]) for f in saved["findings"]] == [("app.py", "info")]

    (target / "gates.toml").write_text(
        'exclude = ["vendor/"]\nhonor-suppressions = false\n', encoding="utf-8"
    )
    saved = _ingest(target, "bandit", report)
    assert [(f["path"], f["severity"]) for f in saved["findings"]] == [("app.py", "medium")]


def test_ingested_image_report_keeps_findings_outside_the_target(target):
    """An image's /app/node_modules secret is not the target's file: no exclude drops it."""
    secret = {"RuleID": "aws-access-key-id", "Severity": "CRITICAL", "StartLine": 1}
    report = {
        "SchemaVersion": 2,
        "ArtifactName": "registry.example/app:1",
        "ArtifactType": "container_image",
        "Results": [
            {"Target": "/app/node_modules/pkg/.env", "Class": "secret", "Secrets": [secret]}
        ],
    }
    saved = _ingest(target, "trivy", report)
    assert saved["scanner"]["status"] == "ok"
    assert [f["path"] for f in saved["findings"]] == ["/app/node_modules/pkg/.env"]


# --- results of one run ------------------------------------------------------------------

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
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "evil.py").write_text("import pickle\n")
    assert main(["run", "--target", str(tmp_path), "--output-dir", str(tmp_path / "app")]) == 2
    assert main(["run", "--target", str(tmp_path), "--output-dir", str(tmp_path)]) == 2
    assert not (tmp_path / "app" / "findings.json").exists()
