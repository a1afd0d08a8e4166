"""Tests for gates.textio: finding the one JSON report in whatever a scanner printed."""

from __future__ import annotations

import codecs

import pytest

from gates.errors import ReportError
from gates.textio import decode, load_json_document
from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures" / "scanner-outputs"


def test_plain_json_is_read_without_warnings():
    """A clean JSON document comes back as is, with no warnings."""
    document = load_json_document(b'{"results": []}', what="x")
    assert document.value == {"results": []}
    assert document.warnings == ()


def test_log_lines_before_json_become_warnings():
    """Log lines around the report are kept as warnings, not mistaken for the report."""
    data = b'[main]\tINFO\tprofile include tests: None\n[main] INFO running\n{"a": [1]}\ntrailer\n'
    document = load_json_document(data, what="bandit")
    assert document.value == {"a": [1]}
    assert any("profile include" in w for w in document.warnings)
    assert "trailer" in document.warnings


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + '{"k": "é"}'.encode(),
        '{"k": "é"}'.encode("utf-16"),
        '{"k": "é"}'.encode("utf-16-le"),
    ],
)
def test_bom_and_utf16_are_decoded(encoded):
    """UTF-8 with a BOM and UTF-16 with or without a BOM decode to the same document."""
    assert load_json_document(encoded, what="x").value == {"k": "é"}


def test_null_document_is_a_value_not_an_error():
    """A report that is just `null` is a JSON value (trivy's legacy clean scan)."""
    assert load_json_document(b"null\n", what="trivy").value is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"Please login or register",
        b'{"results": [',
        "Anmelden bitte".encode("utf-16"),
    ],
)
def test_no_report_is_an_error(data):
    """Empty output, prose, a truncated document and a UTF-16 prompt all raise ReportError."""
    with pytest.raises(ReportError):
        load_json_document(data, what="scanner")


def test_invalid_utf8_is_replaced_not_fatal():
    """Bytes that are not UTF-8 are replaced instead of crashing the reader."""
    assert "\ufffd" in decode(b'{"k": "\xff"}')


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b'{"results": [], "errors": []}\n{"results": [{"id": 1}], "errors": []}\n', "1, 2"),
        (b'[main] INFO starting\n{"results": []}\nsummary\n{"results": [1]}\n', "2, 4"),
        (b'{"results": []}{"results": [1]}\n', "1, 1"),
        (b'[{"name": "a"}]\nNo known vulnerabilities found\n{"dependencies": []}\n', "1, 3"),
        (b"[]\n[]\n", "1, 2"),
    ],
)
def test_two_json_documents_are_an_ambiguous_report(data, lines):
    """Two documents in one output raise ReportError naming where both are, never pick one."""
    with pytest.raises(ReportError) as raised:
        load_json_document(data, what="semgrep")
    assert str(raised.value) == (
        f"semgrep printed 2 JSON documents (at lines {lines}); cannot tell which is the report"
    )


def test_arrays_of_plain_values_are_log_tags_not_documents():
    """`[1]`, `["main"]` or `[2, 3]` opening a log line are text around the one report."""
    data = b'[1] collecting\n["main"] INFO\n[2, 3]\n{"results": []}\n[3/3] done\n'
    document = load_json_document(data, what="bandit")
    assert document.value == {"results": []}
    assert '["main"] INFO' in document.warnings and "[3/3] done" in document.warnings


def test_an_empty_list_among_banners_is_still_a_report():
    """safety 1.x's clean report `[]` between banner lines is found as the one document."""
    data = b"+=====+\n| safety |\n+=====+\n[]\n+=====+\n"
    assert load_json_document(data, what="safety").value == []


def _recorded_outputs() -> list[str]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("*/*.json"))


@pytest.mark.parametrize("relpath", _recorded_outputs())
def test_every_recorded_output_holds_exactly_one_report(relpath, scanner_output):
    """Every recorded scanner output reads as one document; the login prompt as none."""
    data = scanner_output(relpath)
    if relpath == "safety/3.x-login-prompt-utf16-no-json.json":
        with pytest.raises(ReportError, match="printed no JSON report"):
            load_json_document(data, what="safety")
        return
    document = load_json_document(data, what=relpath.split("/")[0])
    assert document.value is None or isinstance(document.value, dict | list)
