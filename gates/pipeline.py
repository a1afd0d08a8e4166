"""The gate's program as a few steps: scan, collect, decide, report.

`gates run` is `scan` then `decide`. In a GitLab pipeline each scan job runs `scan` for
one scanner and publishes `scanners/<name>.json`; the gate job runs `decide`, which
reads those files and treats every enabled scanner without one as failed, so a scan
job that died cannot vanish from the verdict. Each result is stamped with the run it was
made in (`current_run_id`); inside a pipeline, `decide` refuses a result from another
run, so a stale file, or one committed to the scanned repository, cannot stand in for a
scan job that died.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import logging
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from gates import __version__, merge, owasp
from gates.config import GateConfig
from gates.coverage import read_coverage
from gates.errors import ConfigError, OutputError, ReportError
from gates.inventory import foreign_files, take_inventory
from gates.model import Coverage, GateResult, ScannerRun, ScanResult, Status
from gates.policy import decide as decide_checks
from gates.reports import REPORTS
from gates.reports.findings_json import findings_schema
from gates.runner import ScanRequest, interpret, run_all
from gates.scanners import SCANNERS, adapter_for
from gates.storage import write_atomic
from gates.textio import decode

logger = logging.getLogger(__name__)

RESULTS_DIR = "scanners"
RAW_DIR = "raw"
CONTAINER_DIR = "container"


def _output_files() -> frozenset[str]:
    top = {"coverage.xml", "coverage.json", *(renderer.filename for renderer in REPORTS.values())}
    top |= {f"{RESULTS_DIR}/{name}.json" for name in SCANNERS}
    top |= {f"{RAW_DIR}/{name}{kind}" for name in SCANNERS for kind in (".json", ".stderr.txt")}
    # .gitlab-ci.yml scans the image into container/ and decides on it there: a run of its own.
    container = {f"{CONTAINER_DIR}/trivy-image.json", *(f"{CONTAINER_DIR}/{path}" for path in top)}
    return frozenset(top | container)


#: Every file a run writes in its output folder, relative to it: its reports, the coverage
#: report the pipeline copies there, each scanner's result and raw output, `container/`.
OUTPUT_FILES = _output_files()


def rules_dir() -> Path | None:
    """The rule pack: inside the installed package, else at the repository's top level."""
    packaged = Path(str(resources.files("gates"))) / "semgrep-rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "semgrep-rules"
    return checkout if checkout.is_dir() else None


def scan(
    target: Path, config: GateConfig, output_dir: Path, names: Sequence[str]
) -> list[ScanResult]:
    """Run the named scanners over the target and write each one's normalized result."""
    unknown = [name for name in names if name not in SCANNERS]
    if unknown:
        raise ConfigError(f"unknown scanner(s): {', '.join(unknown)}; known: {', '.join(SCANNERS)}")
    _check_output_dir(target, output_dir)
    config = _without_output(target, config, output_dir)
    request = ScanRequest(
        target=target,
        inventory=take_inventory(target, config.exclude, OUTPUT_FILES),
        config=config,
        raw_dir=output_dir / RAW_DIR,
        rules_dir=rules_dir(),
    )
    results = run_all(request, names)
    unwritten = []
    for result in results:
        try:
            save_result(output_dir, result)
        except OutputError as error:
            unwritten.append(str(error))
    if unwritten:
        raise OutputError("; ".join(unwritten))
    return results


def _check_output_dir(target: Path, output_dir: Path) -> None:
    # The output folder is left out of the scan (`_without_output`), so it must hold
    # nothing of the target's, at any depth: pointing --output-dir at a source folder, or
    # planting code among the reports (raw/ops.py), would hide it.
    root, out = target.resolve(), output_dir.resolve()
    if not out.is_relative_to(root):
        return
    if out == root:
        raise ConfigError(
            f"the output folder is the target itself ({out}); choose a folder of its own, "
            "such as the default gates-report/"
        )
    foreign = foreign_files(out, OUTPUT_FILES) if out.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise ConfigError(
            f"the output folder {out} holds files of the target ({shown}), which the gate "
            "would then not scan; choose a new folder"
        )


def _without_output(target: Path, config: GateConfig, output_dir: Path) -> GateConfig:
    # An output folder inside the target is ours, not the target's: never scan it.
    if (
        output_dir.resolve().is_relative_to(target.resolve())
        and output_dir.resolve() != target.resolve()
    ):
        inside = "/" + output_dir.resolve().relative_to(target.resolve()).as_posix()
        config = dataclasses.replace(config, exclude=(*config.exclude, inside))
    return config


def current_run_id() -> str | None:
    """The run results belong to: `GATES_RUN_ID`, else GitLab's `CI_PIPELINE_ID`, else
    None (a run on a laptop, where `gates run` scans and decides in one process)."""
    return os.environ.get("GATES_RUN_ID") or os.environ.get("CI_PIPELINE_ID") or None


def save_result(output_dir: Path, result: ScanResult) -> Path:
    """Write one scanner's normalized result, stamped with the run, where `decide` will
    look for it."""
    result = dataclasses.replace(
        result, run=dataclasses.replace(result.run, run_id=current_run_id())
    )
    path = output_dir / RESULTS_DIR / f"{result.run.name}.json"
    write_atomic(path, json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return path


def ingest(
    scanner: str, report: Path, target: Path, output_dir: Path, config: GateConfig
) -> ScanResult:
    """Normalize a report another job produced, as if the gate had run the scanner.

    The report is judged against the target's inventory (with the configuration's
    excludes) exactly as a live run is: a report that read fewer of the target's Python
    files than it holds is incomplete.
    """
    if scanner not in SCANNERS:
        raise ConfigError(f"unknown scanner {scanner!r}; known: {', '.join(SCANNERS)}")
    try:
        data = report.read_bytes()
    except OSError as error:
        raise ReportError(f"cannot read {report}: {error.strerror or error}") from error
    config = _without_output(target, config, output_dir)
    result = interpret(
        adapter_for(scanner),
        data,
        target=target,
        exit_code=None,
        inventory=take_inventory(target, config.exclude, OUTPUT_FILES),
        source=f"ingested from {report.name}",
        honor_suppressions=config.honor_suppressions,
    )
    if result.run.status is Status.FAILED:
        raise ReportError(result.run.message)
    run = result.run
    stamped = ScannerRun(
        name=run.name,
        status=run.status,
        version=_reported_version(data),
        command=(),
        exit_code=None,
        message=run.message or f"ingested from {report.name}",
        source=f"ingested from {report.name}",
        raw_output=f"{RAW_DIR}/{scanner}.json",
        warnings=run.warnings,
        not_scanned=run.not_scanned,
        finding_count=run.finding_count,
    )
    write_atomic(output_dir / RAW_DIR / f"{scanner}.json", data)
    ingested = ScanResult(stamped, result.findings)
    save_result(output_dir, ingested)
    return ingested


def _reported_version(data: bytes) -> str | None:
    # Only trivy and semgrep state their version in the report itself.
    try:
        document = json.loads(decode(data))
    except ValueError:
        return None
    if isinstance(document, dict):
        trivy = document.get("Trivy")
        if isinstance(trivy, dict) and isinstance(trivy.get("Version"), str):
            return trivy["Version"]
        if isinstance(document.get("version"), str):
            return document["version"]
    return None


def collect(output_dir: Path, config: GateConfig) -> list[ScanResult]:
    """Every enabled scanner's saved result; a missing, unreadable or foreign one (made in
    another run) counts as failed."""
    run_id = current_run_id()
    results = []
    for name in config.enabled:
        path = output_dir / RESULTS_DIR / f"{name}.json"
        if not path.is_file():
            results.append(
                _absent(
                    name,
                    f"no result from {name}: its scan did not run or did not publish "
                    f"{RESULTS_DIR}/{name}.json",
                )
            )
            continue
        try:
            result = _read_result(path, name)
        except ReportError as error:
            results.append(_absent(name, f"the result file of {name} cannot be trusted: {error}"))
            continue
        if run_id is not None and result.run.run_id != run_id:
            made_in = f"run {result.run.run_id}" if result.run.run_id else "no recorded run"
            results.append(
                _absent(
                    name,
                    f"no result from {name} in this run ({run_id}): "
                    f"{RESULTS_DIR}/{name}.json comes from {made_in}, a stale or committed "
                    "file that is never trusted",
                )
            )
            continue
        results.append(result)
    return results


def _read_result(path: Path, name: str) -> ScanResult:
    # A result file crosses a job boundary: check it as strictly as a scanner's report.
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, _result_schema())
        result = ScanResult.from_dict(data)
    except (OSError, ValueError, RecursionError) as error:
        raise ReportError(str(error)) from error
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ReportError(f"{where}: {error.message}") from error
    if result.run.name != name:
        raise ReportError(f"it holds the result of {result.run.name!r}, not of {name!r}")
    if result.run.finding_count != len(result.findings):
        raise ReportError(
            f"it counts {result.run.finding_count} finding(s) but lists {len(result.findings)}"
        )
    return result


@functools.cache
def _result_schema() -> dict[str, Any]:
    defs = findings_schema()["$defs"]
    return {
        "type": "object",
        "required": ["scanner", "findings"],
        "additionalProperties": False,
        "properties": {
            "scanner": {"$ref": "#/$defs/scanner"},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
        },
        "$defs": defs,
    }


def _absent(name: str, message: str) -> ScanResult:
    return ScanResult(
        ScannerRun(name=name, status=Status.FAILED, message=message, source="missing")
    )


def decide(target: Path, config: GateConfig, results: Sequence[ScanResult]) -> GateResult:
    """Merge the scanners' findings, read coverage, and reach the verdict."""
    findings, merged = merge.merge(results)
    runs = tuple(result.run for result in results)
    coverage = (
        read_coverage(target, config.coverage_report)
        if config.coverage_enabled
        else Coverage(percent=None, report=None, message="coverage check switched off")
    )
    checks, reasons = decide_checks(findings, runs, coverage, config)
    coverage_map = {name: SCANNERS[name].owasp_coverage for name in SCANNERS}
    return GateResult(
        target=target.name or str(target),
        scanners=runs,
        findings=findings,
        coverage=coverage,
        checks=checks,
        reasons=reasons,
        owasp=owasp.checklist(findings, runs, coverage_map),
        merged=merged,
        tool_version=__version__,
        generated_at=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        config_source=config.source,
    )


def write_reports(result: GateResult, output_dir: Path) -> list[Path]:
    """Render every report format and write each file atomically."""
    written = []
    for renderer_class in REPORTS.values():
        renderer = renderer_class()
        path = output_dir / renderer.filename
        write_atomic(path, renderer.render(result))
        written.append(path)
    return written
