"""What the target holds, listed once before any scanner runs.

The inventory is how the gate knows what it meant to scan: a scanner that reports on
fewer Python files than the inventory lists has left something unchecked. Walking the
tree never follows a symbolic link, and a link that points outside the target is
recorded so the scanners can be told to skip it. What the walk leaves out on its own
judgement (the contents of virtual environments, an earlier run's reports, those links) is
listed in `Inventory.left_out`, which every scanner's run repeats, so nothing disappears
from the reports unannounced.
"""

from __future__ import annotations

import configparser
import fnmatch
import json
import os
import re
import shlex
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gates.textio import read_small_text

#: Folders no scan wants: version control and tool caches.
#: A pattern with a leading "/" matches from the target's top only; any other pattern
#: without a "/" matches a folder of that name at any depth. Virtual environments are
#: recognised wherever they are and whatever their name (`virtualenv_layout`), and listed;
#: so is an earlier run's `OUTPUT_FOLDER` (`take_inventory`). The output folder of the run
#: itself is excluded by the caller (`gates.pipeline`).
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".nox",
    ".tox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
)

#: Where a run writes its reports when not told otherwise: TARGET/gates-report.
OUTPUT_FOLDER = "gates-report"

_REQUIREMENTS = re.compile(r"(^|.*[-_.])requirements([-_.].*)?\.(txt|in)$|^requirements$")
_REQUIREMENTS_LOCK = "requirements*.lock"
# A line pip reads from a requirements file: an option, a requirement, a URL or a path.
_REQUIREMENT_LINE = re.compile(
    r"-|[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(==|>=|<=|!=|~=|<|>|@|;|$)|\w+://|[./]"
)
_K8S_KIND = re.compile(r"^kind:\s*[A-Za-z]+\s*$", re.MULTILINE)
_K8S_API = re.compile(r"^apiVersion:\s*\S+", re.MULTILINE)
_MAX_MANIFEST_BYTES = 2 * 1024 * 1024
_MAX_DECLARATION_BYTES = 16 * 1024 * 1024
_MAX_NAMED = 10
_INSTALL_REQUIRES = re.compile(r"install_requires\s*=\s*(?![\[(]\s*[\])])")
# pip reads requirements options with optparse, which accepts any unambiguous prefix of a
# long option: "--requirem" is the shortest that no other option shares, "--cons" likewise.
_LONG_INCLUDES = (("--requirement", len("--requirem")), ("--constraint", len("--cons")))
_COMMENT = re.compile(r"(^|\s)#.*$")
# What `python -m venv` and virtualenv create, by layout; packages add share/ (data files).
_VENV_POSIX = ("bin", "include", "lib", "lib64", "share")
_VENV_WINDOWS = ("Include", "Lib", "Scripts", "share")
_VENV_HOME = re.compile(r"^\s*home\s*=", re.MULTILINE | re.IGNORECASE)
_INTERPRETER = re.compile(r"python(3(\.\d+t?)?)?")
_WINDOWS_INTERPRETER = re.compile(r"python\.exe")
_VERSIONED_LIB = re.compile(r"python3\.\d+t?")
_MAX_PYVENV_CFG_BYTES = 64 * 1024


@dataclass(frozen=True)
class Inventory:
    """Relative POSIX paths of the files the scanners care about.

    `requirements_files` holds the requirements files (those named like requirements, every
    .txt and .in file under a folder named requirements, and the requirements*.lock files
    written in requirements format) and every file they include (`-r`, `-c`);
    `unfollowed_includes` names each include that could not be followed (missing, outside
    the target, a URL), as "FILE:LINE: -r PATH (why)". `dependency_manifests` holds the
    files that declare dependencies where pip-audit and safety do not look
    (`DEPENDENCY_MANIFESTS`, and a requirements*.lock in another format). `virtualenvs`
    holds the folders that are virtual environments, `virtualenv_contents` the entries of
    theirs left out (their pyvenv.cfg and standard folders; anything else in such a folder
    is walked).
    `earlier_outputs` holds the `OUTPUT_FOLDER` at the target's top when it holds nothing
    but an earlier run's reports.
    """

    files: tuple[str, ...] = ()
    python_files: tuple[str, ...] = ()
    requirements_files: tuple[str, ...] = ()
    unfollowed_includes: tuple[str, ...] = ()
    dependency_manifests: tuple[str, ...] = ()
    k8s_manifests: tuple[str, ...] = ()
    escaping_links: tuple[str, ...] = ()
    virtualenvs: tuple[str, ...] = ()
    virtualenv_contents: tuple[str, ...] = ()
    earlier_outputs: tuple[str, ...] = ()
    helm_templates: tuple[str, ...] = ()
    file_count: int = 0
    excludes: tuple[str, ...] = ()

    @property
    def left_out(self) -> tuple[str, ...]:
        """Sentences naming what the walk left out of every scanner's view by itself: the
        contents of virtual environments, an earlier run's reports and the links that leave
        the target."""
        notes = []
        if self.virtualenvs:
            contents = tuple(
                f"{venv} ({', '.join(_children(self.virtualenv_contents, venv))})"
                for venv in self.virtualenvs
            )
            notes.append(
                f"{len(self.virtualenvs)} virtual environment(s) found (pyvenv.cfg with a home, "
                "an interpreter, site-packages); their own entries left out of every scanner, "
                f"anything beside them scanned: {_named(contents)}"
            )
        if self.earlier_outputs:
            notes.append(
                f"{_named(self.earlier_outputs)} left out of every scanner: it holds nothing "
                "but the reports of an earlier run"
            )
        if self.escaping_links:
            notes.append(
                f"{len(self.escaping_links)} link(s) pointing outside the target not followed "
                f"and left out of every scanner: {_named(self.escaping_links)}"
            )
        return tuple(notes)


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """True when a relative path, or any folder above it, matches an exclude pattern."""
    parts = path.split("/")
    for pattern in patterns:
        bare = pattern.strip("/")
        if fnmatch.fnmatch(path, bare) or fnmatch.fnmatch(path, bare + "/*"):
            return True
        anchored = pattern.startswith("/")
        if not anchored and "/" not in bare and any(fnmatch.fnmatch(p, bare) for p in parts):
            return True
    return False


def take_inventory(
    target: Path, excludes: tuple[str, ...], outputs: frozenset[str] = frozenset()
) -> Inventory:
    """Walk `target` without following links and sort what it holds by scanner interest.

    `outputs` are the files a gate run writes in its output folder (`foreign_files`): an
    `OUTPUT_FOLDER` at the target's top holding nothing else is an earlier run's, left out
    and named. Without them, or with anything else in it, that folder is walked.
    """
    root = target.resolve()
    every, python, requirements, manifests, escaping, virtualenvs = [], [], [], [], [], []
    declared, venv_contents, earlier = [], [], []
    # Each virtual environment found, by its relative path: the entries of its own.
    venv_layouts: dict[str, tuple[str, ...]] = {}
    helm, chart_templates = [], []
    count = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        rel_folder = here.relative_to(root).as_posix()
        if "Chart.yaml" in files:
            chart_templates.append(
                "templates/" if rel_folder == "." else f"{rel_folder}/templates/"
            )
        venv_own = venv_layouts.get(rel_folder, ())
        kept_dirs = []
        for name in sorted(dirs):
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            if (here / name).is_symlink():
                if _escapes(here / name, root):
                    escaping.append(rel)
                continue
            if is_excluded(rel, excludes):
                continue
            if rel == OUTPUT_FOLDER and outputs and not foreign_files(here / name, outputs):
                earlier.append(rel)
                continue
            if name in venv_own:
                venv_contents.append(rel)
                continue
            layout = virtualenv_layout(here / name)
            if layout:
                virtualenvs.append(rel)
                venv_layouts[rel] = layout
            kept_dirs.append(name)
        dirs[:] = kept_dirs

        for name in sorted(files):
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            path = here / name
            if path.is_symlink():
                if _escapes(path, root):
                    escaping.append(rel)
                continue
            if is_excluded(rel, excludes):
                continue
            if name in venv_own:
                venv_contents.append(rel)
                continue
            count += 1
            every.append(rel)
            if rel.startswith(tuple(chart_templates)):
                helm.append(rel)  # Go templates that render to YAML; not YAML themselves
            elif name.endswith(".py"):
                python.append(rel)
            elif _is_requirements(rel):
                requirements.append(rel)
            elif fnmatch.fnmatch(name.lower(), _REQUIREMENTS_LOCK):
                # rye and `uv pip compile` write requirements; a lock in another format is
                # named as not audited, never dropped.
                (requirements if _in_requirements_format(path) else declared).append(rel)
            elif name.endswith((".yaml", ".yml", ".json")) and _looks_like_k8s(path):
                manifests.append(rel)
            if name in DEPENDENCY_MANIFESTS and _declares_dependencies(path):
                declared.append(rel)

    requirements, unfollowed = _follow_includes(root, requirements, set(every))
    return Inventory(
        files=tuple(every),
        python_files=tuple(python),
        requirements_files=tuple(requirements),
        unfollowed_includes=tuple(unfollowed),
        dependency_manifests=tuple(declared),
        k8s_manifests=tuple(manifests),
        escaping_links=tuple(escaping),
        virtualenvs=tuple(virtualenvs),
        virtualenv_contents=tuple(sorted(venv_contents)),
        earlier_outputs=tuple(earlier),
        helm_templates=tuple(helm),
        file_count=count,
        excludes=excludes,
    )


def _interrupted_write(rel: str, outputs: frozenset[str]) -> bool:
    # What an interrupted `gates.storage.write_atomic` leaves beside an output:
    # `.NAME.<random>.tmp`. It is the gate's own, not the target's.
    folder, _, name = rel.rpartition("/")
    match = re.fullmatch(r"\.(.+)\.[^./]+\.tmp", name)
    return bool(match) and (f"{folder}/{match.group(1)}" if folder else match.group(1)) in outputs


def foreign_files(folder: Path, outputs: frozenset[str]) -> list[str]:
    """What `folder` holds beyond `outputs`, the files a gate run writes in its output
    folder (paths relative to it): any other file or folder, at any depth, and every link.

    An empty list means the folder holds nothing but a run's reports. A folder none of
    whose outputs can lie under it is named once, not walked.
    """
    foreign = []

    def unreadable(error: OSError) -> None:
        # A folder that cannot be listed may hold anything.
        foreign.append(Path(error.filename or folder).relative_to(folder).as_posix())

    for here, dirs, files in os.walk(folder, onerror=unreadable, followlinks=False):
        rel_here = Path(here).relative_to(folder).as_posix()
        kept_dirs = []
        for name in sorted(dirs + files):
            rel = name if rel_here == "." else f"{rel_here}/{name}"
            path = Path(here) / name
            if path.is_symlink():
                foreign.append(rel)
            elif name in dirs:
                if any(output.startswith(f"{rel}/") for output in outputs):
                    kept_dirs.append(name)
                else:
                    foreign.append(rel)
            elif (rel not in outputs and not _interrupted_write(rel, outputs)) or not (
                path.is_file()
            ):
                foreign.append(rel)
        dirs[:] = kept_dirs
    return foreign


def requirement_include(line: str) -> tuple[str, str] | None:
    """The option and the file of a requirements line that includes another file, in any
    spelling pip accepts (`-r f`, `-rf`, `--requirement=f`, `-c f`, `--constraint f`...),
    else None. The file is "" when the line names none."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    if not words:
        return None
    head, rest = words[0], words[1:]
    if head.startswith("--"):
        name, equals, value = head.partition("=")
        for option, shortest in _LONG_INCLUDES:
            if len(name) >= shortest and option.startswith(name):
                return option, value if equals else (rest[0] if rest else "")
        return None
    if head[:2] in ("-r", "-c"):
        return head[:2], head[2:] or (rest[0] if rest else "")
    return None


def _follow_includes(
    root: Path, requirements: list[str], walked: set[str]
) -> tuple[list[str], list[str]]:
    # Breadth first from the files named like requirements; each file is read once, so an
    # include cycle ends. An included file is listed as the real file it resolves to.
    found, queue = list(requirements), list(requirements)
    unfollowed = []
    while queue:
        rel = queue.pop(0)
        for number, option, named in _includes(root / rel):
            included, why = _resolve_include(root, rel, named, walked)
            if included is None:
                unfollowed.append(f"{rel}:{number}: {f'{option} {named}'.strip()} ({why})")
            elif included not in found:
                found.append(included)
                queue.append(included)
    return found, unfollowed


def _includes(path: Path) -> list[tuple[int, str, str]]:
    # An unreadable file is named by the scanners that read it; here it includes nothing.
    try:
        content = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = []
    pending, start = "", 0
    for number, raw in enumerate(content.splitlines(), start=1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        include = requirement_include(pending + line)
        pending = ""
        if include is not None:
            found.append((start, *include))
    return found


def _resolve_include(root: Path, rel: str, named: str, walked: set[str]) -> tuple[str | None, str]:
    if not named:
        return None, "names no file"
    if "://" in named or named.startswith("file:"):
        return None, "a URL, which the gate does not fetch"
    if "${" in named:
        return None, "names an environment variable, which the gate does not expand"
    try:
        real = ((root / rel).parent / named).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None, "missing"
    if not real.is_relative_to(root):
        return None, "outside the target"
    included = real.relative_to(root).as_posix()
    if included not in walked:
        return None, "not a file the gate scans: excluded, in a virtual environment or not a file"
    return included, ""


def is_virtualenv(folder: Path) -> bool:
    """True when `folder` is a virtual environment (`virtualenv_layout`)."""
    return bool(virtualenv_layout(folder))


def virtualenv_layout(folder: Path) -> tuple[str, ...]:
    """The entries of a virtual environment's own in `folder` (its pyvenv.cfg and those of
    its standard folders that exist), or () when `folder` is not a virtual environment.

    Every part is required: a pyvenv.cfg with a `home =` line, an interpreter named
    exactly python, python3 or python3.N in bin/ (python.exe in Scripts/), and a
    lib/python3.N/site-packages (Lib/site-packages) folder. Anyone can add a pyvenv.cfg or a
    bin/python_ops.sh to a source folder, so nothing less counts; and only these entries are
    the environment's, so a file placed beside them is still the target's. The folders
    looked into must be real ones, not links (a bin/ linked to /usr/bin would hold an
    interpreter); the interpreter itself is usually a link and may be one.
    """
    try:
        config = folder / "pyvenv.cfg"
        if not config.is_file() or config.is_symlink():
            return ()
        with config.open("rb") as handle:
            text = handle.read(_MAX_PYVENV_CFG_BYTES).decode("utf-8", "replace")
        if not _VENV_HOME.search(text):
            return ()
        found = set()
        if _has_interpreter(folder / "bin", _INTERPRETER) and _has_site_packages(folder / "lib"):
            found.update(_VENV_POSIX)
        scripts = folder / "Scripts"
        if _has_interpreter(scripts, _WINDOWS_INTERPRETER) and _real_dir(
            folder / "Lib" / "site-packages"
        ):
            found.update(_VENV_WINDOWS)
        if not found:
            return ()
        own = sorted(name for name in found if _real_dir(folder / name))
        return (*own, "pyvenv.cfg")
    except OSError:
        return ()


def _has_interpreter(scripts: Path, named: re.Pattern[str]) -> bool:
    # An interpreter is a file or a link to one, never a folder of that name.
    return _real_dir(scripts) and any(
        named.fullmatch(entry.name) and (entry.is_symlink() or entry.is_file())
        for entry in scripts.iterdir()
    )


def _has_site_packages(lib: Path) -> bool:
    return _real_dir(lib) and any(
        _VERSIONED_LIB.fullmatch(entry.name)
        and _real_dir(entry)
        and _real_dir(entry / "site-packages")
        for entry in lib.iterdir()
    )


def _is_requirements(rel: str) -> bool:
    # Named like requirements, or a .txt or .in file under a folder named requirements.
    folders, _, name = rel.lower().rpartition("/")
    if _REQUIREMENTS.match(name):
        return True
    return name.endswith((".txt", ".in")) and "requirements" in folders.split("/")


def _in_requirements_format(path: Path) -> bool:
    # Every line, once comments are stripped, is one pip reads in a requirements file.
    content = read_small_text(path, _MAX_DECLARATION_BYTES)
    if content is None:
        return False
    lines = (_COMMENT.sub("", raw).strip() for raw in content.splitlines())
    return all(_REQUIREMENT_LINE.match(line) for line in lines if line)


def _declares_dependencies(path: Path) -> bool:
    # Read, never run: a setup.py is searched as text. A file that cannot be read or parsed
    # may declare anything, so it counts as declaring.
    content = read_small_text(path, _MAX_DECLARATION_BYTES)
    if content is None:
        return True
    try:
        return DEPENDENCY_MANIFESTS[path.name](content)
    except (ValueError, RecursionError, configparser.Error):
        return True


def _pyproject_declares(content: str) -> bool:
    project = tomllib.loads(content).get("project")
    return isinstance(project, dict) and bool(project.get("dependencies"))


def _pipfile_declares(content: str) -> bool:
    data = tomllib.loads(content)
    return bool(data.get("packages") or data.get("dev-packages"))


def _pipfile_lock_declares(content: str) -> bool:
    data = json.loads(content)
    return not isinstance(data, dict) or bool(data.get("default") or data.get("develop"))


def _poetry_lock_declares(content: str) -> bool:
    return bool(tomllib.loads(content).get("package"))


def _uv_lock_declares(content: str) -> bool:
    packages = tomllib.loads(content).get("package")
    if not isinstance(packages, list):
        return bool(packages)
    # uv locks the project itself (and its workspace members) as editable or virtual.
    return any(
        not isinstance(package, dict)
        or not isinstance(package.get("source"), dict)
        or not {"editable", "virtual"} & package["source"].keys()
        for package in packages
    )


def _setup_cfg_declares(content: str) -> bool:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(content)
    return bool(parser.get("options", "install_requires", fallback="").strip())


def _setup_py_declares(content: str) -> bool:
    return bool(_INSTALL_REQUIRES.search(content))


#: Files that declare dependencies pip-audit and safety do not read, each with the test
#: of whether it declares any.
DEPENDENCY_MANIFESTS: dict[str, Callable[[str], bool]] = {
    "pyproject.toml": _pyproject_declares,
    "Pipfile": _pipfile_declares,
    "Pipfile.lock": _pipfile_lock_declares,
    "poetry.lock": _poetry_lock_declares,
    "uv.lock": _uv_lock_declares,
    "setup.py": _setup_py_declares,
    "setup.cfg": _setup_cfg_declares,
}


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _children(paths: tuple[str, ...], folder: str) -> list[str]:
    return [path.rpartition("/")[2] for path in paths if path.rpartition("/")[0] == folder]


def _named(paths: tuple[str, ...]) -> str:
    return ", ".join(paths[:_MAX_NAMED]) + (" …" if len(paths) > _MAX_NAMED else "")


def _escapes(link: Path, root: Path) -> bool:
    try:
        link.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def _looks_like_k8s(path: Path) -> bool:
    content = read_small_text(path, _MAX_MANIFEST_BYTES)
    return bool(content and _K8S_KIND.search(content) and _K8S_API.search(content))
