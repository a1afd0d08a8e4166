"""Dependency pin drift: the same package pinned to different versions across files.

    python -m gates.checks.pin_drift TARGET FILE...

Reads each requirements file as text (nothing is installed or resolved) and prints a JSON
report: the files read, every `==` pin found, and each package pinned to more than one
version. Package names are compared in their normalized form (PEP 503).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from packaging.utils import canonicalize_name

from gates import __version__

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#,\\]+)")


def find_pins(target: Path, files: list[str]) -> list[dict[str, object]]:
    """Every exact pin in the given requirements files, with its file and line."""
    pins = []
    for rel in files:
        text = (target / rel).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = _PIN.match(line)
            if match:
                pins.append(
                    {
                        "package": canonicalize_name(match.group(1)),
                        "version": match.group(2),
                        "file": rel,
                        "line": number,
                    }
                )
    return pins


def drifts(pins: list[dict[str, object]]) -> list[dict[str, object]]:
    """The packages pinned to more than one version, with every pin of each."""
    by_package: dict[str, list[dict[str, object]]] = defaultdict(list)
    for pin in pins:
        by_package[str(pin["package"])].append(pin)
    return [
        {"package": package, "pins": found}
        for package, found in sorted(by_package.items())
        if len({pin["version"] for pin in found}) > 1
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the drift report for the files given after the target folder."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m gates.checks.pin_drift TARGET [FILE...]", file=sys.stderr)
        return 2
    target, files = Path(args[0]), args[1:]
    try:
        pins = find_pins(target, files)
    except OSError as error:
        print(f"pin-drift: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    report = {
        "tool": "gates-pin-drift",
        "version": __version__,
        "files": files,
        "pins": pins,
        "drifts": drifts(pins),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
