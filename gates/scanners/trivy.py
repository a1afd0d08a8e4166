"""Adapter for trivy's filesystem scan (`trivy fs --format json`).

trivy finds three kinds of problem and all three are normalized: vulnerabilities in
lock and requirements files, misconfigurations (Dockerfile, Kubernetes, Terraform) and
secrets. Vulnerability scanning needs trivy's database; when the database is not in the
cache the scan runs without it and says so (the run is incomplete, never clean), unless
the configuration switches trivy's vulnerability scanning off
(`[tool.gates.scanner.trivy] vulnerabilities = false`).

Layouts read: SchemaVersion 2 with or without `Results` (trivy omits it when a scan found
nothing), the legacy top-level list of results, the legacy `null` document, and the
`Resources` list of `trivy k8s`. A report that does not name what it scanned (no
`ArtifactName`; `null` or an empty legacy list; a k8s report with neither `ClusterName`
nor resources) cannot show that a scan happened, so the run is incomplete. One advisory
listed for several packages of the same target and version (libc6 and libc-bin, say) is
counted once and the merge is reported.
"""

from __future__ import annotations

import os
import re
from importlib import resources
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
    parse_cwe,
    relative_path,
    require,
    text,
)
from gates.textio import read_small_text

#: trivy's (and tfsec's) inline ignore comments: trivy drops the finding they name without a
#: trace, even with --show-suppressed, and has no switch to disregard them.
_INLINE_IGNORE = re.compile(r"\b(?:trivy|tfsec):ignore:[^\s#]+")
_IAC_SUFFIXES = (".tf", ".tfvars", ".hcl", ".yaml", ".yml", ".json")
_MAX_IAC_BYTES = 2 * 1024 * 1024


def inline_ignores(target: Path, files: tuple[str, ...]) -> list[str]:
    """Every inline trivy/tfsec ignore comment in the target's infrastructure files, as
    `path:line (comment)`."""
    found = []
    for name in files:
        base = name.rsplit("/", 1)[-1].lower()
        # Dockerfile, Dockerfile.worker, worker.Dockerfile, api.dockerfile: trivy reads all.
        if not (name.endswith(_IAC_SUFFIXES) or "dockerfile" in base or "containerfile" in base):
            continue
        content = read_small_text(target / name, _MAX_IAC_BYTES) or ""
        for number, line in enumerate(content.splitlines(), start=1):
            found += [f"{name}:{number} ({m.group(0)})" for m in _INLINE_IGNORE.finditer(line)]
    return found


def default_cache_dir() -> Path:
    """Where trivy keeps its database: `TRIVY_CACHE_DIR`, else trivy's own default."""
    configured = os.environ.get("TRIVY_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trivy"


class TrivyAdapter(ScannerAdapter):
    """Runs `trivy fs` for misconfigurations, secrets and, with its database, vulnerabilities."""

    name: ClassVar[str] = "trivy"
    executable: ClassVar[str] = "trivy"
    ok_exit_codes: ClassVar[frozenset[int]] = frozenset({0})
    owasp_coverage: ClassVar[frozenset[str]] = frozenset(
        {"A02:2021", "A05:2021", "A06:2021", "A07:2021"}
    )

    def skip_reason(self, context: ScanContext) -> str | None:
        if not context.inventory.file_count:
            return "no file of the target is left to scan after the excludes"
        return None

    def command(self, context: ScanContext) -> Command:
        cache = default_cache_dir()
        if context.options.get("cache-dir"):
            cache = context.target / str(context.options["cache-dir"])
            # The option comes from the target's own configuration: a database it supplies
            # would be the repository's to forge.
            if cache.resolve().is_relative_to(context.target.resolve()):
                raise ConfigError(
                    f"trivy's cache-dir {context.options['cache-dir']!r} is inside the scanned "
                    "repository; its vulnerability database must come from outside it"
                )
        has_db = (cache / "db" / "trivy.db").is_file()
        # `vulnerabilities = false` is a team's explicit choice to leave dependency
        # vulnerabilities to pip-audit; without it a missing database is a gap.
        wanted = context.options.get("vulnerabilities", True)
        scanners = ["misconfig", "secret"] + (["vuln"] if has_db and wanted else [])
        argv = [
            str(context.executable),
            "fs",
            "--format",
            "json",
            "--quiet",
            "--cache-dir",
            str(cache),
            "--scanners",
            ",".join(scanners),
            "--skip-check-update",
            # The target's own .trivyignore, trivy.yaml and trivy-secret.yaml must not
            # silence the gate.
            "--ignorefile",
            os.devnull,
            "--config",
            os.devnull,
            "--secret-config",
            str(resources.files("gates").joinpath("data/trivy-secret.yaml")),
        ]
        if "vuln" in scanners:
            argv.append("--skip-db-update")
        for pattern in context.skip_paths:
            argv += ["--skip-dirs", pattern, "--skip-files", pattern]
        argv.append(".")

        gaps: tuple[str, ...] = ()
        ignored = [
            name
            for name in (".trivyignore", "trivy.yaml", "trivy-secret.yaml")
            if (context.target / name).exists()
        ]
        if wanted and not has_db:
            gaps = (
                f"vulnerability scanning did not run: trivy's database is not in {cache} "
                "(download it where the network allows with `trivy fs --download-db-only`)",
            )
        notes = [
            f"the target's {name} was not applied: the gate decides what counts" for name in ignored
        ]
        hidden = inline_ignores(context.target, context.inventory.files)
        if hidden:
            shown = ", ".join(hidden[:10]) + (" …" if len(hidden) > 10 else "")
            notes.append(
                f"trivy obeys {len(hidden)} inline ignore comment(s) and drops what they name "
                f"without a trace; review each: {shown}"
            )
        return Command(tuple(argv), gaps=gaps, notes=tuple(notes))

    def parse(self, document: Any, target: Path | None) -> Parsed:
        # A report that names nothing it scanned cannot show that a scan happened; a clean
        # `trivy fs` report still names its artifact, though it omits `Results`.
        unnamed: str | None = None
        if document is None:
            results: list[Any] = []
            unnamed = "is `null`"
        elif isinstance(document, list):
            results = document
            unnamed = None if results else "is an empty list"
        else:
            report = as_dict(document, "trivy's report")
            if "Resources" in report:
                resources = as_list(report["Resources"] or [], "trivy's 'Resources'")
                results = []
                for resource in resources:
                    entry = as_dict(resource, "a trivy k8s resource")
                    results.extend(as_list(entry.get("Results") or [], "a resource's 'Results'"))
                if not text(report.get("ClusterName")) and not resources:
                    unnamed = "names no 'ClusterName' and no resource"
            else:
                require(
                    "SchemaVersion" in report or "Results" in report,
                    "trivy's report has neither 'SchemaVersion', 'Results' nor 'Resources'",
                )
                results = as_list(report.get("Results") or [], "trivy's 'Results'")
                if not text(report.get("ArtifactName")).strip():
                    unnamed = "names no 'ArtifactName'"
        gaps: tuple[str, ...] = ()
        if unnamed:
            gaps = (
                f"trivy's report {unnamed}: it does not name what was scanned, so it cannot "
                "show that a scan happened",
            )

        findings: dict[tuple[Any, ...], Finding] = {}
        merged: list[str] = []
        expected = 0
        for raw in results:
            result = as_dict(raw, "a trivy result")
            where = relative_path(text(result.get("Target")), target)
            for vuln in as_list(result.get("Vulnerabilities") or [], "'Vulnerabilities'"):
                finding = self._vulnerability(as_dict(vuln, "a trivy vulnerability"), where)
                key = ("vuln", where, finding.rule_id, finding.version)
                if key in findings:
                    kept = findings[key]
                    merged.append(
                        f"{finding.rule_id} in {where}: {finding.package} merged into "
                        f"{kept.package} (same advisory, same version)"
                    )
                    findings[key] = kept.with_updates(package=f"{kept.package}, {finding.package}")
                else:
                    expected += 1
                    findings[key] = finding
            for misconfig in as_list(result.get("Misconfigurations") or [], "'Misconfigurations'"):
                entry = as_dict(misconfig, "a trivy misconfiguration")
                if text(entry.get("Status")).upper() not in ("", "FAIL"):
                    continue
                finding = self._misconfiguration(entry, where)
                # One check failing several ways at one place (EKS logging: api, audit,
                # scheduler...) is one flaw: one finding that lists every message.
                key = ("misconfig", where, finding.rule_id, finding.start_line)
                if key in findings:
                    kept = findings[key]
                    merged.append(
                        f"{finding.rule_id} in {where}:{finding.start_line or ''}: "
                        f"{text(entry.get('Message'))!r} merged into the same check's finding"
                    )
                    findings[key] = kept.with_updates(
                        description=f"{kept.description} {text(entry.get('Message'))}".strip()
                    )
                else:
                    expected += 1
                    findings[key] = finding
            for secret in as_list(result.get("Secrets") or [], "'Secrets'"):
                expected += 1
                finding = self._secret(as_dict(secret, "a trivy secret"), where)
                findings[("secret", expected)] = finding
        return Parsed(
            findings=tuple(findings.values()), expected=expected, gaps=gaps, merged=tuple(merged)
        )

    def _vulnerability(self, vuln: dict[str, Any], where: str) -> Finding:
        advisory = text(vuln.get("VulnerabilityID"))
        require(bool(advisory), f"a trivy vulnerability in {where} has no VulnerabilityID")
        package = text(vuln.get("PkgName"))
        version = text(vuln.get("InstalledVersion")) or None
        fixed = tuple(v.strip() for v in text(vuln.get("FixedVersion")).split(",") if v.strip())
        return Finding(
            scanners=(self.name,),
            rule_id=advisory,
            title=text(vuln.get("Title")) or f"{package} {version or ''} is affected by {advisory}",
            severity=Severity.parse(vuln.get("Severity")),
            kind=Kind.DEPENDENCY,
            path=where or None,
            identifiers=(advisory,),
            package=package or None,
            version=version,
            fixed_versions=fixed,
            cwe=parse_cwe(vuln.get("CweIDs") or []),
            description=" ".join(text(vuln.get("Description")).split()),
            remediation=(
                f"Upgrade {package} to {', '.join(fixed)}."
                if fixed
                else "No fixed version is known."
            ),
        )

    def _misconfiguration(self, entry: dict[str, Any], where: str) -> Finding:
        cause = entry.get("CauseMetadata") if isinstance(entry.get("CauseMetadata"), dict) else {}
        start = cause.get("StartLine") if isinstance(cause.get("StartLine"), int) else None
        end = cause.get("EndLine") if isinstance(cause.get("EndLine"), int) else start
        rule = text(entry.get("ID")) or text(entry.get("AVDID")) or "trivy-misconfig"
        message = text(entry.get("Message"))
        return Finding(
            scanners=(self.name,),
            rule_id=rule,
            title=text(entry.get("Title")) or rule,
            severity=Severity.parse(entry.get("Severity")),
            kind=Kind.CONFIGURATION,
            path=where or None,
            start_line=start or None,
            end_line=end or None,
            description=" ".join(f"{text(entry.get('Description'))} {message}".split()),
            remediation=text(entry.get("Resolution")),
        )

    def _secret(self, entry: dict[str, Any], where: str) -> Finding:
        start = entry.get("StartLine") if isinstance(entry.get("StartLine"), int) else None
        end = entry.get("EndLine") if isinstance(entry.get("EndLine"), int) else start
        rule = text(entry.get("RuleID")) or "trivy-secret"
        return Finding(
            scanners=(self.name,),
            rule_id=rule,
            title=text(entry.get("Title")) or f"Secret ({rule})",
            severity=Severity.parse(entry.get("Severity")),
            kind=Kind.SECRET,
            path=where or None,
            start_line=start,
            end_line=end,
            cwe=(798,),
            description=f"{text(entry.get('Category'))} secret: {text(entry.get('Match'))}".strip(),
            remediation="Remove the secret from the repository, rotate it, load it at run time.",
        )
