"""Writing reports so that a crash never leaves a half-written file behind.

Each file is written to a temporary file in the same folder and renamed over the
target, so a later pipeline stage sees either the old report, the new one, or none.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gates.errors import OutputError


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` through a temporary file and a rename."""
    # File names that are not UTF-8 reach us as lone surrogates; keep them visible.
    data = content.encode("utf-8", "backslashreplace") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
