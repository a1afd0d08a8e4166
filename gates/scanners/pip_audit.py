"""Adapter for pip-audit over the target's requirements files (`pip-audit -f json`).

The gate never installs or builds the target: pip-audit runs with `--no-deps
--disable-pip` on the `==` pins read from the requirements files as text
(`gates.checks.pip_audit_sets`, one consistent set of pins at a time), in the inventory's
requirements files and every file they include (`-r`, `-c`). A requirement that is not
pinned with `==` cannot be checked that way, nor an include that cannot be followed; each
is named as "not verifiable" before the scan runs. pip-audit reports no severity, so every
vulnerability is `unknown` (which the gate counts as high unless configured otherwise).
When its vulnerability service cannot be reached it skips every dependency, prints "No
known vulnerabilities found" and exits 0: here each skip is a gap and the run is
incomplete, never clean. Nor is a pin the report leaves out or lists at another version
(`not_reported` in the report `gates.checks.pip_audit_sets` prints). Dependencies declared
where pip-audit does not look (pyproject.toml, Pipfile, lock files, setup.py) are named: a
note beside requirements files, a gap without any (`unaudited_manifests`).

Both report layouts are read: 1.x's top-level list and 2.x's `{"dependencies": ...}`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, ClassVar

from gates.inventory import requirement_include
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
    unaudited_manifests,
)

_PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s,;]+\s*(;.*)?$")


def unverifiable_requirements(target: Path, files: tuple[str, ...]) -> list[str]:
    """Requirement lines that are not exact `==` pins (ranges, URLs, VCS, editables)."""
    found = []
    for rel in files:
        try:
            lines = (target / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            found.append(f"{rel}: unreadable ({error.strerror})")
            continue
        for number, raw in enumerate(lines, start=1):
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            # Included files are in the inventory's list, read on their own.
            if requirement_include(line) is not None:
                continue
            if line.startswith(("--hash", "--index", "--extra-index", "--trusted-host")):
                continue
            line = line.split(" --hash", 1)[0].strip().rstrip("\\").strip()
            if not _PINNED.match(line):
                found.append(f"{rel}:{number}: {line[:120]}")
    return found


def _some(items: list[str]) -> str:
    return "; ".join(items[:10]) + (" …" if len(items) > 10 else "")


class PipAuditAdapter(ScannerAdapter):
    """Runs pip-audit on pinned requirements without resolving or installing them."""

    name: ClassVar[str] = "pip-audit"
    executable: ClassVar[str] = "pip-audit"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0, 1})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset({"A06:2021"})

    def skip_reason(self, context: ScanContext) -> str | None:
        inventory = context.inventory
        if not inventory.requirements_files and not inventory.dependency_manifests:
            return "the target has no requirements files to audit"
        return None

    def command(self, context: ScanContext) -> Command:
        # pip-audit refuses a package pinned twice across files, and any line that is not
        # an exact pin: gates.checks.pip_audit_sets hands it the `==` pins of every file,
        # one consistent set at a time, and prints one report. It runs isolated (-I) so
        # nothing in the target's folder is imported.
        argv = [
            sys.executable,
            "-I",
            "-m",
            "gates.checks.pip_audit_sets",
            str(context.executable),
            ".",
            *context.inventory.requirements_files,
        ]
        service = context.options.get("vulnerability-service")
        if service:
            argv += ["--", "--vulnerability-service", str(service)]
        unpinned = unverifiable_requirements(context.target, context.inventory.requirements_files)
        # Without requirements files the check audits nothing and says so; the gap below
        # names the files whose dependencies that leaves unaudited.
        unaudited, notes = unaudited_manifests(context.inventory, self.name)
        gaps = (
            *(f"not verifiable (not pinned with ==): {line}" for line in unpinned),
            *(
                f"not verifiable (include not followed): {include}"
                for include in context.inventory.unfollowed_includes
            ),
            *unaudited,
        )
        return Command(tuple(argv), gaps=gaps, notes=notes)

    def parse(self, document: Any, target: Path | None) -> Parsed:
        unreported: list[str] = []
        if isinstance(document, dict):
            require("dependencies" in document, "pip-audit's report has no 'dependencies'")
            dependencies = as_list(document["dependencies"], "pip-audit's 'dependencies'")
            # Pins gates.checks.pip_audit_sets handed over that the report did not account for.
            for raw in as_list(document.get("not_reported") or [], "the report's 'not_reported'"):
                pin = as_dict(raw, "a pin pip-audit did not report")
                unreported.append(
                    f"{text(pin.get('name'))}=={text(pin.get('version'))} "
                    f"({text(pin.get('reason'))})"
                )
        else:
            dependencies = as_list(document, "pip-audit's report")

        findings: list[Finding] = []
        skipped: list[str] = []
        expected = 0
        for raw in dependencies:
            dependency = as_dict(raw, "a pip-audit dependency")
            name = text(dependency.get("name"))
            require(bool(name), "a pip-audit dependency has no name")
            if "skip_reason" in dependency:
                skipped.append(f"{name}: {text(dependency['skip_reason'])}")
                continue
            require("vulns" in dependency, f"pip-audit dependency {name!r} has no 'vulns'")
            vulns = as_list(dependency["vulns"], f"pip-audit vulns of {name}")
            expected += len(vulns)
            version = text(dependency.get("version")) or None
            findings.extend(
                self._finding(name, version, as_dict(v, "a pip-audit vuln")) for v in vulns
            )

        gaps: list[str] = []
        if skipped:
            total = len(dependencies)
            # Offline, pip-audit says of every package that it is "not found on PyPI".
            offline = all("not found on PyPI" in reason for reason in skipped)
            hint = " (its vulnerability service gave no answer: is the network closed?)"
            gaps.append(
                f"pip-audit could not check {len(skipped)} of {total} dependencies, so they are "
                f"not verified{hint if offline else ''}: {_some(skipped)}"
            )
        if not dependencies:
            gaps = ["pip-audit listed no dependencies: nothing was audited"]
        if unreported:
            gaps.append(
                f"pip-audit's report does not account for {len(unreported)} pin(s) it was "
                f"given, so they are not verified: {_some(unreported)}"
            )
        return Parsed(findings=tuple(findings), expected=expected, gaps=tuple(gaps))

    def _finding(self, package: str, version: str | None, vuln: dict[str, Any]) -> Finding:
        advisory = text(vuln.get("id"))
        require(bool(advisory), f"a pip-audit vulnerability of {package} has no id")
        aliases = [text(a) for a in vuln.get("aliases") or [] if text(a)]
        fixes = tuple(text(v) for v in vuln.get("fix_versions") or [] if text(v))
        description = " ".join(text(vuln.get("description")).split())
        return Finding(
            scanners=(self.name,),
            rule_id=advisory,
            title=f"{package} {version or ''} is affected by {advisory}".replace("  ", " "),
            severity=Severity.UNKNOWN,
            kind=Kind.DEPENDENCY,
            identifiers=tuple(dict.fromkeys([advisory, *aliases])),
            package=package,
            version=version,
            fixed_versions=fixes,
            description=description,
            remediation=(
                f"Upgrade {package} to {' or '.join(fixes)} or later."
                if fixes
                else f"No fixed release of {package} is known: replace it or accept the risk."
            ),
        )
