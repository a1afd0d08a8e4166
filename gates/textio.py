"""Reading scanner output: tolerant about bytes, strict about shape.

Scanners print banners, log lines and deprecation notices around their JSON, and some
write UTF-16 or a byte-order mark. `load_json_document` finds the one JSON document in
whatever came out and hands back the rest as warnings; when there is no document it
raises `ReportError`, never returns an empty result.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any

from gates.errors import ReportError

_MAX_WARNINGS = 20
_MAX_WARNING_CHARS = 300
_START = re.compile(r"^[ \t]*[\[{]", re.MULTILINE)


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
    """Return the JSON document in `data`; raise `ReportError` naming `what` if there is none."""
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
        found = _find_embedded(text)
    except RecursionError as error:
        raise ReportError(f"{what}'s report is nested too deeply to read") from error
    if found is None:
        raise ReportError(f"{what} printed no JSON report: {_excerpt(text)}")
    value, start, end = found
    around = (text[:start] + "\n" + text[end:]).splitlines()
    return JsonDocument(value, _as_warnings(around))


def _find_embedded(text: str) -> tuple[Any, int, int] | None:
    # Try every object or array that opens a line; keep the longest that parses, since a
    # log line such as "[main] INFO" opens with a bracket too.
    decoder = json.JSONDecoder()
    best: tuple[Any, int, int] | None = None
    covered_until = -1
    for match in _START.finditer(text):
        start = match.end() - 1
        if start < covered_until:
            continue
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if not isinstance(value, dict | list):
            continue
        covered_until = end
        if best is None or end - start > best[2] - best[1]:
            best = (value, start, end)
    return best


def _as_warnings(lines: list[str]) -> tuple[str, ...]:
    kept = [line.strip()[:_MAX_WARNING_CHARS] for line in lines if line.strip()]
    if len(kept) > _MAX_WARNINGS:
        dropped = len(kept) - _MAX_WARNINGS
        kept = [*kept[:_MAX_WARNINGS], f"({dropped} more lines not shown)"]
    return tuple(kept)


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return repr(flat[:limit] + ("…" if len(flat) > limit else ""))
