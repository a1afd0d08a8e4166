"""Fingerprints and deduplication across scanners.

A fingerprint names a problem, not a position: it hashes the file, what is wrong (the
first CWE, else the rule) and the text of the flagged line, so it survives lines moving
up or down. Where scanners name one flaw differently (bandit's B201 and the pack's
debug rule, trivy's DS-0002 and the pack's root-user rule), `SAME_FLAW` gives them one
"what". Identical lines in one file are told apart by their order. A dependency's
fingerprint hashes the package, its version and its CVE (else its first advisory id),
so pip-audit's PYSEC advisory with a CVE alias and trivy's report of the same CVE are
one finding. Code findings of one flaw in one file whose lines overlap are merged (scanners
name different lines of a call spanning several), other findings with equal fingerprints:
the worst severity wins and every scanner that reported it is listed.
"""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gates.model import Finding, Kind, ScanResult, Severity, sorted_findings
from gates.owasp import categories_for

# Each scanner's own marker, as the scanner reads it: bandit's `# nosec` (case-sensitive),
# semgrep's `nosemgrep` or `nosem` after a space. Both are looked for in real comments only.
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<listed>[^#]*)")
_NOSEMGREP = re.compile(r"\s(?P<word>nosem(?:grep)?)\b(?:\s*[:=](?P<listed>.*))?", re.IGNORECASE)
_BANDIT_ID = re.compile(r"[Bb]\d+")

#: Rules that report a flaw another scanner's rule reports too, under another name or
#: CWE: what their fingerprint calls the flaw, and whether it is about the whole file
#: (trivy gives no line for an image that runs as root).
SAME_FLAW: dict[str, tuple[str, bool]] = {
    # bandit, for flaws the rule pack reports with the CWE on the left
    "B102": ("CWE-94", False),  # exec: bandit files it under CWE-78, the pack under CWE-94
    "B105": ("CWE-321", False),  # hard-coded password string: a hard-coded secret key
    "B106": ("CWE-321", False),
    "B201": ("CWE-489", False),  # Flask app.run(debug=True)
    "B307": ("CWE-94", False),  # eval, as B102
    "B324": ("CWE-916", False),  # MD5 or SHA1: a weak password hash when it hashes one
    "B506": ("CWE-502", False),  # yaml.load without a safe loader
    "B701": ("CWE-79", False),  # jinja2 autoescape=False: cross-site scripting
    "B703": ("CWE-79", False),  # Django mark_safe (CWE-80), as B308 (CWE-79)
    # trivy's Dockerfile checks that the pack also makes
    "DS-0001": ("CWE-494", False),  # ':latest' base image: not pinned by digest
    "DS-0002": ("CWE-250", True),  # no USER, or USER root
    "gates.docker.root-user": ("CWE-250", True),
}
_MAX_SNIPPET_LINES = 5
_MAX_LINE_CHARS = 300
_MAX_FILE_BYTES = 8 * 1024 * 1024


def _target_file(target: Path | None, relative: str | None) -> Path | None:
    # Only a regular file inside the target is read: a finding's path is scanner output.
    if target is None or not relative:
        return None
    root = target.resolve()
    path = (root / relative).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None
    return path if path.is_file() else None


def _read_text(path: Path) -> str | None:
    # Line ends as Python counts them (\r\n, \r, \n) and nothing else: str.splitlines
    # would also break at form feeds and other separators no scanner counts.
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_FILE_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_lines(target: Path | None, finding: Finding) -> list[str]:
    """The flagged lines of the target file, if the finding points inside the target."""
    path = _target_file(target, finding.path)
    if path is None or not finding.start_line:
        return []
    text = _read_text(path)
    if text is None:
        return []
    lines = text.split("\n")
    end = max(finding.end_line or finding.start_line, finding.start_line)
    end = min(end, finding.start_line + _MAX_SNIPPET_LINES - 1)
    return [line[:_MAX_LINE_CHARS] for line in lines[finding.start_line - 1 : end]]


def _flaw(finding: Finding) -> tuple[str, bool]:
    """What is wrong, as fingerprints name it, and whether it is about the whole file."""
    what, whole_file = SAME_FLAW.get(finding.rule_id, (None, False))
    return what or (f"CWE-{finding.cwe[0]}" if finding.cwe else finding.rule_id), whole_file


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

    A finding its own scanner's marker waives is kept, lowered to info and titled as
    suppressed (scanners run with their own suppression switched off, so that nothing
    disappears silently); with `honor_suppressions` false it keeps its severity. A marker
    counts only in a comment: bandit's `# nosec` on the finding's lines waives bandit's
    findings, semgrep's `# nosemgrep` or `# nosem` on its first line waives semgrep's, and
    nothing waives another scanner's. A marker that lists rules (`# nosec B602,B101`,
    `# nosemgrep: rule.id`) waives only those.
    """
    lines_seen: dict[tuple[str, str], list[int | None]] = {}
    comments: dict[str, dict[int, str]] = {}
    done = []
    for finding in findings:
        lines = read_lines(target, finding)
        snippet = finding.snippet
        if not snippet and lines and finding.kind is not Kind.SECRET:
            snippet = "\n".join(lines)

        if finding.kind is Kind.DEPENDENCY:
            basis = _dependency_key(finding)
        else:
            what, whole_file = _flaw(finding)
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
        if honor_suppressions and finding.path and finding.start_line:
            if finding.path not in comments:
                comments[finding.path] = _comments(_target_file(target, finding.path))
            marker = _suppression(finding, comments[finding.path])
            if marker:
                finding = _suppressed(finding, marker)
        done.append(finding)
    return tuple(done)


def _comments(path: Path | None) -> dict[int, str]:
    """The comments of one file, by line number.

    Python files are read with `tokenize`, so a `#` in a string is no comment; a file that
    stops tokenizing keeps the comments read before that point. In other files a comment
    is a `#` outside single and double quotes on its line (YAML, TOML, shell, Dockerfile,
    Terraform); other comment syntaxes are not read, so markers in them waive nothing.
    """
    text = None if path is None else _read_text(path)
    if path is None or text is None:
        return {}
    if path.name.endswith(".py"):
        return _python_comments(text)
    lines = enumerate(text.split("\n"), 1)
    return {number: comment for number, line in lines if (comment := _hash_comment(line))}


def _python_comments(text: str) -> dict[int, str]:
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError):
        # nothing past the error is taken for a comment: fewer suppressions, never more
        pass
    return found


def _hash_comment(line: str) -> str:
    # The line from its first `#` outside quotes; a string spanning lines is not followed.
    quote = ""
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif quote:
            escaped = char == "\\"
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[index:]
    return ""


def _suppression(finding: Finding, comments: dict[int, str]) -> str | None:
    """The marker that waives `finding`, if its own scanner's marker on its lines does."""
    start = finding.start_line or 0
    scanner = finding.scanners[0] if finding.scanners else ""
    if scanner == "bandit":
        # bandit reads `# nosec` on every line of the statement; the first five are read here
        end = min(finding.end_line or start, start + _MAX_SNIPPET_LINES - 1)
        for line in range(start, max(end, start) + 1):
            match = _NOSEC.search(comments.get(line, ""))
            if match and _bandit_lists(match["listed"], finding.rule_id):
                return "nosec"
    elif scanner == "semgrep":
        # semgrep reads its marker on the first line of a match
        match = _NOSEMGREP.search(comments.get(start, ""))
        if match and _semgrep_lists(match["listed"], finding.rule_id):
            return match["word"].lower()
    return None


def _bandit_lists(listed: str, rule: str) -> bool:
    # bandit names tests by id (B602) or by name; other words are free text. A name never
    # matches an id here, so a marker scoped by name waives nothing: fewer waivers, never more.
    words = [w for w in re.findall(r"\w+", listed) if _BANDIT_ID.fullmatch(w) or "_" in w]
    return not words or rule.upper() in {w.upper() for w in words}


def _semgrep_lists(listed: str | None, rule: str) -> bool:
    # semgrep matches a listed id to the whole rule id or to a suffix after a dot
    ids = [part.split()[0].strip('"') for part in (listed or "").split(",") if part.split()]
    ids = [rule_id for rule_id in ids if rule_id]
    return not ids or any(rule == rule_id or rule.endswith("." + rule_id) for rule_id in ids)


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
    """All findings of all scanners, one per flaw, and a note for each merge.

    Code findings with a line are one finding when they are in one file, name the same flaw
    and their lines overlap (a call over several lines, which bandit and semgrep report from
    different lines), as long as one line lies in all of them: a finding that spans two
    separate flaws does not join them. Other findings are one when their fingerprints are
    equal. Every finding keeps a fingerprint of its own.
    """
    findings = [finding for result in results for finding in result.findings]
    groups = _overlapping(findings)
    grouped = {index for group in groups for index in group}
    by_print: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        if index not in grouped:
            by_print.setdefault(finding.fingerprint, []).append(index)
    groups += by_print.values()

    notes: list[str] = []
    merged = []
    for group in sorted(groups):
        first, *others = group
        kept = findings[first]
        for index in others:
            notes.append(_note(findings[index], kept))
            kept = _combine(kept, findings[index])
        merged.append(kept)
    return sorted_findings(_own_fingerprints(merged)), tuple(notes)


@dataclass
class _Overlap:
    """Code findings of one flaw in one file, and the lines all of them share."""

    start: int
    end: int
    members: list[int]


def _overlapping(findings: list[Finding]) -> list[list[int]]:
    # Taken in order of their lines, so that groups do not depend on the scanners' order;
    # a finding joins the first group of its flaw whose shared lines it overlaps.
    spans = sorted(
        (finding.start_line, max(finding.end_line or 0, finding.start_line), index)
        for index, finding in enumerate(findings)
        if finding.kind is Kind.CODE and finding.path and finding.start_line
    )
    groups: list[_Overlap] = []
    open_by_flaw: dict[tuple[str, str], list[_Overlap]] = {}
    for start, end, index in spans:
        flaw = (findings[index].path or "", _flaw(findings[index])[0])
        # a group whose shared lines end above this finding can take no later one either
        open_groups = [g for g in open_by_flaw.get(flaw, []) if g.end >= start]
        group = next((g for g in open_groups if g.start <= end), None)
        if group is None:
            group = _Overlap(start, end, [])
            groups.append(group)
            open_groups.append(group)
        group.start, group.end = max(group.start, start), min(group.end, end)
        group.members.append(index)
        open_by_flaw[flaw] = open_groups
    return [sorted(group.members) for group in groups]


def _own_fingerprints(findings: list[Finding]) -> list[Finding]:
    # Each scanner numbers identical lines on its own, so two flaws on identical lines that
    # scanners flag differently can share a fingerprint: the later one gets one of its own.
    seen: dict[str, int] = {}
    unique = []
    for finding in sorted(findings, key=lambda f: (f.path or "", f.start_line or 0, f.rule_id)):
        count = seen[finding.fingerprint] = seen.get(finding.fingerprint, 0) + 1
        if count > 1:
            key = f"{finding.fingerprint}|{count}".encode()
            finding = finding.with_updates(fingerprint=hashlib.sha256(key).hexdigest()[:32])
        unique.append(finding)
    return unique


def _note(finding: Finding, kept: Finding) -> str:
    return (
        f"{finding.rule_id} from {', '.join(finding.scanners)} merged with "
        f"{kept.rule_id} from {', '.join(kept.scanners)} "
        f"({finding.path or finding.package}:{finding.start_line or finding.version or ''})"
    )


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
