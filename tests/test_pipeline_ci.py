"""Tests of .gitlab-ci.yml: valid for GitLab, and shaped so no failure can slip through.

Running the pipeline itself is ci/run_pipeline.py's job (it needs gitlab-ci-local).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gates.pipeline import OUTPUT_FILES
from gates.scanners import SCANNERS

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "gitlab-ci.json"
GATE_JOB = "security-gate"
REPORTS = {"junit", "sast", "dependency_scanning", "codequality", "coverage_report"}
# Top-level keys that are not jobs.
GLOBAL_KEYS = {
    "stages",
    "variables",
    "include",
    "workflow",
    "default",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
}


@pytest.fixture(scope="module")
def pipeline() -> dict[str, Any]:
    return yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def jobs(pipeline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every job as GitLab sees it: hidden templates resolved through `extends`."""

    def resolved(name: str) -> dict[str, Any]:
        job = pipeline[name]
        parents = job.get("extends", [])
        merged: dict[str, Any] = {}
        for parent in [parents] if isinstance(parents, str) else parents:
            merged.update(resolved(parent))
        merged.update({k: v for k, v in job.items() if k != "extends"})
        return merged

    return {
        name: resolved(name)
        for name in pipeline
        if name not in GLOBAL_KEYS and not name.startswith(".")
    }


def _scan_jobs(jobs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: job for name, job in jobs.items() if job.get("stage") == "scan"}


def _nox_scanner_sessions() -> dict[str, tuple[str, ...]]:
    """Each noxfile session that runs `_scan(session, ...)`, with the scanners it runs."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    sessions = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for call in ast.walk(function):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "_scan":
                sessions[function.name] = tuple(arg.value for arg in call.args[1:])  # type: ignore[attr-defined]
    return sessions


def _script(job: dict[str, Any]) -> str:
    return "\n".join([*job.get("before_script", []), *job.get("script", [])])


def test_pipeline_validates_against_gitlab_ci_schema(pipeline: dict[str, Any]) -> None:
    """.gitlab-ci.yml is valid according to GitLab's published CI schema."""
    if not SCHEMA.is_file():
        pytest.skip(f"the GitLab CI schema is not at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"{error.json_path}: {error.message}"
        for error in jsonschema.Draft7Validator(schema).iter_errors(pipeline)
    ]
    assert errors == []


def test_every_scanner_session_has_a_scan_job(jobs: dict[str, dict[str, Any]]) -> None:
    """Each scanner session of the noxfile is run by exactly one scan job."""
    scripts = [_script(job) for job in _scan_jobs(jobs).values()]
    for session in _nox_scanner_sessions():
        running = [s for s in scripts if f"-s {session} " in s]
        assert len(running) == 1, f"nox session {session} is run by {len(running)} scan jobs"


def test_every_registered_scanner_is_produced_by_a_scan_job(
    jobs: dict[str, dict[str, Any]],
) -> None:
    """Every scanner the gate knows has a scan job producing its result."""
    scripts = "\n".join(_script(job) for job in _scan_jobs(jobs).values())
    produced = {
        scanner
        for session, scanners in _nox_scanner_sessions().items()
        if f"-s {session} " in scripts
        for scanner in scanners
    }
    produced |= {name for name in SCANNERS if f"gates scan {name} " in scripts}
    assert produced == set(SCANNERS)


def test_scan_jobs_start_at_once_and_publish_results_even_on_failure(
    jobs: dict[str, dict[str, Any]],
) -> None:
    """Scan jobs wait for nothing and publish their results whatever happened."""
    for name, job in _scan_jobs(jobs).items():
        assert job.get("needs") == [], name
        assert job["artifacts"]["when"] == "always", name


def test_gate_runs_after_every_scan_job_and_receives_their_artifacts(
    pipeline: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    """The gate sits in a stage after every scan job and lists no `needs:`, so it receives
    the artifacts of every earlier job (each scan result, and the coverage report of the
    team's test job whatever its name), and it runs even when one of them failed."""
    gate = jobs[GATE_JOB]
    stages = pipeline["stages"]
    assert "needs" not in gate
    for name, job in _scan_jobs(jobs).items():
        assert stages.index(job["stage"]) < stages.index(gate["stage"]), name
    assert stages.index("test") < stages.index(gate["stage"])
    assert gate["rules"]
    assert all(rule.get("when") == "always" for rule in gate["rules"])
    assert "gates decide" in _script(gate)


def test_our_own_tests_run_only_in_the_gates_project(jobs: dict[str, dict[str, Any]]) -> None:
    """The self-test job publishes coverage.xml before the gate, and a pipeline that
    includes this file (another CI_PROJECT_PATH) never runs it."""
    job = jobs["gates:self-test"]
    assert job["stage"] == "test"
    assert "coverage.xml" in job["artifacts"]["paths"]
    assert "nox -s lint tests" in _script(job)
    (rule,) = job["rules"]
    assert "$CI_PROJECT_PATH == $GATES_PROJECT" in rule["if"]


def test_the_gate_s_code_is_chosen_by_project_path_never_by_the_scanned_content(
    pipeline: dict[str, Any],
) -> None:
    """Jobs use the checkout as the gate's code only in the gates project itself; a scanned
    repository whose pyproject.toml says `name = "gates"` still gets the real gate cloned."""
    script = "\n".join(pipeline[".gates-job"]["before_script"])
    assert '[ "$CI_PROJECT_PATH" = "$GATES_PROJECT" ]' in script
    assert "pyproject.toml" not in script


def test_jobs_refuse_scanners_or_results_the_repository_commits(
    pipeline: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    """Every job stops (exit 2) when the repository tracks files under .nox/, where the
    scanners and trivy's database live; the gate job also when it tracks gates-report/."""
    before = "\n".join(pipeline[".gates-job"]["before_script"])
    assert 'git -C "$project" ls-files -- .nox' in before and "exit 2" in before
    gate = _script(jobs[GATE_JOB])
    assert "git ls-files -- gates-report" in gate and "exit 2" in gate


def test_no_job_swallows_a_failure(
    pipeline: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    """No `|| true`, `allow_failure: true` or error-ignoring option anywhere in the pipeline."""
    for name, job in jobs.items():
        script = "\n".join([_script(job), *job.get("after_script", [])])
        assert "|| true" not in script, name
        assert "|| :" not in script, name
        assert "set +e" not in script, name
        assert job.get("allow_failure", False) is False, name
        for rule in job.get("rules", []):
            assert rule.get("allow_failure", False) is False, name


def test_gate_artifacts_feed_the_merge_request_widgets(jobs: dict[str, dict[str, Any]]) -> None:
    """The gate publishes the HTML report with expose_as and every GitLab report type."""
    artifacts = jobs[GATE_JOB]["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["expose_as"]
    assert any(path.endswith("report.html") for path in artifacts["paths"])
    # GitLab hides exposed artifacts whose paths use variables.
    assert not any("$" in path for path in artifacts["paths"])
    assert set(artifacts["reports"]) == REPORTS
    assert artifacts["reports"]["coverage_report"]["coverage_format"] == "cobertura"


def test_container_scan_runs_only_when_an_image_is_named(jobs: dict[str, dict[str, Any]]) -> None:
    """The container scan is optional through its rules, never through allow_failure."""
    job = jobs["scan:container"]
    assert job["rules"]
    assert all("$GATES_CONTAINER_IMAGE" in rule["if"] for rule in job["rules"])
    assert 'trivy" image' in _script(job) or "trivy image" in _script(job)
    assert "gates ingest trivy" in _script(jobs[GATE_JOB])


def test_offline_config_for_the_hardened_run_is_valid() -> None:
    """The configurations the pipeline hands to the gate load without error."""
    from gates import config

    offline = config.load(ROOT, ROOT / "ci" / "hardened-offline.toml")
    assert {"bandit", "semgrep"} <= set(offline.required)
    container = config.load(ROOT, ROOT / "ci" / "container-gate.toml")
    assert container.enabled == ("trivy",)


def test_every_file_the_pipeline_puts_in_gates_report_is_a_known_output() -> None:
    """Each path the jobs write or publish under gates-report/ is one the gate knows as its
    own output, so a later run with the target "." leaves that folder out, not scans it."""
    text = (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")
    named = {
        path.rstrip("/")
        for path in re.findall(r"(?:\$GATES_REPORT|gates-report)/(\w[\w./-]*)", text)
        if path.rstrip("/")
    }

    assert named
    for path in named:
        assert path in OUTPUT_FILES or any(o.startswith(f"{path}/") for o in OUTPUT_FILES), path
