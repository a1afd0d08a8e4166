"""Tests for gates.inventory: what the walk lists, what it leaves out, and that it says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gates.inventory import DEFAULT_EXCLUDES, is_virtualenv, take_inventory


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


# --- virtual environments -------------------------------------------------------------


def test_an_empty_pyvenv_cfg_does_not_make_a_source_folder_a_virtual_environment(tmp_path):
    """app/ with an empty pyvenv.cfg and nothing else of a virtual environment is walked."""
    _write(tmp_path, {"app/evil.py": "import pickle\n", "app/pyvenv.cfg": ""})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.python_files == ("app/evil.py",)
    assert inventory.virtualenvs == ()
    assert inventory.left_out == ()


@pytest.mark.parametrize(
    "layout",
    [
        "bin/python3",
        "Scripts/python.exe",
        "lib/python3.12/site-packages/flask/__init__.py",
        "Lib/site-packages/flask/__init__.py",
    ],
)
def test_a_real_virtual_environment_is_left_out_and_named(tmp_path, layout):
    """A pyvenv.cfg with an interpreter or a site-packages folder beside it is a virtual
    environment, whatever the folder's name: it is left out and the inventory says so."""
    _write(
        tmp_path, {"app.py": "x = 1\n", "env/pyvenv.cfg": "home = /usr/bin\n", f"env/{layout}": ""}
    )

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.python_files == ("app.py",)
    assert inventory.virtualenvs == ("env",)
    assert is_virtualenv(tmp_path / "env")
    (note,) = inventory.left_out
    assert "virtual environments" in note and note.endswith(": env")


def test_a_virtual_environment_s_interpreter_may_be_a_link(tmp_path):
    """bin/python is a link to the base interpreter in a real venv; that still counts."""
    _write(tmp_path, {"venv/pyvenv.cfg": "home = /usr/bin\n"})
    (tmp_path / "venv" / "bin").mkdir()
    (tmp_path / "venv" / "bin" / "python").symlink_to(sys.executable)

    assert is_virtualenv(tmp_path / "venv")


def test_a_bin_folder_linked_elsewhere_does_not_make_a_virtual_environment(tmp_path):
    """A pyvenv.cfg beside a bin/ that links to a folder holding python is not enough: the
    interpreter must be in the folder's own bin/."""
    _write(tmp_path, {"app/evil.py": "import pickle\n", "app/pyvenv.cfg": ""})
    (tmp_path / "app" / "bin").symlink_to(Path(sys.executable).parent)

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert "app/evil.py" in inventory.python_files
    assert inventory.virtualenvs == ()


# --- links ------------------------------------------------------------------------------


def test_links_leaving_the_target_are_named_in_left_out(tmp_path):
    """A link pointing outside the target is dropped, and `left_out` names it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    target = _write(tmp_path / "target", {"app.py": "x = 1\n"})
    (target / "shared").symlink_to(outside)

    inventory = take_inventory(target, DEFAULT_EXCLUDES)

    assert inventory.escaping_links == ("shared",)
    (note,) = inventory.left_out
    assert "outside the target" in note and note.endswith(": shared")
