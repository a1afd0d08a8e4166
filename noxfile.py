"""Sessions of the release security gate.

    nox -s gate                              the whole gate on the embedded vulnerable sample
    nox -s gate -- --target ../service       the whole gate on another repository
    nox -s bandit -- --target ../service     one scanner (bandit, semgrep, deps, trivy, kubesec)
    nox -s tests                             the project's own tests, with real scanners
    nox -s lint                              ruff over the project
    nox -s benchmark -- --mirrors DIR         the rule pack's accuracy on public vulnerable apps

Every scanner is pinned (see `gates/toolchain.py`) and installed by `gates tools install`
into an environment of its own under `.nox/tools`; the gate runs them concurrently.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).resolve().parent
SAMPLE = ROOT / "samples" / "vulnerable-service"
RUFF = "ruff==0.14.10"
LINTED = ("gates", "tests", "ci", "benchmarks", "noxfile.py")


def _prepare(session: nox.Session, *scanners: str) -> None:
    session.install("-e", ".")
    session.env["GATES_TOOLS_DIR"] = os.environ.get("GATES_TOOLS_DIR", str(ROOT / ".nox" / "tools"))
    session.run("gates", "tools", "install", *scanners)


def _with_target(session: nox.Session) -> list[str]:
    args = list(session.posargs)
    if not any(arg == "--target" or arg.startswith("--target=") for arg in args):
        args += ["--target", str(SAMPLE)]
    return args


def _scan(session: nox.Session, *scanners: str) -> None:
    _prepare(session, *scanners)
    session.run("gates", "scan", *scanners, *_with_target(session))


@nox.session
def bandit(session: nox.Session) -> None:
    """Scan Python code with bandit and save its normalized result."""
    _scan(session, "bandit")


@nox.session
def semgrep(session: nox.Session) -> None:
    """Scan with the gate's own semgrep rule pack and save the normalized result."""
    _scan(session, "semgrep")


@nox.session
def deps(session: nox.Session) -> None:
    """Audit pinned requirements with pip-audit and safety, without installing them."""
    _scan(session, "pip-audit", "safety")


@nox.session
def trivy(session: nox.Session) -> None:
    """Scan Dockerfiles, manifests, Terraform and secrets (and dependencies) with trivy."""
    _scan(session, "trivy")


@nox.session
def kubesec(session: nox.Session) -> None:
    """Score Kubernetes manifests with kubesec, when its binary is on PATH."""
    _scan(session, "kubesec")


@nox.session
def gate(session: nox.Session) -> None:
    """Run every scanner concurrently, decide pass or fail, write the release report."""
    _prepare(session)
    session.run("gates", "run", *_with_target(session))


@nox.session
def tests(session: nox.Session) -> None:
    """Run the project's tests against real scanners and recorded outputs."""
    _prepare(session)
    session.install("-e", ".[test]")
    # Here a scanner test that cannot find its scanner fails instead of skipping.
    # coverage.xml is also what the gate reads when CI runs it on this repository.
    args = session.posargs or ["--cov=gates", "--cov-report=xml:coverage.xml", "--cov-report=term"]
    session.run("pytest", *args, env={"GATES_REQUIRE_SCANNERS": "1"})


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff."""
    session.install(RUFF)
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def benchmark(session: nox.Session) -> None:
    """Measure the rule pack's recall, precision and speed on public vulnerable apps."""
    _prepare(session, "semgrep", "bandit", "trivy")
    session.install("pyyaml")
    args = session.posargs or ["--help"]
    session.run("python", str(ROOT / "benchmarks" / "accuracy.py"), *args)
