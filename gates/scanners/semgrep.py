"""Adapter for semgrep with local rules only (`semgrep scan --json --metrics=off`).

Both of semgrep's severity scales are read: the classic INFO/WARNING/ERROR and the newer
LOW/MEDIUM/HIGH/CRITICAL. semgrep can exit 0 with an invalid rule file or with files it
failed to parse, and it drops files silently (size limits, ignore files), so the run is
incomplete when `errors` holds anything at level `error`, when an error names a file,
when the report has no `paths.scanned` (semgrep 1.x always prints it) or an empty one,
or when `paths.scanned` lacks a Python file the inventory says we meant to scan (the
runner makes that comparison).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

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
_CONFIG_SUFFIXES = (".yml", ".yaml", ".tf", ".hcl", ".toml", ".json", ".ini", ".cfg")


def semgrep_severity(value: Any) -> Severity:
    """Map either of semgrep's severity scales to ours; anything else is `UNKNOWN`."""
    return SEVERITY_MAP.get(text(value).strip().upper(), Severity.UNKNOWN)


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
        configs = [str(context.rules_dir)] if context.rules_dir else []
        for extra in context.options.get("rules", ()):
            path = Path(extra)
            path = path if path.is_absolute() else context.target / path
            if not path.exists():
                raise ConfigError(
                    f"semgrep rules {extra!r} do not exist; the gate runs local rules only"
                )
            configs.append(str(path))
        if not configs:
            raise ConfigError("semgrep has no rules to run: the rule pack was not found")

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
        notes = ()
        if helm:
            notes = (
                f"semgrep left out {len(helm)} Helm chart template(s), which are not YAML "
                "until rendered (trivy scans the charts)",
            )
        return Command(
            tuple(argv),
            notes=notes,
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
        title = text(metadata.get("title")) or message.split(". ")[0][:200] or rule

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
