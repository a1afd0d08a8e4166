"""Making scanner-supplied text inert and readable in every output.

Finding titles, messages and snippets come from the scanned repository and from
scanners quoting it. Control characters (ANSI escapes, NUL, bell, the C1 range) are
shown as visible escapes instead of acting on a terminal or breaking an XML file, and
overlong text is cut with a note saying how much was left out. Markup escaping is each
format's own job (Jinja2 autoescaping for HTML, the XML writer for JUnit), except for
Markdown, which has no library to do it: `escape_markdown` here serves the Markdown
summary and GitLab's descriptions alike.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NO_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
DEFAULT_LIMIT = 4000
# Inline Markdown that scanner text could use: escapes, code spans, emphasis, links and
# images, table cells, strikethrough.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Block syntax text could open when it starts a line (as a GitLab description does):
# heading, bullet item or thematic break, ordered item ("1. ", not "1.7.10"). A quote's
# `>` is written as `&gt;` anyway.
_BLOCK_START = re.compile(r"^(?:[#+-]|\d{1,9}(?=[.)](?:\s|$)))")


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


def escape_markdown(value: object, *, limit: int = 300) -> str:
    """`value` on one line, made inert for GFM: it renders as the text it is, nothing more."""
    text = _SPECIAL.sub(r"\\\1", one_line(value, limit=limit))
    text = _BLOCK_START.sub(_escape_block_start, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A zero-width space breaks `@user` and `@all` mentions but reads the same.
    return text.replace("@", "@\u200b")


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group(0)
    return f"{marker}\\" if marker[0].isdigit() else f"\\{marker}"
