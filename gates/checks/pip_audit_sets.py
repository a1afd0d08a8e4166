"""pip-audit over the exact pins of many requirements files, one consistent set at a time.

    python -m gates.checks.pip_audit_sets PIP_AUDIT TARGET FILE... [-- PIP_AUDIT_ARG...]

pip-audit refuses a set of requirements files in which one package is pinned twice
("duplicate requirements"), or in which any line is not an exact pin when it may not
resolve ("requirement ... is not pinned"): on a service with a dev and a prod file, or a
single `flask>=2` line, it would audit nothing. So this reads the `==` pins of every file
as text (nothing is installed, resolved or built), splits them into sets in which each
package has one version (one set, unless versions drift between files), runs
`PIP_AUDIT --no-deps --disable-pip -f json -r SET` on each from a temporary folder, and
prints one pip-audit 2.x report with every dependency it was given. Lines that are not
exact pins are not passed on: the adapter names them as not verifiable.

A report is held to what it was handed: every pin must come back in it at that version
(or by name as a dependency pip-audit skipped, which the adapter names). Any other pin is
listed under the merged report's `not_reported`, and the adapter makes each one a gap, so
a pip-audit that leaves a package out or audits another version is never a clean run.

Exit code: pip-audit's own when a run did not produce its report (its output is passed
through, so the gate shows pip-audit's error), else 1 when a vulnerability was found and
0 when none was.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 - runs the pinned pip-audit, never a shell
import sys
import tempfile
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from gates.checks.pin_drift import find_pins

_FOUND = 1


def pin_sets(pins: list[dict[str, object]]) -> list[list[tuple[str, str]]]:
    """Each package's distinct versions spread over as few sets as possible, so that no
    set pins a package twice: set k holds every package's k-th version."""
    versions: dict[str, list[str]] = {}
    for pin in pins:
        seen = versions.setdefault(str(pin["package"]), [])
        if pin["version"] not in seen:
            seen.append(str(pin["version"]))
    depth = max((len(found) for found in versions.values()), default=0)
    return [
        [(package, found[k]) for package, found in sorted(versions.items()) if k < len(found)]
        for k in range(depth)
    ]


def unreported(pins: list[tuple[str, str]], report: dict[str, object]) -> list[dict[str, str]]:
    """The pins handed to pip-audit that its report does not list at the version handed
    over, each with the reason. A dependency it skipped (listed by name, with a
    `skip_reason`) is accounted for: the adapter names every skip."""
    listed: dict[str, list[str]] = {}
    skipped = set()
    dependencies = report.get("dependencies")
    for dependency in dependencies if isinstance(dependencies, list) else []:
        if not isinstance(dependency, dict) or not isinstance(dependency.get("name"), str):
            continue  # the adapter refuses such a report
        name = canonicalize_name(dependency["name"])
        if "skip_reason" in dependency:
            skipped.add(name)
        else:
            listed.setdefault(name, []).append(str(dependency.get("version")))

    missing = []
    for name, version in pins:
        versions = listed.get(name, [])
        if name in skipped or any(_same_version(version, found) for found in versions):
            continue
        reason = f"reported at {', '.join(versions)} instead" if versions else "not in its report"
        missing.append({"name": name, "version": version, "reason": reason})
    return missing


def _same_version(pinned: str, reported: str) -> bool:
    # pip-audit prints versions normalized: 1.2 pinned may come back as 1.2, 01.2 as 1.2.
    try:
        return Version(pinned) == Version(reported)
    except InvalidVersion:
        return pinned == reported


def audit(
    pip_audit: str, pins: list[tuple[str, str]], extra: list[str], requirements: Path
) -> tuple[int, bytes, bytes, dict[str, object] | None]:
    """Run pip-audit on one set; return its exit code, its output and its report, if any."""
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in pins), "utf-8")
    completed = subprocess.run(  # nosec B603 - fixed argv, no shell
        [
            pip_audit,
            *("--no-deps", "--disable-pip", "--progress-spinner", "off", "-f", "json"),
            *("-r", str(requirements), *extra),
        ],
        cwd=requirements.parent,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout.decode("utf-8"))
    except ValueError:
        report = None
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        report = None
    return completed.returncode, completed.stdout, completed.stderr, report


def main(argv: list[str] | None = None) -> int:
    """Audit every set of pins and print the merged report."""
    args = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in args:
        at = args.index("--")
        args, extra = args[:at], args[at + 1 :]
    if len(args) < 2:
        usage = "usage: python -m gates.checks.pip_audit_sets PIP_AUDIT TARGET FILE... [-- ARG...]"
        print(usage, file=sys.stderr)
        return 2
    pip_audit, target, files = args[0], Path(args[1]), args[2:]
    try:
        pins = find_pins(target, files)
    except OSError as error:
        print(f"pip-audit-sets: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2

    merged: dict[str, list[object]] = {"dependencies": [], "fixes": [], "not_reported": []}
    found = False
    with tempfile.TemporaryDirectory(prefix="gates-pip-audit-") as folder:
        for number, one_set in enumerate(pin_sets(pins), start=1):
            requirements = Path(folder) / f"requirements-set-{number}.txt"
            code, stdout, stderr, report = audit(pip_audit, one_set, extra, requirements)
            sys.stderr.buffer.write(stderr)
            if report is None:
                sys.stdout.buffer.write(stdout)
                return code or 2
            merged["dependencies"] += report["dependencies"]  # type: ignore[operator]
            merged["fixes"] += report.get("fixes") or []  # type: ignore[operator]
            merged["not_reported"] += unreported(one_set, report)
            found = found or code == _FOUND
    print(json.dumps(merged, indent=2))
    return _FOUND if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
