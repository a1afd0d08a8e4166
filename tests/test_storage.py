"""Tests for gates.storage: a crash while writing never leaves a half-written report."""

from __future__ import annotations

import errno
import os

import pytest

from gates import storage
from gates.errors import OutputError


def test_write_replaces_the_whole_file(tmp_path):
    """A write replaces the previous content completely, in a folder it creates."""
    path = tmp_path / "new folder ü" / "findings.json"
    storage.write_atomic(path, '{"verdict": "fail"}')
    storage.write_atomic(path, '{"verdict": "pass"}')
    assert path.read_text() == '{"verdict": "pass"}'


def test_failed_rename_keeps_the_old_report_and_no_temporary(tmp_path, monkeypatch):
    """If the final rename fails, the old report stays whole and no temporary file is left."""
    path = tmp_path / "findings.json"
    path.write_text('{"verdict": "fail"}')

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OutputError, match="No space left on device"):
        storage.write_atomic(path, '{"verdict": "pass", "findings": []}')
    assert path.read_text() == '{"verdict": "fail"}'
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_unwritable_folder_is_an_output_error(tmp_path):
    """A folder that cannot be created is reported as an OutputError naming the path."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot write"):
        storage.write_atomic(blocker / "findings.json", "{}")
