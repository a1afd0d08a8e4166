"""Adapter for the gate's own dependency pin drift check (`gates.checks.pin_drift`).

The same package pinned to different versions in two requirements files means two
environments run different code, and a fix applied in one file misses the other
(roadmap P1-5). Each drifting package is one medium finding at its first pin. The files
read are the inventory's requirements files (`Inventory.requirements_files`: named like
requirements, in a requirements/ folder, requirements*.lock) and every file they include;
an include that cannot be followed is a gap.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from gates import __version__
from gates.model import Finding, Kind, Severity
from gates.scanners.interface import (
    Command,
    Parsed,
    ScanContext,
    ScannerAdapter,
    as_dict,
    as_list,
    require,
    text,
)


class PinDriftAdapter(ScannerAdapter):
    """Runs the pin drift check in a separate Python process (see `ScannerAdapter`)."""

    name: ClassVar[str] = "pin-drift"
    executable: ClassVar[str] = "python"
    owasp_coverage: ClassVar[frozenset[str]] = frozenset({"A06:2021"})

    def locate(self) -> Path | None:
        return Path(sys.executable)

    def skip_reason(self, context: ScanContext) -> str | None:
        if not context.inventory.requirements_files:
            return "the target has no requirements files"
        return None

    def command(self, context: ScanContext) -> Command:
        # The check runs with the target as its working folder. Isolated mode (-I) keeps
        # that folder off sys.path, so a json.py or gates/ package of the target's is
        # never imported in place of ours, and PYTHON* variables are ignored.
        return Command(
            (
                str(context.executable),
                "-I",
                "-m",
                "gates.checks.pin_drift",
                ".",
                *context.inventory.requirements_files,
            ),
            gaps=tuple(
                f"not checked for drift (include not followed): {include}"
                for include in context.inventory.unfollowed_includes
            ),
        )

    def version_argv(self, executable: Path) -> tuple[str, ...]:
        return (str(executable), "-c", f"print({__version__!r})")

    def parse(self, document: Any, target: Path | None) -> Parsed:
        report = as_dict(document, "the pin drift report")
        require(report.get("tool") == "gates-pin-drift", "not a gates pin drift report")
        entries = as_list(report.get("drifts"), "the pin drift report's 'drifts'")
        findings = tuple(self._finding(as_dict(e, "a drift")) for e in entries)
        return Parsed(findings=findings, expected=len(entries))

    def _finding(self, entry: dict[str, Any]) -> Finding:
        package = text(entry.get("package"))
        pins = [as_dict(p, "a pin") for p in as_list(entry.get("pins"), "a drift's pins")]
        require(bool(package) and len(pins) > 1, "a drift needs a package and two pins")
        first = pins[0]
        where = ", ".join(
            f"{text(p.get('file'))}:{p.get('line')} =={text(p.get('version'))}" for p in pins
        )
        versions = sorted({text(p.get("version")) for p in pins})
        return Finding(
            scanners=(self.name,),
            rule_id="gates.dependency-pin-drift",
            title=f"{package} is pinned to different versions: {', '.join(versions)}",
            severity=Severity.MEDIUM,
            kind=Kind.DEPENDENCY,
            path=text(first.get("file")) or None,
            start_line=first.get("line") if isinstance(first.get("line"), int) else None,
            package=package,
            version=" / ".join(versions),
            identifiers=("gates.dependency-pin-drift",),
            owasp=("A06:2021", "A03:2025"),
            description=f"Pins of {package}: {where}.",
            remediation=(
                f"Pin {package} to one version in one file and include it (`-r`) where needed, "
                "or use a lock file."
            ),
        )
