"""Tests for gates.inventory: what the walk lists, what it leaves out, and that it says so."""

from __future__ import annotations

import os
import sys
import venv
from pathlib import Path

import pytest

from gates.inventory import (
    DEFAULT_EXCLUDES,
    foreign_files,
    is_virtualenv,
    requirement_include,
    take_inventory,
)
from gates.pipeline import OUTPUT_FILES


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


# --- virtual environments -------------------------------------------------------------

#: A POSIX virtual environment as `python -m venv` lays it out, with one installed package.
POSIX_VENV = {
    "pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\n",
    "bin/python3": "",
    "bin/activate": "",
    "lib/python3.12/site-packages/flask/__init__.py": "import pickle\n",
    "include/python3.12/.keep": "",
}

#: The same on Windows.
WINDOWS_VENV = {
    "pyvenv.cfg": "home = C:\\Python312\n",
    "Scripts/python.exe": "",
    "Lib/site-packages/flask/__init__.py": "import pickle\n",
    "Include/.keep": "",
}


def _venv(root: Path, folder: str, layout: dict[str, str]) -> Path:
    return _write(root, {f"{folder}/{name}": content for name, content in layout.items()})


def test_an_empty_pyvenv_cfg_does_not_make_a_source_folder_a_virtual_environment(tmp_path):
    """app/ with an empty pyvenv.cfg and nothing else of a virtual environment is walked."""
    _write(tmp_path, {"app/evil.py": "import pickle\n", "app/pyvenv.cfg": ""})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.python_files == ("app/evil.py",)
    assert inventory.virtualenvs == ()
    assert inventory.left_out == ()


SITE = "lib/python3.12/site-packages/flask/__init__.py"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"bin/python3": None, "bin/python_ops.sh": "#!/bin/sh\n"}, id="script"),
        pytest.param({"bin/python3": None, "bin/pythonw": ""}, id="other-name"),
        pytest.param({"bin/python3": None, "bin/python3/x": ""}, id="folder-named-python3"),
        pytest.param({"pyvenv.cfg": ""}, id="empty-cfg"),
        pytest.param({"pyvenv.cfg": "version = 3.12.1\n"}, id="cfg-without-home"),
        pytest.param({SITE: None}, id="no-site-packages"),
        pytest.param({SITE: None, "lib/python/site-packages/x": ""}, id="lib-python"),
        pytest.param({"bin/python3": None, "Scripts/python.exe": ""}, id="scripts-without-Lib"),
    ],
)
def test_a_folder_missing_any_part_of_a_virtual_environment_is_scanned(tmp_path, changes):
    """Only a pyvenv.cfg with a home line, an interpreter named python, python3 or python3.N
    in bin/ and a lib/python3.N/site-packages folder, all together, make a virtual
    environment: a folder lacking any of them is the target's code and is walked."""
    layout = {**POSIX_VENV, "evil.py": "import pickle\n", **changes}
    _venv(tmp_path, "app", {name: text for name, text in layout.items() if text is not None})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert not is_virtualenv(tmp_path / "app")
    assert inventory.virtualenvs == ()
    assert "app/evil.py" in inventory.python_files


def test_a_linked_site_packages_folder_does_not_make_a_virtual_environment(tmp_path):
    """site-packages must be a real folder of its own: one linked elsewhere proves nothing."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    layout = {k: v for k, v in POSIX_VENV.items() if not k.startswith("lib/")}
    target = _venv(tmp_path / "target", "app", {**layout, "evil.py": "import pickle\n"})
    (target / "app" / "lib" / "python3.12").mkdir(parents=True)
    (target / "app" / "lib" / "python3.12" / "site-packages").symlink_to(elsewhere)

    inventory = take_inventory(target, DEFAULT_EXCLUDES)

    assert inventory.virtualenvs == ()
    assert "app/evil.py" in inventory.python_files


@pytest.mark.parametrize("layout", [POSIX_VENV, WINDOWS_VENV], ids=["posix", "windows"])
def test_a_real_virtual_environment_leaves_out_its_own_contents_and_names_them(tmp_path, layout):
    """A real virtual environment, whatever the folder's name, loses only its pyvenv.cfg and
    its standard folders, which the inventory names; code placed beside them is walked."""
    _venv(tmp_path, "app", layout)
    _write(tmp_path, {"app/evil.py": "import pickle\n", "app/routes/api.py": "x = 1\n"})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.python_files == ("app/evil.py", "app/routes/api.py")
    assert inventory.virtualenvs == ("app",)
    assert is_virtualenv(tmp_path / "app")
    standard = sorted({name.split("/")[0] for name in layout})
    assert inventory.virtualenv_contents == tuple(f"app/{name}" for name in standard)
    (note,) = inventory.left_out
    assert "virtual environment" in note and note.endswith(f": app ({', '.join(standard)})")


def test_a_virtual_environment_made_by_venv_is_recognised(tmp_path):
    """What `python -m venv` creates (its interpreter a link) is a virtual environment; its
    own entries are left out and nothing else."""
    venv.create(tmp_path / "env", symlinks=True, with_pip=False)
    site = next((tmp_path / "env" / "lib").glob("python3.*")) / "site-packages"
    _write(site, {"flask/__init__.py": "import pickle\n"})
    _write(tmp_path, {"env/tools.py": "x = 1\n"})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.virtualenvs == ("env",)
    assert inventory.python_files == ("env/tools.py",)
    assert {"env/bin", "env/include", "env/lib", "env/pyvenv.cfg"} <= set(
        inventory.virtualenv_contents
    )


def test_a_bin_folder_linked_elsewhere_does_not_make_a_virtual_environment(tmp_path):
    """A pyvenv.cfg beside a bin/ that links to a folder holding python is not enough: the
    interpreter must be in the folder's own bin/."""
    layout = {k: v for k, v in POSIX_VENV.items() if not k.startswith("bin/")}
    _venv(tmp_path, "app", {**layout, "evil.py": "import pickle\n"})
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


# --- an earlier run's output folder ----------------------------------------------------

#: What `gates run` leaves in TARGET/gates-report, and the GitLab jobs' container/ folder.
EARLIER_RUN = {
    "gates-report/findings.json": "{}",
    "gates-report/report.html": "<html></html>",
    "gates-report/scanners/bandit.json": "{}",
    "gates-report/raw/bandit.json": "{}",
    "gates-report/raw/semgrep.stderr.txt": "",
    "gates-report/container/trivy-image.json": "{}",
    "gates-report/container/scanners/trivy.json": "{}",
    "gates-report/coverage.xml": "<coverage/>",
}


def test_a_gates_report_folder_holding_code_is_walked(tmp_path):
    """A gates-report/ of the target that holds anything a gate run does not write is the
    target's own code: walked like any other folder."""
    _write(tmp_path, {**EARLIER_RUN, "gates-report/ops.py": "import os\n"})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES, outputs=OUTPUT_FILES)

    assert inventory.python_files == ("gates-report/ops.py",)
    assert inventory.earlier_outputs == ()
    assert inventory.left_out == ()


@pytest.mark.parametrize(
    "planted",
    [
        "gates-report/raw/ops.py",
        "gates-report/scanners/semgrep.json/ops.py",
        "gates-report/container/raw/deploy.yaml",
        "gates-report/scanners/ops.json",
    ],
)
def test_code_hidden_among_an_earlier_run_s_outputs_is_walked(tmp_path, planted):
    """A file placed among the outputs, under a name no run writes, makes the whole
    gates-report/ the target's code: it is walked."""
    _write(tmp_path, {**EARLIER_RUN, planted: "import os\n"})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES, outputs=OUTPUT_FILES)

    assert planted in inventory.files
    assert inventory.earlier_outputs == ()


def test_a_link_among_an_earlier_run_s_outputs_makes_it_the_target_s(tmp_path):
    """An output name that is a link is not an output: the folder is walked."""
    _write(tmp_path, {**EARLIER_RUN, "app.py": "x = 1\n"})
    (tmp_path / "gates-report" / "summary.md").symlink_to(tmp_path / "app.py")

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES, outputs=OUTPUT_FILES)

    assert "gates-report/findings.json" in inventory.files
    assert inventory.earlier_outputs == ()


def test_an_unreadable_folder_among_an_earlier_run_s_outputs_makes_it_the_target_s(
    tmp_path, monkeypatch
):
    """A folder among the outputs that cannot be listed may hold anything: it is named as
    foreign, never taken for an empty one."""
    _write(tmp_path, EARLIER_RUN)
    listing = os.scandir

    def refuse_raw(path):
        if Path(path).name == "raw":
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refuse_raw)

    assert foreign_files(tmp_path / "gates-report", OUTPUT_FILES) == ["raw"]


def test_an_earlier_run_s_outputs_at_the_top_are_left_out_and_named(tmp_path):
    """A gates-report/ at the target's top holding nothing but a run's outputs is left out
    of every scanner, and the inventory says so."""
    _write(tmp_path, {**EARLIER_RUN, "app.py": "x = 1\n", "svc/gates-report/findings.json": ""})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES, outputs=OUTPUT_FILES)

    assert inventory.files == ("app.py", "svc/gates-report/findings.json")
    assert inventory.earlier_outputs == ("gates-report",)
    (note,) = inventory.left_out
    assert "gates-report" in note and "earlier run" in note


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
            "venv/bin/python3": "",
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


RYE_LOCK = (
    "# generated by rye\n# use `rye lock` or `rye sync` to update this lockfile\n#\n"
    "-e file:.\nflask==3.0.0\n    # via svc\nwerkzeug==3.0.1 \\\n"
    "    --hash=sha256:0123456789abcdef\n"
)


def test_requirements_in_a_requirements_folder_and_lock_files_are_listed(tmp_path):
    """Every .txt and .in file under a folder named requirements, at any depth, and the
    requirements*.lock files written in requirements format are requirements files; an
    include between them is followed and listed once."""
    _write(
        tmp_path,
        {
            "requirements/base.in": "flask\n",
            "requirements/base.txt": "flask==3.0.0\n",
            "requirements/prod.txt": "-r base.txt\ngunicorn==22.0.0\n",
            "requirements/ci/lint.txt": "ruff==0.5.0\n",
            "requirements/README.md": "how to compile\n",
            "services/api/Requirements/dev.txt": "pytest==8.0.0\n",
            "requirements.lock": RYE_LOCK,
            "requirements-dev.lock": "pytest==8.0.0\n",
            "docs/notes.txt": "not a requirements file\n",
        },
    )

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.requirements_files == (
        "requirements-dev.lock",
        "requirements.lock",
        "requirements/base.in",
        "requirements/base.txt",
        "requirements/prod.txt",
        "requirements/ci/lint.txt",
        "services/api/Requirements/dev.txt",
    )
    assert inventory.unfollowed_includes == ()
    assert inventory.dependency_manifests == ()


def test_a_requirements_lock_in_another_format_is_named_as_not_audited(tmp_path):
    """A requirements*.lock that is not in requirements format (TOML here) is listed among
    the files whose dependencies pip-audit and safety do not read, never dropped."""
    _write(tmp_path, {"requirements.lock": '[[package]]\nname = "flask"\nversion = "3.0.0"\n'})

    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)

    assert inventory.requirements_files == ()
    assert inventory.dependency_manifests == ("requirements.lock",)


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


def test_what_an_interrupted_write_leaves_is_the_gate_s_own(tmp_path):
    """`.findings.json.<random>.tmp` beside a run's outputs is left by an interrupted atomic
    write: it is not the target's file; a lookalike for a name the gate never writes is."""
    _write(
        tmp_path,
        {
            **EARLIER_RUN,
            "gates-report/.findings.json.k2j4x9.tmp": "{",
            "gates-report/scanners/.bandit.json.a1b2c3.tmp": "{",
            "gates-report/.ops.py.a1b2c3.tmp": "import os\n",
        },
    )

    assert foreign_files(tmp_path / "gates-report", OUTPUT_FILES) == [".ops.py.a1b2c3.tmp"]
