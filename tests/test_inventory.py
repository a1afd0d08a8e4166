"""Tests for gates.inventory: what the walk lists, what it leaves out, and that it says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gates.inventory import DEFAULT_EXCLUDES, is_virtualenv, requirement_include, take_inventory


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


# --- requirements includes --------------------------------------------------------------


def test_included_requirements_files_are_listed_in_every_spelling(tmp_path):
    """Files included with -r, -rFILE, --requirement=, -c and an abbreviated long option,
    relative to the including file and through nested includes, are all listed; a cycle
    ends."""
    _write(
        tmp_path,
        {
            "requirements.txt": "-r deps/prod.txt\n--requirement=deps/extra.in  # extras\n",
            "deps/prod.txt": "django==1.2\n-c../constraints/pins.cfg\n",
            "deps/extra.in": "--requirem ../requirements.txt\nrequests==2.19.0\n",
            "constraints/pins.cfg": "--constraint \\\n  ../deps/last.txt\n",
            "deps/last.txt": "urllib3==1.24\n",
        },
    )

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.requirements_files == (
        "requirements.txt",
        "deps/prod.txt",
        "deps/extra.in",
        "constraints/pins.cfg",
        "deps/last.txt",
    )
    assert inventory.unfollowed_includes == ()


def test_includes_that_cannot_be_followed_are_named_with_the_reason(tmp_path):
    """A missing file, one outside the target (by path or by link), a URL, an environment
    variable, a file in a virtual environment and an include naming nothing are each named."""
    target = _write(
        tmp_path / "target",
        {
            "requirements.txt": (
                "-r missing.txt\n"
                "-r ../outside.txt\n"
                "-r linked.txt\n"
                "-r https://example.org/requirements.txt\n"
                "-r ${DEPS}/prod.txt\n"
                "-c venv/lib/python3.12/site-packages/pins.txt\n"
                "-r\n"
            ),
            "venv/pyvenv.cfg": "home = /usr/bin\n",
            "venv/lib/python3.12/site-packages/pins.txt": "django==1.2\n",
        },
    )
    (tmp_path / "outside.txt").write_text("django==1.2\n", encoding="utf-8")
    (target / "linked.txt").symlink_to(tmp_path / "outside.txt")

    inventory = take_inventory(target, DEFAULT_EXCLUDES)

    assert inventory.requirements_files == ("requirements.txt",)
    assert inventory.unfollowed_includes == (
        "requirements.txt:1: -r missing.txt (missing)",
        "requirements.txt:2: -r ../outside.txt (outside the target)",
        "requirements.txt:3: -r linked.txt (outside the target)",
        "requirements.txt:4: -r https://example.org/requirements.txt "
        "(a URL, which the gate does not fetch)",
        "requirements.txt:5: -r ${DEPS}/prod.txt "
        "(names an environment variable, which the gate does not expand)",
        "requirements.txt:6: -c venv/lib/python3.12/site-packages/pins.txt "
        "(not a file the gate scans: excluded, in a virtual environment or not a file)",
        "requirements.txt:7: -r (names no file)",
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("-r deps.txt", ("-r", "deps.txt")),
        ("-rdeps.txt", ("-r", "deps.txt")),
        ("-c pins.txt", ("-c", "pins.txt")),
        ("--requirement deps.txt", ("--requirement", "deps.txt")),
        ("--requirement=deps.txt", ("--requirement", "deps.txt")),
        ("--cons pins.txt", ("--constraint", "pins.txt")),
        ('-r "my deps.txt"', ("-r", "my deps.txt")),
        ("--require-hashes", None),
        ("--config-settings x=y", None),
        ("django==1.2", None),
        ("-e .", None),
    ],
)
def test_requirement_include_reads_the_spellings_pip_accepts(line, expected):
    """Short, attached, long, `=` and abbreviated forms are includes; other options are not."""
    assert requirement_include(line) == expected


# --- dependencies declared where pip-audit and safety do not look ------------------------

DECLARING = {
    "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["django>=4"]\n',
    "pipenv/Pipfile": '[packages]\ndjango = "*"\n',
    "pipenv/Pipfile.lock": '{"_meta": {}, "default": {"django": {"version": "==1.2"}}}',
    "poetry/poetry.lock": '[[package]]\nname = "django"\nversion = "1.2"\n',
    "uv/uv.lock": (
        'version = 1\n[[package]]\nname = "svc"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        '[[package]]\nname = "django"\nversion = "1.2"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    ),
    "legacy/setup.py": "from setuptools import setup\nsetup(install_requires=REQUIRES)\n",
    "legacy/setup.cfg": "[options]\ninstall_requires =\n    django==1.2\n",
    "broken/Pipfile": "[packages\n",
}

DECLARING_NOTHING = {
    "pyproject.toml": '[project]\nname = "svc"\ndependencies = []\n[tool.gates]\nrequired = []\n',
    "pipenv/Pipfile": "[packages]\n[dev-packages]\n",
    "pipenv/Pipfile.lock": '{"_meta": {}, "default": {}, "develop": {}}',
    "poetry/poetry.lock": "[metadata]\nlock-version = '2.0'\n",
    "uv/uv.lock": 'version = 1\n[[package]]\nname = "svc"\nsource = { virtual = "." }\n',
    "legacy/setup.py": "from setuptools import setup\nsetup(name='svc', install_requires=[])\n",
    "legacy/setup.cfg": "[metadata]\nname = svc\n",
}


def test_files_declaring_dependencies_elsewhere_are_listed(tmp_path):
    """pyproject.toml's [project] dependencies, a Pipfile, its lock, poetry.lock, uv.lock
    beyond the project itself, setup.py and setup.cfg install_requires are listed, and so is
    one that cannot be parsed; none is executed."""
    _write(tmp_path, DECLARING)

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert sorted(inventory.dependency_manifests) == sorted(DECLARING)


def test_files_declaring_no_dependencies_are_not_listed(tmp_path):
    """A pyproject.toml holding only settings or an empty dependency list, and the other
    files without a dependency, are not listed."""
    _write(tmp_path, DECLARING_NOTHING)

    assert take_inventory(tmp_path, DEFAULT_EXCLUDES).dependency_manifests == ()
