"""Running a scanner and turning whatever happened into a `ScanResult`.

Every way a scan can go wrong ends here as a status and a message naming the scanner:

    executable not found              unavailable
    nothing for it to scan            skipped
    timed out                         failed   (the process group is killed)
    killed by a signal, or exit 137   failed
    an exit code it does not document failed   (findings it printed still count)
    no report, two reports, one that cannot be read, or counts that do not add up
                                      failed
    a report that admits gaps (unparsed files, skipped packages, no database) or does
    not show what was scanned         incomplete
    none of the above                 ok

Only `ok` means the scanner's silence can be trusted.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shlex
import signal
import subprocess  # nosec B404 - running scanners is this module's job
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gates import merge, toolchain
from gates.config import GateConfig
from gates.errors import OutputError, ReportError
from gates.inventory import Inventory, is_excluded
from gates.model import ScannerRun, ScanResult, Status
from gates.scanners import adapter_for
from gates.scanners.interface import Command, Parsed, ScanContext, ScannerAdapter
from gates.storage import write_atomic
from gates.textio import load_json_document

logger = logging.getLogger(__name__)

_VERSION_TIMEOUT = 120
_SIGNAL_EXIT = 128


@dataclass(frozen=True)
class ScanRequest:
    """Everything needed to run scanners over one target."""

    target: Path
    inventory: Inventory
    config: GateConfig
    raw_dir: Path
    rules_dir: Path | None = None


@dataclass
class _Process:
    exit_code: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool = False


def run_all(request: ScanRequest, names: Sequence[str]) -> list[ScanResult]:
    """Run the named scanners concurrently; results come back in the order asked."""
    if not names:
        return []
    with ThreadPoolExecutor(max_workers=min(len(names), max(2, os.cpu_count() or 2))) as pool:
        return list(pool.map(lambda name: run_scanner(request, name), names))


def run_scanner(request: ScanRequest, name: str) -> ScanResult:
    """Run one scanner over the target and normalize what it reports."""
    adapter = adapter_for(name)
    started = time.monotonic()
    # What the inventory left out by itself is out of this scanner's view too: say so.
    left_out = request.inventory.left_out

    def finish(status: Status, message: str, warnings: tuple[str, ...] = ()) -> ScanResult:
        elapsed = time.monotonic() - started
        return ScanResult(
            ScannerRun(name, status, message=message, duration_s=elapsed, warnings=warnings)
        )

    executable = adapter.locate() or toolchain.find_executable(name, adapter.executable)
    if executable is None:
        return finish(Status.UNAVAILABLE, _missing_message(name, adapter))

    context = ScanContext(
        target=request.target,
        inventory=request.inventory,
        executable=executable,
        excludes=request.config.exclude,
        options=request.config.scanner_options.get(name, {}),
        rules_dir=request.rules_dir,
    )
    skip = adapter.skip_reason(context)
    if skip:
        return finish(Status.SKIPPED, f"{name} was not run: {skip}", left_out)

    command = adapter.command(context)
    command = dataclasses.replace(command, notes=(*left_out, *command.notes))
    version = _probe_version(adapter, executable, command.env)
    timeout = request.config.timeout_for(name, adapter.default_timeout)
    logger.info("running %s", shlex.join(command.argv))
    process = _execute(command, request.target, timeout)
    try:
        raw_path = _keep_raw(request.raw_dir, name, process)
    except OutputError as error:
        # The other scanners' results are still worth writing; this one cannot be trusted.
        return finish(Status.FAILED, f"{name}'s raw output could not be kept: {error}")

    result = interpret(
        adapter,
        process.stdout,
        target=request.target,
        exit_code=process.exit_code,
        timed_out=process.timed_out,
        timeout=timeout,
        stderr=process.stderr,
        command=command,
        inventory=request.inventory,
        honor_suppressions=request.config.honor_suppressions,
    )
    run = result.run
    return ScanResult(
        ScannerRun(
            name=name,
            status=run.status,
            version=version,
            command=command.argv,
            exit_code=process.exit_code,
            duration_s=time.monotonic() - started,
            message=run.message,
            raw_output=raw_path,
            warnings=run.warnings,
            not_scanned=run.not_scanned,
            finding_count=len(result.findings),
        ),
        result.findings,
    )


def interpret(
    adapter: ScannerAdapter,
    stdout: bytes,
    *,
    target: Path | None,
    exit_code: int | None = 0,
    timed_out: bool = False,
    timeout: float = 0,
    stderr: bytes = b"",
    command: Command | None = None,
    inventory: Inventory | None = None,
    source: str = "run",
    honor_suppressions: bool = True,
) -> ScanResult:
    """Judge a finished (or abandoned) scan from its exit code and its report."""
    name = adapter.name
    if timed_out:
        return _failed(name, f"{name} timed out after {timeout:g} s and was stopped", source)
    if exit_code is not None and (exit_code < 0 or exit_code == _SIGNAL_EXIT + signal.SIGKILL):
        return _failed(name, f"{name} was killed ({_describe_exit(exit_code)})", source)

    try:
        document = load_json_document(stdout, what=name)
        parsed = adapter.parse(document.value, target)
        _self_check(name, parsed)
    except ReportError as error:
        hint = f" (exit code {exit_code}{_stderr_tail(stderr)})" if exit_code is not None else ""
        return _failed(name, f"{name}'s report could not be read: {error}{hint}", source)

    findings = merge.finalize(
        (f for f in parsed.findings if not _excluded(f.path, inventory)),
        target,
        honor_suppressions=honor_suppressions,
    )
    suppressed = sum(1 for f in findings if f.title.startswith("Suppressed in code"))
    gaps = [*(command.gaps if command else ()), *parsed.gaps]
    not_scanned = list(parsed.not_scanned)
    if parsed.scanned is not None and inventory is not None:
        seen = set(parsed.scanned)
        missing = [p for p in inventory.python_files if p not in seen and p not in not_scanned]
        if missing:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            gaps.append(f"{name} did not scan {len(missing)} Python file(s) it was given: {shown}")
            not_scanned.extend(missing)

    notes = command.notes if command else ()
    warnings = (*notes, *document.warnings, *parsed.notes, *parsed.merged)
    if suppressed:
        warnings += (f"{suppressed} finding(s) suppressed by comments in the code, kept at info",)
    if exit_code is not None and exit_code not in adapter.ok_exit_codes:
        status = Status.FAILED
        message = (
            f"{name} exited with code {exit_code}, which it does not document for a completed "
            f"scan{_stderr_tail(stderr)}"
        )
        if gaps:
            message += "; " + "; ".join(gaps[:3])
        if findings:
            message += f"; its {len(findings)} finding(s) still count"
    elif gaps:
        status, message = Status.INCOMPLETE, "; ".join(gaps)
    else:
        status, message = Status.OK, ""
    run = ScannerRun(
        name=name,
        status=status,
        exit_code=exit_code,
        message=message,
        source=source,
        warnings=tuple(warnings),
        not_scanned=tuple(dict.fromkeys(not_scanned)),
        finding_count=len(findings),
    )
    return ScanResult(run, findings)


def _self_check(name: str, parsed: Parsed) -> None:
    if parsed.expected != len(parsed.findings):
        raise ReportError(
            f"self-check failed: the report lists {parsed.expected} item(s) but "
            f"{len(parsed.findings)} were normalized; its format may have changed"
        )


def _excluded(path: str | None, inventory: Inventory | None) -> bool:
    # Findings inside excluded folders are dropped even when a scanner ignored the
    # exclude list. A path outside the target (an ingested image report's /app/...) is
    # not one of the target's files, so the target's excludes say nothing about it.
    if path is None or inventory is None or path.startswith(("/", "../")):
        return False
    return is_excluded(path, inventory.excludes)


def _failed(name: str, message: str, source: str) -> ScanResult:
    return ScanResult(ScannerRun(name=name, status=Status.FAILED, message=message, source=source))


def _describe_exit(code: int) -> str:
    number = -code if code < 0 else code - _SIGNAL_EXIT
    try:
        label = signal.Signals(number).name
    except ValueError:
        label = f"signal {number}"
    suffix = "; out of memory?" if number == signal.SIGKILL else ""
    return f"exit code {code}, {label}{suffix}"


def _stderr_tail(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return f"; stderr: {lines[-1].strip()[:240]}" if lines else ""


def _missing_message(name: str, adapter: ScannerAdapter) -> str:
    if name in toolchain.EXTERNAL:
        return f"{name} is not installed: {toolchain.EXTERNAL[name]}"
    return (
        f"{name} is not installed: run `gates tools install {name}` "
        f"or put `{adapter.executable}` on PATH"
    )


def _probe_version(adapter: ScannerAdapter, executable: Path, env: Mapping[str, str]) -> str | None:
    try:
        completed = subprocess.run(  # nosec B603 - argv built by an adapter; never a shell
            list(adapter.version_argv(executable)),
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_VERSION_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    printed = completed.stdout + b"\n" + completed.stderr
    return adapter.read_version(printed.decode("utf-8", "replace"))


def _execute(command: Command, cwd: Path, timeout: float) -> _Process:
    env = {**os.environ, **command.env}
    try:
        process = subprocess.Popen(  # nosec B603 - argv built by an adapter; never a shell
            list(command.argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        return _Process(None, b"", f"could not start: {error}".encode())
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        stdout, stderr = process.communicate()
        return _Process(process.returncode, stdout, stderr, timed_out=True)
    return _Process(process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _keep_raw(raw_dir: Path, name: str, process: _Process) -> str:
    write_atomic(raw_dir / f"{name}.json", process.stdout)
    if process.stderr:
        write_atomic(raw_dir / f"{name}.stderr.txt", process.stderr)
    return f"{raw_dir.name}/{name}.json"
