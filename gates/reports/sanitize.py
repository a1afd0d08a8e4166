"""Making scanner-supplied text inert and readable in every output.

Finding titles, messages and snippets come from the scanned repository and from
scanners quoting it. Control characters (ANSI escapes, NUL, bell, the C1 range) are
shown as visible escapes instead of acting on a terminal or breaking an XML file, and
overlong text is cut with a note saying how much was left out. Markup escaping is each
format's own job (Jinja2 autoescaping, the XML writer, Markdown escaping); this module
only makes the characters themselves safe.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NO_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
DEFAULT_LIMIT = 4000


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, *, limit: int = DEFAULT_LIMIT, newlines: bool = True) -> str:
    """`value` as text with control characters escaped and its length capped at `limit`."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters not shown)"
    pattern = _CONTROL if newlines else _CONTROL_NO_NEWLINES
    text = text.replace("\r\n", "\n")
    return pattern.sub(_escape, text)


def one_line(value: object, *, limit: int = 300) -> str:
    """`visible` text folded onto one line, for titles and table cells."""
    return visible(" ".join(str(value or "").split()), limit=limit, newlines=False)
