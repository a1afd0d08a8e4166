"""The contract every scanner adapter fulfils.

An adapter knows two things about its scanner: the command line that scans a target
(`command`) and how to read the report that command prints (`parse`). Running the
process, timing it out, judging its exit code and turning the result into a
`ScanResult` is the runner's job (`gates.runner`), the same for every scanner.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from gates.errors import ReportError
from gates.inventory import Inventory
from gates.model import Finding


@dataclass(frozen=True)
class ScanContext:
    """What an adapter may know when it builds its command line."""

    target: Path
    inventory: Inventory
    executable: Path
    excludes: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    rules_dir: Path | None = None

    @property
    def skip_paths(self) -> tuple[str, ...]:
        """Everything a scanner must leave alone: the excludes, links that leave the
        target, the own entries of virtual environments and an earlier run's reports, as
        patterns relative to the target."""
        return tuple(
            dict.fromkeys(
                (
                    *(pattern.lstrip("/") for pattern in self.excludes),
                    *(literal_pattern(name) for name in self.inventory.escaping_links),
                    *(literal_pattern(name) for name in self.inventory.virtualenv_contents),
                    *(literal_pattern(name) for name in self.inventory.earlier_outputs),
                )
            )
        )


def literal_pattern(name: str) -> str:
    """A file name as a glob pattern that matches only that name: a link called `*` must
    not become a pattern that skips the whole target."""
    return re.sub(r"([*?\[{}])", r"[\1]", name)


@dataclass(frozen=True)
class Command:
    """A command line to run, what it will leave unchecked even if it succeeds (`gaps`),
    and facts about the run worth showing (`notes`)."""

    argv: tuple[str, ...]
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    """What an adapter read from a report.

    `expected` is the number of raw items the report lists, counted independently of the
    normalization: the runner compares it with `len(findings)`, so a format change shows
    up as an error instead of as a clean scan. `gaps` says what the scanner could not
    check (files it failed to parse, packages it skipped); any gap makes the run
    incomplete. `notes` are facts worth showing that do not make it incomplete.
    `scanned`, where the report lists the files it read, lets the runner check that no
    Python file of the inventory was left out.
    """

    findings: tuple[Finding, ...]
    expected: int
    gaps: tuple[str, ...] = ()
    not_scanned: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    scanned: tuple[str, ...] | None = None


class ScannerAdapter(abc.ABC):
    """Base of the scanner family: one subclass per external scanner."""

    #: The scanner's name as users type it (`gates scan NAME`, `[tool.gates]`).
    name: ClassVar[str]
    #: The executable looked up in the tool environments and on PATH.
    executable: ClassVar[str]
    #: Exit codes the scanner documents for a completed scan (findings or not).
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0})
    #: Seconds before the run is abandoned, unless `[tool.gates.timeouts]` says otherwise.
    default_timeout: ClassVar[int] = 900
    #: OWASP Top 10 (2021) categories this scanner looks for at all.
    owasp_coverage: ClassVar[frozenset[str]] = frozenset()

    def locate(self) -> Path | None:
        """The executable, when the adapter knows it better than a PATH lookup does."""
        return None

    def skip_reason(self, context: ScanContext) -> str | None:
        """Why this target has nothing for the scanner to look at, or None to run it."""
        return None

    @abc.abstractmethod
    def command(self, context: ScanContext) -> Command:
        """The command line that scans `context.target` and prints a JSON report."""

    @abc.abstractmethod
    def parse(self, document: Any, target: Path | None) -> Parsed:
        """Normalize a report already decoded from JSON; raise `ReportError` on any
        layout this adapter does not know."""

    def version_argv(self, executable: Path) -> Sequence[str]:
        """The command line that prints the scanner's version."""
        return (str(executable), "--version")

    def read_version(self, text: str) -> str | None:
        """Pick the version number out of what `version_argv` printed."""
        match = re.search(r"\d+\.\d+(?:\.\d+)?", text)
        return match.group(0) if match else None


def require(condition: bool, message: str) -> None:
    """Raise `ReportError(message)` unless `condition` holds: a shape check in one line."""
    if not condition:
        raise ReportError(message)


def as_list(value: Any, what: str) -> list[Any]:
    """Return `value` if it is a JSON array, else raise `ReportError` naming `what`."""
    require(isinstance(value, list), f"{what} is not a list but {type(value).__name__}")
    return value


def as_dict(value: Any, what: str) -> dict[str, Any]:
    """Return `value` if it is a JSON object, else raise `ReportError` naming `what`."""
    require(isinstance(value, dict), f"{what} is not an object but {type(value).__name__}")
    return value


def text(value: Any) -> str:
    """A report's string field, or "" when it is missing or null."""
    return value if isinstance(value, str) else ("" if value is None else str(value))


def parse_cwe(values: Any) -> tuple[int, ...]:
    """CWE ids from any of the shapes scanners use: 79, "CWE-79", "CWE-79: name", lists."""
    items = values if isinstance(values, list | tuple) else [values]
    found: list[int] = []
    for item in items:
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(parse_cwe(item.get("id")))
        elif isinstance(item, str):
            match = re.match(r"\s*(?:CWE-)?(\d+)", item, re.IGNORECASE)
            if match:
                found.append(int(match.group(1)))
    return tuple(dict.fromkeys(n for n in found if n > 0))


def parse_owasp(values: Any) -> tuple[str, ...]:
    """OWASP categories such as "A03:2021" from strings like "A03:2021 - Injection"."""
    items = values if isinstance(values, list | tuple) else [values]
    found = []
    for item in items:
        if isinstance(item, str):
            match = re.match(r"\s*(A\d{2}):(\d{4})", item)
            if match:
                found.append(f"{match.group(1)}:{match.group(2)}")
    return tuple(dict.fromkeys(found))


def unaudited_manifests(
    inventory: Inventory, scanner: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The gaps and the notes of a scanner that reads requirements files only, for the
    files that declare dependencies elsewhere (`Inventory.dependency_manifests`)."""
    manifests = inventory.dependency_manifests
    if not manifests:
        return (), ()
    named = ", ".join(manifests[:10]) + (" …" if len(manifests) > 10 else "")
    sentence = (
        f"dependencies declared in {named} were not audited: {scanner} reads requirements "
        "files only (export them to a requirements file with == pins to audit them)"
    )
    # Beside a requirements file they are most often the same dependencies, locked there
    # (pyproject.toml's ranges compiled into requirements.txt): a note, shown, not failing.
    # Without one, nothing the target declares was audited: a gap, so the run is incomplete.
    if inventory.requirements_files:
        return (), (sentence,)
    return (sentence,), ()


#: Bytes of file names a command line may carry (Linux allows 2 MiB with the environment).
MAX_ARGV_BYTES = 1_000_000


def fits_command_line(paths: Sequence[str]) -> bool:
    """Whether `paths` can be named one by one on a command line."""
    return sum(len(path.encode("utf-8", "surrogateescape")) + 1 for path in paths) <= (
        MAX_ARGV_BYTES
    )


def relative_path(path: str, target: Path | None) -> str:
    """Express a scanner's path relative to the target, whatever form it came in."""
    cleaned = path.strip()
    if target is not None and cleaned.startswith("/"):
        try:
            return Path(cleaned).resolve().relative_to(target.resolve()).as_posix()
        except ValueError:
            return cleaned
    while cleaned.startswith("./"):
        cleaned = cleaned[2:]
    return cleaned
