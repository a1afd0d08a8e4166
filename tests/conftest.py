"""Shared fixtures: the repository's samples, the real scanners, the reference schemas."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from gates import toolchain

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True)
def _outside_a_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a laptop, even when CI runs them inside a pipeline: results are not
    stamped with the pipeline's id unless a test sets one."""
    monkeypatch.delenv("GATES_RUN_ID", raising=False)
    monkeypatch.delenv("CI_PIPELINE_ID", raising=False)


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a skip that names the missing path."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material missing: {path}")
    return path


@pytest.fixture
def reference_schema():
    """Load a JSON schema from ../shared/schemas by file name."""

    def load(name: str) -> dict[str, Any]:
        return json.loads(shared_path("schemas", name).read_text(encoding="utf-8"))

    return load


def require_scanner(name: str) -> Path:
    """The real scanner's executable; the test fails (in CI) or skips (elsewhere) without it.

    `nox -s tests` sets GATES_REQUIRE_SCANNERS=1 after installing bandit, semgrep and
    trivy, so there a missing scanner is a failure, never a silent skip.
    """
    from gates.scanners import SCANNERS

    found = toolchain.find_executable(name, SCANNERS[name].executable)
    if found is None:
        message = f"{name} is not installed (run `gates tools install {name}`)"
        if os.environ.get("GATES_REQUIRE_SCANNERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def sample_copy(tmp_path: Path):
    """Copy a sample service into a temporary folder, so a test may write into it."""

    def copy(name: str) -> Path:
        destination = tmp_path / name
        shutil.copytree(SAMPLES / name, destination, ignore=shutil.ignore_patterns("gates-report"))
        return destination

    return copy


# --- Recorded scanner outputs (tests/scanners) -------------------------------------------


@pytest.fixture
def scanner_output():
    """Read a recorded output from ../shared/fixtures/scanner-outputs, as bytes."""

    def read(relpath: str) -> bytes:
        return shared_path("fixtures", "scanner-outputs", relpath).read_bytes()

    return read


@pytest.fixture
def parse_output(scanner_output):
    """Decode a recorded output, parse it with an adapter and hold it to its own count.

    Returns the `Parsed` and the `JsonDocument` (whose warnings hold what surrounded the
    JSON). The runner rejects a report whose `expected` differs from its findings, so
    every parser test checks that too.
    """
    from gates.textio import load_json_document

    def parse(adapter, relpath: str, target: Path | None = None):
        document = load_json_document(scanner_output(relpath), what=adapter.name)
        parsed = adapter.parse(document.value, target)
        assert parsed.expected == len(parsed.findings)
        return parsed, document

    return parse
