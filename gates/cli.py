"""The `gates` command.

    gates run     [--target DIR] [--output-dir DIR] [--scanners a,b]   scan, decide, report
    gates scan    NAME... [--target DIR] [--output-dir DIR]            scan only
    gates decide  [--target DIR] [--output-dir DIR]                    decide from saved results
    gates ingest  SCANNER FILE [--target DIR] [--output-dir DIR]  normalize a report from elsewhere
    gates tools   install [NAME...]                                    provision the pinned scanners

Exit codes: 0 the gate passed (or the command did its job), 1 the gate failed,
2 the gate could not decide (a usage or configuration error, an unreadable report,
an output that could not be written). Every flag has an environment variable
(`GATES_TARGET`, `GATES_OUTPUT_DIR`, `GATES_CONFIG`, `GATES_SCANNERS`).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gates import __version__, config, pipeline, toolchain
from gates.errors import GatesError
from gates.inventory import OUTPUT_FOLDER
from gates.model import GateResult
from gates.reports.terminal import render_summary
from gates.scanners import SCANNERS

PASS, FAIL, ERROR = 0, 1, 2

logger = logging.getLogger("gates")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="gates: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args))
    except GatesError as error:
        print(f"gates: error: {error}", file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        print("gates: interrupted; no verdict", file=sys.stderr)
        return ERROR
    except Exception as error:  # noqa: BLE001 - a bug must never read as "the gate failed"
        logger.debug("internal error", exc_info=True)
        print(
            f"gates: internal error, no verdict ({type(error).__name__}: {error}); "
            "run with -v for the traceback and please report it",
            file=sys.stderr,
        )
        return ERROR


def _env(name: str) -> str | None:
    # An empty variable (as CI templates often leave them) means "not set".
    return os.environ.get(name) or None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gates",
        description="Release security gate: run pinned scanners, normalize, decide, report.",
        epilog="Exit codes: 0 pass, 1 gate failed, 2 could not decide.",
    )
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every command run")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--target",
            type=Path,
            default=Path(_env("GATES_TARGET") or "."),
            help="the repository to scan (default: the current folder; env GATES_TARGET)",
        )
        sub.add_argument(
            "--output-dir",
            type=Path,
            default=_env("GATES_OUTPUT_DIR"),
            help="where reports go (default: TARGET/gates-report; env GATES_OUTPUT_DIR)",
        )
        sub.add_argument(
            "--config",
            type=Path,
            default=_env("GATES_CONFIG"),
            help="a gates.toml or pyproject.toml (default: the target's; env GATES_CONFIG)",
        )

    run = commands.add_parser("run", help="run the scanners, decide and write the reports")
    common(run)
    run.add_argument(
        "--scanners",
        default=_env("GATES_SCANNERS"),
        help="comma-separated scanners to run (default: all enabled; env GATES_SCANNERS)",
    )
    run.set_defaults(handler=_run)

    scan = commands.add_parser("scan", help="run scanners and save their normalized results")
    common(scan)
    scan.add_argument("names", nargs="+", choices=sorted(SCANNERS), metavar="SCANNER")
    scan.set_defaults(handler=_scan)

    decide = commands.add_parser(
        "decide", help="decide from the results saved in the output folder"
    )
    common(decide)
    decide.set_defaults(handler=_decide)

    ingest = commands.add_parser("ingest", help="normalize a scanner report produced elsewhere")
    common(ingest)
    ingest.add_argument("scanner", choices=sorted(SCANNERS))
    ingest.add_argument("report", type=Path)
    ingest.set_defaults(handler=_ingest)

    tools = commands.add_parser("tools", help="manage the pinned scanners")
    tools_commands = tools.add_subparsers(dest="tools_command", required=True)
    install = tools_commands.add_parser("install", help="create each scanner's own environment")
    install.add_argument("names", nargs="*", metavar="SCANNER")
    install.set_defaults(handler=_tools_install)
    return parser


def _resolve(args: argparse.Namespace) -> tuple[Path, Path, config.GateConfig]:
    target = args.target.expanduser()
    if not target.is_dir():
        raise GatesError(f"the target {target} is not a folder")
    target = target.resolve()
    output_dir = Path(args.output_dir).expanduser() if args.output_dir else target / OUTPUT_FOLDER
    return target, output_dir.resolve(), config.load(target, args.config)


def _run(args: argparse.Namespace) -> int:
    target, output_dir, cfg = _resolve(args)
    names = cfg.enabled
    if args.scanners:
        names = tuple(n.strip() for n in args.scanners.split(",") if n.strip())
        cfg = _restricted(cfg, names)
    pipeline.scan(target, cfg, output_dir, names)
    return _finish(target, output_dir, cfg)


def _restricted(cfg: config.GateConfig, names: tuple[str, ...]) -> config.GateConfig:
    # Scanners left out on the command line are left out of the decision too, but a
    # required scanner may not be dropped silently: that is a configuration error.
    dropped = [name for name in cfg.required if name not in names]
    if dropped:
        raise GatesError(
            f"--scanners leaves out required scanner(s) {', '.join(dropped)}; "
            "make them optional in the configuration first"
        )
    return dataclasses.replace(cfg, optional=tuple(n for n in names if n not in cfg.required))


def _scan(args: argparse.Namespace) -> int:
    target, output_dir, cfg = _resolve(args)
    for result in pipeline.scan(target, cfg, output_dir, args.names):
        run = result.run
        detail = f": {run.message}" if run.message else ""
        print(
            f"{run.name}: {run.status.value}, {len(result.findings)} finding(s){detail}",
            file=sys.stderr,
        )
    return PASS


def _decide(args: argparse.Namespace) -> int:
    target, output_dir, cfg = _resolve(args)
    return _finish(target, output_dir, cfg)


def _finish(target: Path, output_dir: Path, cfg: config.GateConfig) -> int:
    results = pipeline.collect(output_dir, cfg)
    result: GateResult = pipeline.decide(target, cfg, results)
    pipeline.write_reports(result, output_dir)
    print(render_summary(result, color=sys.stderr.isatty()), file=sys.stderr, end="")
    print(f"Reports: {output_dir}", file=sys.stderr)
    return PASS if result else FAIL


def _ingest(args: argparse.Namespace) -> int:
    target, output_dir, cfg = _resolve(args)
    result = pipeline.ingest(args.scanner, args.report, target, output_dir, cfg)
    print(
        f"{args.scanner}: {result.run.status.value}, {len(result.findings)} finding(s) "
        f"ingested from {args.report}",
        file=sys.stderr,
    )
    return PASS


def _tools_install(args: argparse.Namespace) -> int:
    names = args.names or [*toolchain.PINS, *toolchain.EXTERNAL]
    failed = False
    for outcome in toolchain.install(names):
        print(f"{outcome.name}: {outcome.message}", file=sys.stderr)
        failed |= not outcome.ok and outcome.name in toolchain.PINS
    return ERROR if failed else PASS
