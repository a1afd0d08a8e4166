"""Adapter for semgrep with local rules only (`semgrep scan --json --metrics=off`).

Both of semgrep's severity scales are read: the classic INFO/WARNING/ERROR and the newer
LOW/MEDIUM/HIGH/CRITICAL. semgrep can exit 0 with an invalid rule file or with files it
failed to parse, and it drops files silently (size limits, ignore files), so the run is
incomplete when `errors` holds anything at level `error`, when an error names a file,
when the report has no `paths.scanned` (semgrep 1.x always prints it) or an empty one,
or when `paths.scanned` lacks a Python file the inventory says we meant to scan (the
runner makes that comparison).

Local rule folders (`[tool.gates.scanner.semgrep] rules`) run beside the pack, never
instead of it: semgrep keeps rule ids as written (`--no-rewrite-rule-ids`), so a local
rule with a pack rule's id would replace it. Before semgrep runs, every local rule file
is read and an id the pack has, or any id under the pack's `gates.` prefix, is refused
as a configuration error, as is a rule file that cannot be read or parsed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from gates.errors import ConfigError
from gates.model import Finding, Kind, Severity
from gates.scanners.interface import (
    Command,
    Parsed,
    ScanContext,
    ScannerAdapter,
    as_dict,
    as_list,
    fits_command_line,
    parse_cwe,
    parse_owasp,
    relative_path,
    require,
    text,
)

SEVERITY_MAP = {
    "INFO": Severity.LOW,
    "WARNING": Severity.MEDIUM,
    "ERROR": Severity.HIGH,
    "LOW": Severity.LOW,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}

_KIND_BY_METADATA = {
    "secret": Kind.SECRET,
    "secrets": Kind.SECRET,
    "configuration": Kind.CONFIGURATION,
    "infrastructure": Kind.CONFIGURATION,
}
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)`'\"][.!?])\s+(?=[A-Z])")
_CONFIG_SUFFIXES = (".yml", ".yaml", ".tf", ".hcl", ".toml", ".json", ".ini", ".cfg")

#: Rule ids starting with this belong to the gate's own pack; local rules may not use it.
RESERVED_PREFIX = "gates."
_RULE_SUFFIXES = (".yml", ".yaml")
_JSON_START = re.compile(rb"\s*\{")


def is_test_code(path: str) -> bool:
    """Whether the pack's service-behaviour rules leave this file out as test code (their
    `paths: exclude`, see semgrep-rules/README.md)."""
    parts = path.split("/")
    name = parts[-1]
    return (
        "tests" in parts[:-1]
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def first_sentence(message: str) -> str:
    """The message up to the first full stop that ends a sentence: one after a word and
    before a capital letter, so `curl ... | sh` or `e.g. x` does not cut it short."""
    return _SENTENCE_END.split(message.strip(), maxsplit=1)[0].removesuffix(".")


def semgrep_severity(value: Any) -> Severity:
    """Map either of semgrep's severity scales to ours; anything else is `UNKNOWN`."""
    return SEVERITY_MAP.get(text(value).strip().upper(), Severity.UNKNOWN)


def rule_files(path: Path) -> list[Path]:
    """The rule files semgrep loads from a `--config` path, as semgrep 1.185 picks them: the
    file itself, or every `.yml`/`.yaml` file in a folder and its subfolders (hidden ones
    and linked files too, linked subfolders not) except semgrep's test cases
    (`x.test.yaml`) and fix results (`x.fixed.yaml`)."""
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            suffixes = Path(name).suffixes
            if (
                suffixes
                and suffixes[-1] in _RULE_SUFFIXES
                and suffixes[-2:-1] != [".test"]
                and ".fixed" not in suffixes
                and (Path(folder) / name).is_file()
            ):
                found.append(Path(folder) / name)
    return found


def rule_ids(path: Path, shown: str | None = None) -> list[str]:
    """The ids of the rules in one semgrep rule file (YAML or JSON), named `shown` in errors.

    Raises `ConfigError` when the file cannot be read or parsed, is not a rule file (no
    `rules` list), or holds a rule without an id: a rule whose id cannot be known could
    be any rule's.
    """
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            f"cannot read the semgrep rule file {shown}: {error.strerror or error}"
        ) from error
    try:
        # semgrep reads a file that opens with "{" as JSON, anything else as YAML.
        document = json.loads(data) if _JSON_START.match(data) else yaml.safe_load(data)
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        detail = " ".join(str(error).split())[:300]
        raise ConfigError(f"the semgrep rule file {shown} cannot be parsed: {detail}") from error

    rules = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(rules, list):
        raise ConfigError(f"{shown} is not a semgrep rule file: it has no 'rules' list")
    ids = []
    for index, rule in enumerate(rules, start=1):
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise ConfigError(f"rule {index} in the semgrep rule file {shown} has no id")
        ids.append(rule_id)
    return ids


class SemgrepAdapter(ScannerAdapter):
    """Runs semgrep with the gate's rule pack and any local rule folders configured."""

    name: ClassVar[str] = "semgrep"
    executable: ClassVar[str] = "semgrep"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0, 1})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset(
        {"A01:2021", "A02:2021", "A03:2021", "A04:2021", "A05:2021", "A07:2021", "A08:2021"}
    )

    def skip_reason(self, context: ScanContext) -> str | None:
        if not context.inventory.file_count:
            return "no file of the target is left to scan after the excludes"
        return None

    def command(self, context: ScanContext) -> Command:
        if context.rules_dir is None:
            raise ConfigError("semgrep has no rules to run: the rule pack was not found")
        configs = [str(context.rules_dir)]
        extras = []
        for extra in context.options.get("rules", ()):
            path = Path(extra)
            path = path if path.is_absolute() else context.target / path
            if not path.exists():
                raise ConfigError(
                    f"semgrep rules {extra!r} do not exist; the gate runs local rules only"
                )
            extras.append(path)
            configs.append(str(path))
        _refuse_shadowing(context.rules_dir, extras, context.target)

        argv = [
            str(context.executable),
            "scan",
            "--json",
            "--metrics=off",
            "--disable-version-check",
            "--no-git-ignore",
            # Suppressed findings are reported and shown as suppressed (gates.merge).
            "--disable-nosem",
            # Rule ids as written, not prefixed with the folder the rules were loaded from.
            "--no-rewrite-rule-ids",
            "--quiet",
        ]
        for config in configs:
            argv += ["--config", config]
        for pattern in context.skip_paths:
            argv += ["--exclude", pattern]
        # Files named on the command line are scanned whatever a .semgrepignore in the
        # target (or semgrep's default one, which skips tests/) says; a huge tree falls
        # back to ".", where the scanned-files check still catches skipped Python files.
        # Helm chart templates are Go templates, not YAML, until rendered: semgrep cannot
        # parse them (trivy scans charts by rendering them), so they are left out, visibly.
        helm = set(context.inventory.helm_templates)
        files = [name for name in context.inventory.files if name not in helm]
        if fits_command_line(files):
            # "--": a file named like an option is still a file.
            argv += ["--", *files]
        else:
            for name in sorted(helm):
                argv += ["--exclude", name]
            argv.append(".")
        notes = []
        if helm:
            notes.append(
                f"semgrep left out {len(helm)} Helm chart template(s), which are not YAML "
                "until rendered (trivy scans the charts)"
            )
        tests = [name for name in context.inventory.python_files if is_test_code(name)]
        if tests:
            shown = ", ".join(tests[:10]) + (" …" if len(tests) > 10 else "")
            notes.append(
                f"{len(tests)} Python file(s) are named as test code, which the pack judges only "
                f"for injection and dangerous calls (bandit reads them in full): {shown}"
            )
        return Command(
            tuple(argv),
            notes=tuple(notes),
            env={"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"},
        )

    def parse(self, document: Any, target: Path | None) -> Parsed:
        report = as_dict(document, "semgrep's report")
        for key in ("results", "errors"):
            require(key in report, f"semgrep's report has no '{key}'")
        results = as_list(report["results"], "semgrep's 'results'")
        errors = as_list(report.get("errors", []), "semgrep's 'errors'")

        findings = tuple(
            self._finding(as_dict(item, "a semgrep result"), target) for item in results
        )

        gaps: list[str] = []
        notes: list[str] = []
        not_scanned: list[str] = []
        for error in errors:
            entry = as_dict(error, "a semgrep error")
            level = text(entry.get("level")).lower() or "error"
            kind = entry.get("type")
            kind_text = kind[0] if isinstance(kind, list) and kind else text(kind)
            message = " ".join(text(entry.get("message")).split())[:300]
            path = text(entry.get("path"))
            if path:
                rel = relative_path(path, target)
                not_scanned.append(rel)
                gaps.append(f"semgrep did not fully analyse {rel} ({kind_text})")
            elif level == "error":
                gaps.append(f"semgrep error ({kind_text}): {message}")
            else:
                notes.append(f"semgrep {level} ({kind_text}): {message}")

        # semgrep 1.x always lists the files it read in `paths.scanned`; without that
        # list, or with an empty one, nothing shows that anything was scanned.
        scanned: tuple[str, ...] | None = None
        if "paths" not in report:
            gaps.append("semgrep's report has no 'paths': it does not show what it scanned")
        else:
            paths = as_dict(report["paths"], "semgrep's 'paths'")
            if "scanned" not in paths:
                gaps.append(
                    "semgrep's report has no 'paths.scanned': it does not show what it read"
                )
            else:
                listed = as_list(paths["scanned"], "semgrep's 'paths.scanned'")
                scanned = tuple(relative_path(text(p), target) for p in listed)
                if not scanned:
                    gaps.append("semgrep scanned no file: its 'paths.scanned' is empty")

        return Parsed(
            findings=findings,
            expected=len(results),
            gaps=tuple(gaps),
            not_scanned=tuple(dict.fromkeys(not_scanned)),
            notes=tuple(notes),
            scanned=scanned,
        )

    def _finding(self, item: dict[str, Any], target: Path | None) -> Finding:
        require("check_id" in item and "path" in item, "a semgrep result has no check_id")
        extra = item.get("extra") if isinstance(item.get("extra"), dict) else {}
        metadata = extra.get("metadata") if isinstance(extra.get("metadata"), dict) else {}
        start = item.get("start") if isinstance(item.get("start"), dict) else {}
        end = item.get("end") if isinstance(item.get("end"), dict) else {}
        path = relative_path(text(item.get("path")), target)
        rule = text(item.get("check_id")) or "semgrep"
        message = " ".join(text(extra.get("message")).split())
        title = text(metadata.get("title")) or first_sentence(message)[:200] or rule

        category = text(metadata.get("category")).lower()
        kind = _KIND_BY_METADATA.get(category)
        if kind is None:
            kind = (
                Kind.CONFIGURATION
                if path.lower().endswith(_CONFIG_SUFFIXES) or ("dockerfile" in path.lower())
                else Kind.CODE
            )

        references = metadata.get("references")
        remediation = text(metadata.get("remediation")) or text(extra.get("fix"))
        if not remediation and isinstance(references, list) and references:
            remediation = "See " + ", ".join(text(r) for r in references[:3])
        return Finding(
            scanners=(self.name,),
            rule_id=rule,
            title=title,
            severity=semgrep_severity(extra.get("severity")),
            confidence=text(metadata.get("confidence")).lower() or None,
            kind=kind,
            path=path,
            start_line=start.get("line") if isinstance(start.get("line"), int) else None,
            end_line=end.get("line") if isinstance(end.get("line"), int) else None,
            cwe=parse_cwe(metadata.get("cwe", [])),
            owasp=parse_owasp(metadata.get("owasp", [])),
            description=message,
            remediation=remediation,
        )


def _refuse_shadowing(pack: Path, extras: list[Path], target: Path) -> None:
    # semgrep runs with --no-rewrite-rule-ids, so a local rule with a pack rule's id
    # would replace it: a target could switch off the very check that would fail it.
    if not extras:
        return
    pack_ids = {rule_id for path in rule_files(pack) for rule_id in rule_ids(path)}
    for extra in extras:
        for path in rule_files(extra):
            shown = _shown(path, target)
            for rule_id in rule_ids(path, shown):
                if rule_id in pack_ids:
                    raise ConfigError(
                        f"semgrep rule {rule_id!r} in {shown} has the id of one of the gate's "
                        "own rules and would replace it; rename the local rule"
                    )
                # Case too: a "GATES." rule would pass for the pack's in every report.
                if rule_id.lower().startswith(RESERVED_PREFIX):
                    raise ConfigError(
                        f"semgrep rule {rule_id!r} in {shown} uses the prefix "
                        f"{RESERVED_PREFIX!r}, reserved for the gate's own rules; rename it"
                    )


def _shown(path: Path, target: Path) -> str:
    try:
        return path.relative_to(target).as_posix()
    except ValueError:
        return str(path)
