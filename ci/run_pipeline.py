"""Run .gitlab-ci.yml for real with gitlab-ci-local and check how each scenario ends.

    python ci/run_pipeline.py                       every scenario
    python ci/run_pipeline.py vulnerable killed     some of them
    GATES_TOOLS_DIR=/path python ci/run_pipeline.py reuse scanners installed there

Scenarios:

- `vulnerable`: samples/vulnerable-service. Every scan job passes, the gate job fails,
  so the pipeline fails because of the gate.
- `hardened`: samples/hardened-service with ci/hardened-offline.toml (the scanners that
  need the network are optional there). The gate job passes and so does the pipeline.
- `killed`: the hardened run again, with the bandit job killed (`kill -9` of its shell)
  through an override file that includes .gitlab-ci.yml. The bandit job and the gate job
  fail, and the gate names bandit ("no result from bandit") among its reasons.
- `coverage`: the hardened run without its committed coverage.xml, and a team's own
  `unit-tests` job (stage test, another name than any of ours) that publishes it as an
  artifact. The gate job receives it and passes: coverage flows from a test job.
- `container`: the hardened run with GATES_CONTAINER_IMAGE naming an image that cannot be
  scanned (no Docker here). The scan:container job fails, and so does the gate job, saying
  "no result from scan:container": an optional job that runs and fails is not swallowed.

Each scenario runs in a throwaway git repository holding a copy of the working tree
(tracked and untracked, not ignored files): gitlab-ci-local's `--shell-isolation` copies
only files git knows into each job's folder. Jobs run in a shell (`--force-shell-executor`),
so python3, git and rsync must be on PATH. Exit code: 0 every scenario ended as expected,
1 one did not, 2 the proof could not run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess  # nosec B404 - this script's job is to run git and gitlab-ci-local
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GITLAB_CI_LOCAL_VERSION = "4.60.1"
GATE_JOB = "security-gate"
HARDENED_COVERAGE = ROOT / "samples" / "hardened-service" / "coverage.xml"

COVERAGE_OVERRIDE = """\
# Written by ci/run_pipeline.py: a team's test job that publishes coverage.xml.
include:
  - local: .gitlab-ci.yml

unit-tests:
  stage: test
  script:
    - cp ci-coverage-fixture.xml samples/hardened-service/coverage.xml
  artifacts:
    paths:
      - samples/hardened-service/coverage.xml
"""

KILLED_OVERRIDE = """\
# Written by ci/run_pipeline.py: the pipeline with the bandit job killed mid-run.
include:
  - local: .gitlab-ci.yml

scan:bandit:
  script:
    - echo "killed on purpose by ci/run_pipeline.py (kill -9 of the job's shell)"
    - kill -9 $$
"""


@dataclass(frozen=True)
class Scenario:
    """One pipeline run and what must be true at its end."""

    name: str
    variables: dict[str, str]
    pipeline_passes: bool
    failed_jobs: frozenset[str]
    verdict: str  # findings.json's verdict; "" leaves it unchecked
    reasons_include: frozenset[str] = frozenset()
    gate_log_mentions: tuple[str, ...] = ()
    override: str | None = None
    # files to write into the snapshot (None: to leave out of it)
    files: dict[str, str | None] = field(default_factory=dict)


SCENARIOS = {
    "vulnerable": Scenario(
        name="vulnerable",
        variables={"GATES_TARGET": "samples/vulnerable-service"},
        pipeline_passes=False,
        failed_jobs=frozenset({GATE_JOB}),
        verdict="fail",
    ),
    "hardened": Scenario(
        name="hardened",
        variables={
            "GATES_TARGET": "samples/hardened-service",
            "GATES_CONFIG": "ci/hardened-offline.toml",
        },
        pipeline_passes=True,
        failed_jobs=frozenset(),
        verdict="pass",
    ),
    "killed": Scenario(
        name="killed",
        variables={
            "GATES_TARGET": "samples/hardened-service",
            "GATES_CONFIG": "ci/hardened-offline.toml",
        },
        pipeline_passes=False,
        failed_jobs=frozenset({"scan:bandit", GATE_JOB}),
        verdict="fail",
        reasons_include=frozenset({"scanner:bandit"}),
        gate_log_mentions=("no result from bandit",),
        override=".gitlab-ci-killed.yml",
        files={".gitlab-ci-killed.yml": KILLED_OVERRIDE},
    ),
    "coverage": Scenario(
        name="coverage",
        variables={
            "GATES_TARGET": "samples/hardened-service",
            "GATES_CONFIG": "ci/hardened-offline.toml",
        },
        pipeline_passes=True,
        failed_jobs=frozenset(),
        verdict="pass",
        override=".gitlab-ci-coverage.yml",
        files={
            ".gitlab-ci-coverage.yml": COVERAGE_OVERRIDE,
            "ci-coverage-fixture.xml": HARDENED_COVERAGE.read_text(encoding="utf-8"),
            "samples/hardened-service/coverage.xml": None,
        },
    ),
    "container": Scenario(
        name="container",
        variables={
            "GATES_TARGET": "samples/hardened-service",
            "GATES_CONFIG": "ci/hardened-offline.toml",
            "GATES_CONTAINER_IMAGE": "gates-proof/no-such-image:0",
        },
        pipeline_passes=False,
        failed_jobs=frozenset({"scan:container", GATE_JOB}),
        verdict="",
        gate_log_mentions=("no result from scan:container",),
    ),
}


class ProofError(Exception):
    """The proof could not run (a missing tool, a failed copy)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen scenarios and return 0 if each ended as expected."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    parser.add_argument("--keep", action="store_true", help="keep the throwaway repositories")
    parser.add_argument(
        "--gitlab-ci-local",
        default=os.environ.get("GITLAB_CI_LOCAL", "gitlab-ci-local"),
        help="the gitlab-ci-local executable (env GITLAB_CI_LOCAL)",
    )
    args = parser.parse_args(argv)
    names = args.scenarios or list(SCENARIOS)
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")

    try:
        _check_tools(args.gitlab_ci_local)
    except ProofError as error:
        print(f"run_pipeline: error: {error}", file=sys.stderr)
        return 2

    failures = 0
    for name in names:
        workdir = Path(tempfile.mkdtemp(prefix=f"gates-pipeline-{name}-"))
        try:
            problems = _run(SCENARIOS[name], workdir, args.gitlab_ci_local)
        except ProofError as error:
            print(f"run_pipeline: error: {error}", file=sys.stderr)
            return 2
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
        if problems:
            failures += 1
            print(f"[{name}] NOT as expected:", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
        else:
            print(f"[{name}] as expected", file=sys.stderr)
    return 1 if failures else 0


def _check_tools(gitlab_ci_local: str) -> None:
    for tool in ("git", "rsync", "python3"):
        if shutil.which(tool) is None:
            raise ProofError(f"{tool} is not on PATH")
    try:
        version = subprocess.run(  # nosec B603 B607 - fixed argv, no shell
            [gitlab_ci_local, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError as error:
        raise ProofError(
            f"cannot run {gitlab_ci_local}: {error}; "
            f"install it with `npm install -g gitlab-ci-local@{GITLAB_CI_LOCAL_VERSION}`"
        ) from error
    if version != GITLAB_CI_LOCAL_VERSION:
        raise ProofError(
            f"gitlab-ci-local {GITLAB_CI_LOCAL_VERSION} is required, found {version or 'nothing'}"
        )


def _run(scenario: Scenario, workdir: Path, gitlab_ci_local: str) -> list[str]:
    repo = _snapshot(workdir, scenario.files)
    command = [gitlab_ci_local, "--force-shell-executor", "--shell-isolation", "--no-color"]
    if scenario.override:
        command += ["--file", scenario.override]
    # .ci/run runs the project's own tests directly; the scenarios are about the gate.
    variables = {"GATES_SELF_TEST": "false", **scenario.variables}
    # Scanners installed beforehand are reused; otherwise each job installs its own.
    if os.environ.get("GATES_TOOLS_DIR"):
        variables["GATES_TOOLS_DIR"] = os.environ["GATES_TOOLS_DIR"]
    for key, value in variables.items():
        command += ["--variable", f"{key}={value}"]

    print(f"[{scenario.name}] {' '.join(command)}  (in {repo})", file=sys.stderr)
    completed = subprocess.run(  # nosec B603 B607 - fixed argv, no shell
        command, cwd=repo, capture_output=True, text=True, check=False, timeout=3600
    )
    log = completed.stdout + completed.stderr
    (workdir / "gitlab-ci-local.log").write_text(log, encoding="utf-8")
    print(f"[{scenario.name}] gitlab-ci-local exited {completed.returncode}", file=sys.stderr)
    return _judge(scenario, repo, completed.returncode, log)


def _snapshot(workdir: Path, extra_files: dict[str, str | None]) -> Path:
    """A git repository holding the working tree as it is now, on branch main."""
    repo = workdir / "repo"
    repo.mkdir()
    listed = subprocess.run(  # nosec B603 B607 - fixed argv, no shell
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(  # nosec B603 B607 - fixed argv, no shell
        ["rsync", "-a", "--from0", "--files-from=-", f"{ROOT}/", f"{repo}/"],
        input=listed,
        check=True,
    )
    for name, text in extra_files.items():
        if text is None:
            (repo / name).unlink()
        else:
            (repo / name).write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=gates", "-c", "user.email=gates@invalid"]
    for step in (
        ["init", "--quiet", "--initial-branch", "main"],
        ["add", "--all"],
        ["commit", "--quiet", "--no-verify", "-m", "snapshot for ci/run_pipeline.py"],
        # gitlab-ci-local derives CI_PROJECT_PATH and the default branch from a remote.
        ["remote", "add", "origin", "https://gitlab.invalid/security/gates.git"],
    ):
        # Fixed argv, no shell.
        subprocess.run([*git, *step], cwd=repo, check=True, capture_output=True)  # nosec B603 B607
    return repo


def _judge(scenario: Scenario, repo: Path, exit_code: int, log: str) -> list[str]:
    problems = []
    if (exit_code == 0) != scenario.pipeline_passes:
        expected = "pass" if scenario.pipeline_passes else "fail"
        problems.append(f"the pipeline should {expected}, gitlab-ci-local exited {exit_code}")

    outcomes = _job_outcomes(log)
    if GATE_JOB not in outcomes:
        problems.append(f"the {GATE_JOB} job did not run")
    failed = {job for job, passed in outcomes.items() if not passed}
    if failed != scenario.failed_jobs:
        expected = sorted(scenario.failed_jobs) or "none"
        problems.append(f"failed jobs are {sorted(failed) or 'none'}, expected {expected}")

    gate_log = _job_log(repo, GATE_JOB)
    for text in scenario.gate_log_mentions:
        if text not in gate_log:
            problems.append(f"the {GATE_JOB} job's log does not say {text!r}")

    artifacts = repo / ".gitlab-ci-local" / "artifacts" / _safe_name(GATE_JOB)
    findings = artifacts / "gates-report" / "findings.json"
    try:
        report = json.loads(findings.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problems.append(f"the gate's findings.json cannot be read from its artifacts: {error}")
        return problems
    if scenario.verdict and report.get("verdict") != scenario.verdict:
        problems.append(
            f"findings.json says {report.get('verdict')!r}, expected {scenario.verdict!r}"
        )
    reasons = {reason["check"] for reason in report.get("reasons", [])}
    missing = scenario.reasons_include - reasons
    if missing:
        problems.append(f"the gate's reasons {sorted(reasons)} lack {sorted(missing)}")
    return problems


def _job_outcomes(log: str) -> dict[str, bool]:
    # gitlab-ci-local ends with one " PASS  job" or " FAIL  job" line per job that ran.
    outcomes = {}
    for match in re.finditer(r"^\s*(PASS|FAIL|WARN)\s+(\S+)\s*$", log, re.MULTILINE):
        outcomes[match.group(2)] = match.group(1) != "FAIL"
    return outcomes


def _job_log(repo: Path, job: str) -> str:
    path = repo / ".gitlab-ci-local" / "output" / f"{_safe_name(job)}.log"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _safe_name(job: str) -> str:
    # gitlab-ci-local's folder name for a job: each run of other characters base64url-encoded.
    return re.sub(
        r"[^\w-]+",
        lambda match: base64.urlsafe_b64encode(match.group().encode()).decode().rstrip("="),
        job,
    )


if __name__ == "__main__":
    sys.exit(main())
