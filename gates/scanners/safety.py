"""Adapter for safety, PyUp's dependency checker, pinned at 1.10.3 (`safety check --json`).

1.10.3 is the last release that works offline: `--db` points at the folder of the
`safety-db` package installed next to it, the free database as of 2021-07-17. When that
bundled snapshot is used the run says so as a gap (advisories published since are not
checked), so it can be incomplete but never clean. 1.10.3 checks only requirements
pinned with exactly one `==`; anything else it skips with a warning on stderr and still
exits 0, so each such line is named as a gap before the scan runs, and so is an include
(`-r`, `-c`) the inventory could not follow. It exits 255 (its `sys.exit(-1)`) when it
found vulnerabilities and also when it failed, but a failure prints no JSON, which the
runner already treats as an error. safety 2 and later exit 64 when they found
vulnerabilities. Dependencies declared where safety does not look (pyproject.toml,
Pipfile, lock files, setup.py) are named: a note beside requirements files, a gap without
any (`unaudited_manifests`).

Every layout is read, so reports of other safety versions can be ingested:

- 1.x: a list of positional lists, `[name, spec, version, advisory, id]` plus, from
  1.10 on, `cvssv2` and `cvssv3`;
- 2.x and 3.x `check`: a dict whose `vulnerabilities` and `ignored_vulnerabilities` hold
  keyed entries (`CVE` may be null, `fixed_versions` may be `[""]`);
- 3.x `scan`: `scan_results.projects[].files[].results.dependencies[].specifications[]
  .vulnerabilities.known_vulnerabilities[]`, entries with only `id`, `ignored` and
  `vulnerable_spec`.

Banners around the JSON and a login prompt instead of it are handled before `parse`
(`gates.textio` finds the JSON or raises `ReportError`).

Severity: safety 1.x and most later entries carry none, so they are `unknown`. A CVSS
v3 base score maps to critical at 9 or more, high at 7, medium at 4, else low; without
a score its `base_severity` is used. CVSS v2 alone is not mapped.

A vulnerability ignored by policy is never dropped: it becomes a finding at severity
`info` whose title says "ignored by policy: <reason>". One ignored because its
requirement is unpinned (safety 3's `unpinned-specification`) also makes a gap, since
safety did not verify that requirement at all.

Identifiers are `PYUP-<id>` plus the advisory's CVE ids (its `CVE` field, and CVE ids
its text names as its own, not those it calls "related" or "different"), so the gate
can merge a safety finding with pip-audit's or trivy's. The same advisory for the same
package and version listed twice (a requirements file that includes another with `-r`,
both given to safety) is counted once and the merge reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from packaging.requirements import InvalidRequirement, Requirement

from gates.inventory import requirement_include
from gates.model import Finding, Kind, Severity
from gates.scanners.interface import (
    Command,
    Parsed,
    ScanContext,
    ScannerAdapter,
    as_dict,
    as_list,
    relative_path,
    require,
    text,
    unaudited_manifests,
)

#: The date of the safety-db release the gate pins (`safety-db==2021.7.17`).
SNAPSHOT_DATE = "2021-07-17"

_DB_GLOBS = ("lib/python*/site-packages/safety_db", "Lib/site-packages/safety_db")
_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
# An advisory text names other issues too: "a related issue to CVE-X", "a different
# vulnerability than CVE-X and CVE-Y". Those CVE ids are not the advisory's own.
_OTHER_ISSUE = re.compile(
    r"(related (?:issue|vulnerability) to|different (?:issue|vulnerability) than"
    r"|similar to|incomplete fix for)\s*$",
    re.IGNORECASE,
)
_LISTED_BEFORE = re.compile(r"(?:CVE-\d{4}-\d{4,}\s*(?:,|and|or)?\s*)+$", re.IGNORECASE)
_PINNED_VERSION = re.compile(r"==\s*([^\s,;)]+)")
_UNPINNED = "unpinned-specification"
# Option lines that name no package; `-e`/`--editable` do, and safety cannot check them.
_OPTION_LINES = tuple(
    "-r --requirement -c --constraint -i --index-url --extra-index-url -f --find-links "
    "--trusted-host --hash --pre --no-binary --only-binary --prefer-binary --require-hashes".split()
)


def cvss_severity(cvssv3: Any) -> Severity:
    """Our severity for a CVSS v3 entry (a dict, or a bare score); `UNKNOWN` without one."""
    score, named = cvssv3, None
    if isinstance(cvssv3, dict):
        score, named = cvssv3.get("base_score"), cvssv3.get("base_severity")
    if isinstance(score, str):
        try:
            score = float(score)
        except ValueError:
            score = None
    if isinstance(score, int | float) and not isinstance(score, bool):
        if score >= 9:
            return Severity.CRITICAL
        if score >= 7:
            return Severity.HIGH
        if score >= 4:
            return Severity.MEDIUM
        return Severity.LOW
    return Severity.parse(named)


def advisory_cves(cve_field: Any, advisory: str) -> tuple[str, ...]:
    """CVE ids of an advisory: its `CVE` field first, then those its text names as its own."""
    found = [match.upper() for match in _CVE.findall(text(cve_field))]
    for match in _CVE.finditer(advisory):
        before = _LISTED_BEFORE.sub("", advisory[: match.start()]).rstrip()
        if not _OTHER_ISSUE.search(before):
            found.append(match.group(0).upper())
    return tuple(dict.fromkeys(found))


def bundled_database(executable: Path) -> Path | None:
    """The `safety_db` package folder in the environment `executable` belongs to, if any."""
    environment = executable.absolute().parent.parent
    for pattern in _DB_GLOBS:
        for folder in sorted(environment.glob(pattern)):
            if (folder / "insecure.json").is_file():
                return folder
    return None


def unchecked_requirements(target: Path, files: tuple[str, ...]) -> list[str]:
    """Requirement lines safety 1.10.3 skips: anything but a single `==` pin."""
    found = []
    for rel in files:
        try:
            content = (target / rel).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            found.append(f"{rel}: unreadable ({error.strerror})")
            continue
        for number, line in _logical_lines(content):
            if line.startswith(_OPTION_LINES) or requirement_include(line) is not None:
                continue
            if not _single_pin(line):
                found.append(f"{rel}:{number}: {line[:120]}")
    return found


def _logical_lines(content: str) -> list[tuple[int, str]]:
    # Joins backslash continuations, drops comments and `--hash` options.
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if line.startswith("#"):
            line = ""
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).split("--hash", 1)[0].strip()
        pending = ""
        if line:
            lines.append((start, line))
    return lines


def _single_pin(line: str) -> bool:
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return False
    specifiers = list(requirement.specifier)
    return requirement.url is None and len(specifiers) == 1 and specifiers[0].operator == "=="


@dataclass(frozen=True)
class _Entry:
    """One vulnerability as any safety layout lists it, before normalization."""

    advisory_id: str
    package: str
    version: str | None
    spec: str = ""
    advisory: str = ""
    cve: Any = None
    cvssv3: Any = None
    fixed: tuple[str, ...] = ()
    recommended: str = ""
    path: str | None = None
    more_info: str = ""
    ignored: str | None = None
    ignored_code: str = ""


class SafetyAdapter(ScannerAdapter):
    """Runs safety 1.10.3 on the target's requirements files, offline (see `ScannerAdapter`)."""

    name: ClassVar[str] = "safety"
    executable: ClassVar[str] = "safety"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0, 64, 255})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset({"A06:2021"})

    def skip_reason(self, context: ScanContext) -> str | None:
        inventory = context.inventory
        if not inventory.requirements_files and not inventory.dependency_manifests:
            return "the target has no requirements files to check"
        return None

    def command(self, context: ScanContext) -> Command:
        argv = [str(context.executable), "check", "--json"]
        for rel in context.inventory.requirements_files:
            argv += ["-r", rel]
        if not context.inventory.requirements_files:
            # Without -r safety checks its own environment: given an empty file it checks
            # nothing, and the gap below says what that leaves unaudited.
            argv += ["-r", os.devnull]

        gaps = [
            f"not checked by safety (not pinned with ==): {line}"
            for line in unchecked_requirements(context.target, context.inventory.requirements_files)
        ]
        gaps += [
            f"not checked by safety (include not followed): {include}"
            for include in context.inventory.unfollowed_includes
        ]
        configured = context.options.get("db")
        database = Path(configured) if configured else bundled_database(context.executable)
        if database is not None:
            argv += ["--db", str(database)]
        if database is not None and not configured:
            gaps.append(
                f"safety's advisory database is the {SNAPSHOT_DATE} snapshot of safety-db: "
                "advisories published since are not checked"
            )
        unaudited, notes = unaudited_manifests(context.inventory, self.name)
        return Command(tuple(argv), gaps=(*unaudited, *gaps), notes=notes)

    def parse(self, document: Any, target: Path | None) -> Parsed:
        gaps: list[str] = []
        if isinstance(document, list):
            entries = [_positional(item) for item in document]
        else:
            report = as_dict(document, "safety's report")
            if "scan_results" in report:
                entries, gaps = _scan_entries(report, target)
            else:
                require(
                    "vulnerabilities" in report,
                    "safety's report has neither 'vulnerabilities' (check) nor "
                    "'scan_results' (scan)",
                )
                entries, gaps = _check_entries(report, target)

        findings: dict[tuple[Any, ...], Finding] = {}
        merged: list[str] = []
        for entry in entries:
            key = (entry.package.lower(), entry.version, entry.advisory_id, entry.ignored is None)
            if key in findings:
                merged.append(
                    f"PYUP-{entry.advisory_id} for {entry.package} {entry.version or ''} "
                    f"listed again{' in ' + entry.path if entry.path else ''}: counted once"
                )
                continue
            findings[key] = self._finding(entry)

        gaps += _unpinned_gaps(entries)
        return Parsed(
            findings=tuple(findings.values()),
            expected=len(entries) - len(merged),
            gaps=tuple(gaps),
            merged=tuple(merged),
        )

    def _finding(self, entry: _Entry) -> Finding:
        rule = f"PYUP-{entry.advisory_id}"
        subject = f"{entry.package} {entry.version}" if entry.version else entry.package
        advisory = " ".join(entry.advisory.split())
        description = advisory or f"{entry.package} versions {entry.spec} are affected."
        if entry.ignored is None:
            title = f"{subject} is affected by {rule}"
            severity = cvss_severity(entry.cvssv3)
        else:
            # Only the reason's first sentence: safety's reasons run to a paragraph.
            title = f"{subject}: {rule} ignored by policy: {entry.ignored.split('. ')[0]}"
            severity = Severity.INFO
            description = f"Ignored by policy: {entry.ignored} {description}"

        if entry.ignored_code == _UNPINNED:
            remediation = f"Pin {entry.package} with == so safety can check this advisory."
        elif entry.fixed:
            remediation = f"Upgrade {entry.package} to {' or '.join(entry.fixed)} or later."
        elif entry.recommended:
            remediation = f"Upgrade {entry.package} to {entry.recommended} (safety's advice)."
        elif entry.spec:
            remediation = f"Upgrade {entry.package} to a release outside {entry.spec}."
        else:
            remediation = (
                f"No fixed release of {entry.package} is known: replace it or accept the risk."
            )
        if entry.more_info:
            remediation += f" See {entry.more_info}"

        return Finding(
            scanners=(self.name,),
            rule_id=rule,
            title=title,
            severity=severity,
            kind=Kind.DEPENDENCY,
            path=entry.path,
            identifiers=(rule, *advisory_cves(entry.cve, advisory)),
            package=entry.package,
            version=entry.version,
            fixed_versions=entry.fixed,
            description=description,
            remediation=remediation,
        )


def _positional(item: Any) -> _Entry:
    fields = as_list(item, "a safety 1.x vulnerability")
    require(
        len(fields) in (5, 7),
        f"a safety 1.x vulnerability has {len(fields)} fields, not 5 or 7: {fields!r:.120}",
    )
    name, spec, version, advisory, advisory_id = (text(value) for value in fields[:5])
    require(bool(name) and bool(advisory_id), "a safety 1.x vulnerability has no name or id")
    return _Entry(
        advisory_id=advisory_id,
        package=name,
        version=version or None,
        spec=spec,
        advisory=advisory,
        cvssv3=fields[6] if len(fields) == 7 else None,
    )


def _check_entries(report: dict[str, Any], target: Path | None) -> tuple[list[_Entry], list[str]]:
    active = as_list(report["vulnerabilities"], "safety's 'vulnerabilities'")
    ignored = as_list(report.get("ignored_vulnerabilities") or [], "'ignored_vulnerabilities'")
    entries = [_keyed(as_dict(v, "a safety vulnerability"), target, False) for v in active]
    entries += [
        _keyed(as_dict(v, "an ignored safety vulnerability"), target, True) for v in ignored
    ]

    meta = report.get("report_meta") if isinstance(report.get("report_meta"), dict) else {}
    gaps = []
    if meta.get("packages_found") == 0:
        gaps.append("safety found no packages to check: nothing was verified")
    return entries, gaps


def _keyed(vuln: dict[str, Any], target: Path | None, listed_as_ignored: bool) -> _Entry:
    advisory_id = text(vuln.get("vulnerability_id"))
    package = text(vuln.get("package_name"))
    require(bool(advisory_id) and bool(package), "a safety vulnerability has no id or package")
    marker = vuln.get("ignored")
    reason = text(vuln.get("ignored_reason"))
    if isinstance(marker, dict):
        reason = reason or text(marker.get("reason"))
    is_ignored = listed_as_ignored or marker is True or (isinstance(marker, dict) and bool(marker))

    severity = vuln.get("severity") if isinstance(vuln.get("severity"), dict) else {}
    requirement = vuln.get("analyzed_requirement")
    found = text(requirement.get("found")) if isinstance(requirement, dict) else ""
    specs = vuln.get("vulnerable_spec")
    return _Entry(
        advisory_id=advisory_id,
        package=package,
        version=text(vuln.get("analyzed_version")) or None,
        spec=",".join(text(s) for s in specs) if isinstance(specs, list) else text(specs),
        advisory=text(vuln.get("advisory")),
        cve=vuln.get("CVE"),
        cvssv3=severity.get("cvssv3"),
        fixed=tuple(text(v) for v in vuln.get("fixed_versions") or [] if text(v).strip()),
        path=relative_path(found, target) if found else None,
        more_info=text(vuln.get("more_info_url")),
        ignored=(reason or "no reason given") if is_ignored else None,
        ignored_code=text(marker.get("code")) if isinstance(marker, dict) else "",
    )


def _scan_entries(report: dict[str, Any], target: Path | None) -> tuple[list[_Entry], list[str]]:
    results = as_dict(report["scan_results"], "safety's 'scan_results'")
    files = list(as_list(results.get("files") or [], "safety's 'scan_results.files'"))
    for project in as_list(results.get("projects") or [], "safety's 'projects'"):
        files += as_list(as_dict(project, "a safety project").get("files") or [], "'files'")

    entries: list[_Entry] = []
    dependencies = 0
    for raw_file in files:
        scanned = as_dict(raw_file, "a safety scanned file")
        path = relative_path(text(scanned.get("location")), target) or None
        outcome = as_dict(scanned.get("results") or {}, f"safety's results for {path}")
        for raw_dependency in as_list(outcome.get("dependencies") or [], "'dependencies'"):
            dependency = as_dict(raw_dependency, "a safety dependency")
            dependencies += 1
            for raw_spec in as_list(dependency.get("specifications") or [], "'specifications'"):
                entries += _specification(text(dependency.get("name")), raw_spec, path)

    gaps = [] if dependencies else ["safety listed no dependencies: nothing was verified"]
    return entries, gaps


def _specification(package: str, raw_spec: Any, path: str | None) -> list[_Entry]:
    spec = as_dict(raw_spec, f"a safety specification of {package}")
    raw = text(spec.get("raw"))
    found = as_dict(spec.get("vulnerabilities") or {}, f"safety vulnerabilities of {raw}")
    remedy = found.get("remediation") if isinstance(found.get("remediation"), dict) else {}
    pinned = _PINNED_VERSION.search(raw)
    entries = []
    for raw_vuln in as_list(found.get("known_vulnerabilities") or [], "'known_vulnerabilities'"):
        vuln = as_dict(raw_vuln, f"a safety vulnerability of {raw}")
        advisory_id = text(vuln.get("id"))
        require(bool(advisory_id) and bool(package), f"a safety vulnerability of {raw!r} has no id")
        marker = vuln.get("ignored")
        ignored = None
        if isinstance(marker, dict) and marker:
            ignored = text(marker.get("reason")) or text(marker.get("code")) or "no reason given"
        entries.append(
            _Entry(
                advisory_id=advisory_id,
                package=package,
                version=pinned.group(1) if pinned else None,
                spec=text(vuln.get("vulnerable_spec")),
                recommended=text(remedy.get("recommended")),
                path=path,
                ignored=ignored,
                ignored_code=text(marker.get("code")) if isinstance(marker, dict) else "",
            )
        )
    return entries


def _unpinned_gaps(entries: list[_Entry]) -> list[str]:
    by_file: dict[str, list[str]] = {}
    for entry in entries:
        if entry.ignored is not None and entry.ignored_code == _UNPINNED:
            packages = by_file.setdefault(entry.path or "the requirements", [])
            if entry.package not in packages:
                packages.append(entry.package)
    return [
        f"safety did not verify unpinned requirements in {where}: {', '.join(packages)} "
        f"(their advisories were ignored as '{_UNPINNED}')"
        for where, packages in by_file.items()
    ]
