"""Tests for gates.textio: finding the one JSON report in whatever a scanner printed."""

from __future__ import annotations

import codecs

import pytest

from gates.errors import ReportError
from gates.textio import decode, load_json_document


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
