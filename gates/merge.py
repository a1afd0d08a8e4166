"""Fingerprints and deduplication across scanners.

A fingerprint names a problem, not a position: it hashes the file, what is wrong (the
first CWE, else the rule) and the text of the flagged line, so it survives lines moving
up or down. Where scanners name one flaw differently (bandit's B201 and the pack's
debug rule, trivy's DS-0002 and the pack's root-user rule), `SAME_FLAW` gives them one
"what". Identical lines in one file are told apart by their order. A dependency's
fingerprint hashes the package, its version and its CVE (else its first advisory id),
so pip-audit's PYSEC advisory with a CVE alias and trivy's report of the same CVE are
one finding. Findings with equal fingerprints are merged: the worst severity wins and
every scanner that reported it is listed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from gates.model import Finding, Kind, ScanResult, Severity, sorted_findings
from gates.owasp import categories_for

_SUPPRESSION = re.compile(r"#\s*(nosec|nosemgrep|nosem)\b", re.IGNORECASE)

#: Rules that report a flaw another scanner's rule reports too, under another name or
#: CWE: what their fingerprint calls the flaw, and whether it is about the whole file
#: (trivy gives no line for an image that runs as root).
SAME_FLAW: dict[str, tuple[str, bool]] = {
    # bandit, for flaws the rule pack reports with the CWE on the left
    "B105": ("CWE-321", False),  # hard-coded password string: a hard-coded secret key
    "B106": ("CWE-321", False),
    "B201": ("CWE-489", False),  # Flask app.run(debug=True)
    "B506": ("CWE-502", False),  # yaml.load without a safe loader
    # trivy's Dockerfile checks that the pack also makes
    "DS-0001": ("CWE-494", False),  # ':latest' base image: not pinned by digest
    "DS-0002": ("CWE-250", True),  # no USER, or USER root
    "gates.docker.root-user": ("CWE-250", True),
}
_MAX_SNIPPET_LINES = 5
_MAX_LINE_CHARS = 300


def read_lines(target: Path | None, finding: Finding) -> list[str]:
    """The flagged lines of the target file, if the finding points inside the target."""
    if target is None or not finding.path or not finding.start_line:
        return []
    root = target.resolve()
    path = (root / finding.path).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return []
    if not path.is_file():
        return []
    try:
        with path.open("rb") as handle:
            lines = handle.read(8 * 1024 * 1024).decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    end = max(finding.end_line or finding.start_line, finding.start_line)
    end = min(end, finding.start_line + _MAX_SNIPPET_LINES - 1)
    return [line[:_MAX_LINE_CHARS] for line in lines[finding.start_line - 1 : end]]


def _dependency_key(finding: Finding) -> str:
    ids = sorted(i for i in finding.identifiers if i.upper().startswith("CVE-"))
    advisory = (
        ids[0] if ids else (finding.identifiers[0] if finding.identifiers else finding.rule_id)
    )
    package = (finding.package or "").split(",")[0].strip().lower().replace("_", "-")
    return f"{package}|{finding.version or ''}|{advisory.upper()}"


def finalize(
    findings: Iterable[Finding], target: Path | None, *, honor_suppressions: bool = True
) -> tuple[Finding, ...]:
    """Give each finding its snippet, OWASP categories and fingerprint.

    A finding whose flagged line carries a `# nosec`, `# nosemgrep` or `# nosem` comment
    is kept, lowered to info and titled as suppressed (scanners run with their own
    suppression switched off, so that nothing disappears silently); with
    `honor_suppressions` false it keeps its severity.
    """
    lines_seen: dict[tuple[str, str], list[int | None]] = {}
    done = []
    for finding in findings:
        lines = read_lines(target, finding)
        snippet = finding.snippet
        if not snippet and lines and finding.kind is not Kind.SECRET:
            snippet = "\n".join(lines)

        if finding.kind is Kind.DEPENDENCY:
            basis = _dependency_key(finding)
        else:
            what, whole_file = SAME_FLAW.get(finding.rule_id, (None, False))
            what = what or (f"CWE-{finding.cwe[0]}" if finding.cwe else finding.rule_id)
            anchor = lines[0].strip() if lines else str(finding.start_line or "")
            if whole_file:
                anchor = ""
            basis = f"{finding.kind.value}|{finding.path or ''}|{what}|{anchor}"
        # Identical lines are numbered per rule, in order: one rule on two identical lines
        # gives two findings; one rule matching one line twice, or two rules on one line
        # (pickle from the request, and pickle at all), give one.
        places = lines_seen.setdefault((basis, finding.rule_id), [])
        if finding.start_line is None or finding.start_line not in places:
            places.append(finding.start_line)
        order = len(places) if finding.start_line is None else places.index(finding.start_line) + 1
        key = f"{basis}|{order}".encode("utf-8", "surrogatepass")
        finding = finding.with_updates(
            snippet=snippet,
            owasp=categories_for(finding),
            fingerprint=hashlib.sha256(key).hexdigest()[:32],
        )
        marker = _suppression(lines)
        if marker and honor_suppressions:
            finding = _suppressed(finding, marker)
        done.append(finding)
    return tuple(done)


def _suppression(lines: list[str]) -> str | None:
    for line in lines:
        match = _SUPPRESSION.search(line)
        if match:
            return match.group(1)
    return None


def _suppressed(finding: Finding, marker: str) -> Finding:
    # Suppressed findings stay in every report, at info: visible, but not counted
    # against the budgets unless a team budgets info findings too.
    return finding.with_updates(
        severity=Severity.INFO,
        title=f"Suppressed in code (# {marker}): {finding.title}",
        description=(
            f"Reported as {finding.severity.value} by {', '.join(finding.scanners)}, "
            f"suppressed by a '# {marker}' comment in the code. {finding.description}"
        ).strip(),
    )


def merge(results: Iterable[ScanResult]) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """All findings of all scanners, one per fingerprint, and a note for each merge."""
    by_print: dict[str, Finding] = {}
    notes: list[str] = []
    for result in results:
        for finding in result.findings:
            kept = by_print.get(finding.fingerprint)
            if kept is None:
                by_print[finding.fingerprint] = finding
                continue
            by_print[finding.fingerprint] = _combine(kept, finding)
            notes.append(
                f"{finding.rule_id} from {', '.join(finding.scanners)} merged with "
                f"{kept.rule_id} from {', '.join(kept.scanners)} "
                f"({finding.path or finding.package}:{finding.start_line or finding.version or ''})"
            )
    return sorted_findings(by_print.values()), tuple(notes)


def _combine(first: Finding, second: Finding) -> Finding:
    worse, other = (second, first) if second.severity > first.severity else (first, second)
    # one scanner may know the line where the other reports only the file
    located = worse if worse.start_line else other
    related = tuple(
        dict.fromkeys(
            r
            for r in (*worse.related_rules, other.rule_id, *other.related_rules)
            if r != worse.rule_id
        )
    )
    return worse.with_updates(
        scanners=tuple(dict.fromkeys((*first.scanners, *second.scanners))),
        related_rules=related,
        cwe=tuple(dict.fromkeys((*worse.cwe, *other.cwe))),
        owasp=tuple(dict.fromkeys((*worse.owasp, *other.owasp))),
        identifiers=tuple(dict.fromkeys((*worse.identifiers, *other.identifiers))),
        fixed_versions=worse.fixed_versions or other.fixed_versions,
        start_line=located.start_line,
        end_line=located.end_line,
        snippet=worse.snippet or other.snippet,
        remediation=worse.remediation or other.remediation,
    )
