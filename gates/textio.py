"""Reading scanner output: tolerant about bytes, strict about shape.

Scanners print banners, log lines and deprecation notices around their JSON, and some
write UTF-16 or a byte-order mark. `load_json_document` finds the one JSON document in
whatever came out and hands back the rest as warnings; when there is no document it
raises `ReportError`, never returns an empty result.

Output that is not one JSON value as a whole is searched for documents: a JSON object or
array that opens a line (or follows another document on its line) and parses. Every
report the adapters read is an object (bandit, semgrep, trivy, pip-audit 2.x, safety 2+)
or an array of objects or of arrays (trivy's and pip-audit's legacy layouts, kubesec,
safety 1.x's positional lists), possibly empty. An array that holds only numbers,
strings, booleans or nulls (`[1]`, `["main"]`) is never a report, so it counts as text: a
log line's tag. Two or more documents are an ambiguous report and raise `ReportError`;
the gate never picks one and drops the other.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gates.errors import ReportError

_MAX_WARNINGS = 20
_MAX_WARNING_CHARS = 300
_START = re.compile(r"^[ \t]*[\[{]", re.MULTILINE)
_FOLLOWING = re.compile(r"[ \t]*[\[{]")


@dataclass(frozen=True)
class JsonDocument:
    """The JSON value found in a scanner's output and the lines around it."""

    value: Any
    warnings: tuple[str, ...] = ()


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM) or UTF-16, replacing what does not fit."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")

    # UTF-16 without a BOM shows itself as a NUL in every other byte of ASCII text.
    sample = data[:200]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 3:
        encoding = "utf-16-le" if sample[1] == 0 else "utf-16-be"
        return data.decode(encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


def load_json_document(data: bytes, *, what: str) -> JsonDocument:
    """Return the JSON document in `data`; raise `ReportError` naming `what` if there is none,
    or if there are several."""
    text = decode(data)
    if not text.strip():
        raise ReportError(f"{what} printed nothing: no report to read")

    try:
        return JsonDocument(json.loads(text))
    except json.JSONDecodeError:
        pass
    except RecursionError as error:
        raise ReportError(f"{what}'s report is nested too deeply to read") from error

    try:
        found = _find_documents(text)
    except RecursionError as error:
        raise ReportError(f"{what}'s report is nested too deeply to read") from error
    if not found:
        raise ReportError(f"{what} printed no JSON report: {_excerpt(text)}")
    if len(found) > 1:
        raise ReportError(
            f"{what} printed {len(found)} JSON documents ({_positions(text, found)}); "
            "cannot tell which is the report"
        )
    ((value, start, end),) = found
    around = (text[:start] + "\n" + text[end:]).splitlines()
    return JsonDocument(value, _as_warnings(around))


def _find_documents(text: str) -> list[tuple[Any, int, int]]:
    # Try every object or array that opens a line; a log line such as "[main] INFO" opens
    # with a bracket too, but does not parse. Lines inside a document are part of it.
    decoder = json.JSONDecoder()
    found: list[tuple[Any, int, int]] = []
    covered_until = 0
    for match in _START.finditer(text):
        start: int | None = match.end() - 1
        while start is not None and start >= covered_until:
            try:
                value, end = decoder.raw_decode(text, start)
            except json.JSONDecodeError:
                break
            if not _may_be_report(value):
                break
            found.append((value, start, end))
            covered_until = end
            # A document right after another on the same line is a document too.
            following = _FOLLOWING.match(text, end)
            start = following.end() - 1 if following else None
    return found


def _may_be_report(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    if isinstance(value, list):
        return not value or any(isinstance(item, dict | list) for item in value)
    return False


def _positions(text: str, found: list[tuple[Any, int, int]], limit: int = 5) -> str:
    lines = [text.count("\n", 0, start) + 1 for _, start, _ in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return "at lines " + ", ".join(str(line) for line in lines) + more


def _as_warnings(lines: list[str]) -> tuple[str, ...]:
    kept = [line.strip()[:_MAX_WARNING_CHARS] for line in lines if line.strip()]
    if len(kept) > _MAX_WARNINGS:
        dropped = len(kept) - _MAX_WARNINGS
        kept = [*kept[:_MAX_WARNINGS], f"({dropped} more lines not shown)"]
    return tuple(kept)


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return repr(flat[:limit] + ("…" if len(flat) > limit else ""))


def read_small_text(path: Path, limit: int) -> str | None:
    """A target file's text (undecodable bytes replaced), or None when it cannot be read or
    is larger than `limit` bytes: the caller decides what an unread file means."""
    try:
        if path.stat().st_size > limit:
            return None
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
