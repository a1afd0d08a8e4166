"""Measure the rule pack against labeled vulnerable-by-design applications.

    python benchmarks/accuracy.py --mirrors DIR [--work DIR] [--speed] [--runs N]

For each target in targets.toml the script exports the pinned commit from a local git
mirror (``DIR/<owner>+<name>/repo``, the layout the workplace's fetch tool writes, or
``DIR/<name>``; ``--source NAME=PATH`` names one explicitly), runs the gate's
``semgrep`` (the rule pack), ``pin-drift`` and ``trivy`` (misconfigurations only, the
classes the pack leaves to it) scanners on it exactly as ``gates scan`` does, and
compares the normalized findings with the ground-truth table (file, line, class).

A labeled flaw counts as found when a finding whose rule belongs to the same class
(the rule's ``metadata.roadmap``, or ``SCANNER_CLASSES`` for trivy's checks and the
pin-drift check) sits in the same file within ``--tolerance`` lines; a label on line 0
is a flaw of the whole file (a manifest without a read-only root filesystem), found by
such a finding anywhere in the file. Each class says which scanners found its flaws.
Precision is reported as a lower bound: a finding no row explains is counted against
the pack even where it may be a real flaw the table does not list; every such finding
is listed in the results for review. On vulpy's ``good/`` twin the script lists every
finding of medium or above and says which are flaws the twin still documents.

With ``--speed`` it also times ``gates scan semgrep`` against ``gates scan bandit`` on
a large Python tree (the ``[speed]`` entry) and reports the ratio, the median of
``--runs`` runs each.

The script prints a Markdown summary and writes ``results.json`` and ``results.md``
into ``--work``. It exits 1 when a goal is missed, 2 when it could not measure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RULES = ROOT / "semgrep-rules"
CONFIG = HERE / "gates.toml"
RECALL_GOAL = 0.90
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0, "unknown": 3}
SCANNERS = ("semgrep", "pin-drift", "trivy")
# Roadmap classes found by checks outside the rule pack: the gate's own pin-drift check,
# and trivy's checks for what the pack deliberately leaves to trivy.
SCANNER_CLASSES = {
    "gates.dependency-pin-drift": "pin-drift",
    "KSV-0014": "k8s-writable-rootfs",
    "KSV-0013": "k8s-unpinned-image",
    "KSV-0017": "k8s-privileged",
    "DS-0001": "docker-unpinned-base",
    "DS-0002": "docker-root-user",
    "DS-0026": "docker-no-healthcheck",
    "AWS-0040": "eks-public-endpoint",
    "AWS-0041": "eks-public-endpoint",
}


class BenchmarkError(Exception):
    """The benchmark could not measure (a missing mirror, a scanner that did not finish)."""


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    flaw: str
    source: str


@dataclass(frozen=True)
class Hit:
    path: str
    start: int
    end: int
    flaw: str
    rule: str
    severity: str
    scanners: tuple[str, ...] = ()


@dataclass
class Score:
    found: list[Label] = field(default_factory=list)
    missed: list[Label] = field(default_factory=list)
    explained: list[Hit] = field(default_factory=list)
    unexplained: list[Hit] = field(default_factory=list)
    found_by: set[str] = field(default_factory=set)

    def recall(self) -> float | None:
        total = len(self.found) + len(self.missed)
        return len(self.found) / total if total else None

    def precision(self) -> float | None:
        total = len(self.explained) + len(self.unexplained)
        return len(self.explained) / total if total else None


def rule_classes() -> dict[str, str]:
    """Map each rule id of the pack to its roadmap class."""
    classes = dict(SCANNER_CLASSES)
    for path in sorted(RULES.rglob("*.yaml")):
        documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        if len(documents) != 1 or not isinstance(documents[0], dict):
            continue  # a test target (Kubernetes manifests, a pipeline), not a rule file
        for rule in documents[0].get("rules", ()):
            flaw = (rule.get("metadata") or {}).get("roadmap")
            if not flaw:
                raise BenchmarkError(f"rule {rule['id']} in {path.name} has no metadata.roadmap")
            classes[rule["id"]] = flaw
    return classes


def read_labels(path: Path) -> list[Label]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = [Label(r["file"], int(r["line"]), r["class"], r["source"]) for r in rows]
    duplicates = [k for k, n in Counter((x.path, x.line, x.flaw) for x in labels).items() if n > 1]
    if duplicates:
        raise BenchmarkError(f"{path.name} lists a flaw twice: {duplicates[0]}")
    return labels


def mirror_for(repository: str, mirrors: Path | None, sources: dict[str, str], name: str) -> Path:
    if name in sources:
        return Path(sources[name])
    if mirrors is None:
        raise BenchmarkError(f"no source for {name}: pass --mirrors DIR or --source {name}=PATH")
    owner, repo = repository.rstrip("/").split("/")[-2:]
    fetched = mirrors / f"{owner}+{repo}"
    for candidate in (fetched / "repo", fetched, mirrors / repo):
        if candidate.exists():
            return candidate
    raise BenchmarkError(f"no mirror of {repository} under {mirrors}")


def export(source: Path, commit: str, into: Path) -> int:
    """Write the files of `commit` into `into`; return how many blobs the mirror lacks.

    Works on bare mirrors whose largest blobs are absent (a plain checkout refuses them).
    Symbolic links are not recreated, so nothing in the export points outside it.
    """
    git_dir = source / ".git" if (source / ".git").exists() else source
    git = ["git", "--git-dir", str(git_dir)]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", commit], capture_output=True, check=True
    ).stdout.split(b"\0")
    blobs = []
    for entry in filter(None, listing):
        meta, _, path = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            blobs.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    batch = subprocess.Popen(
        [*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    if batch.stdin is None or batch.stdout is None:
        raise BenchmarkError("git cat-file did not start")
    missing = 0
    for sha, path in blobs:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if header[-1] == b"missing":
            missing += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        destination = into / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    batch.stdin.close()
    batch.wait()
    return missing


def gates_scan(tree: Path, output: Path, *scanners: str) -> tuple[list[dict], float, list[str]]:
    """Run `gates scan` on `tree`; return the normalized findings, the wall time and what
    the scanners said they left unchecked (a file they could not fully parse).

    An `incomplete` run still counts: its findings are real, and its gaps are reported.
    A scanner that failed or did not run makes the measurement impossible.
    """
    if output.exists():
        shutil.rmtree(output)
    command = [
        shutil.which("gates") or "gates",
        "scan",
        *scanners,
        "--target",
        str(tree),
        "--output-dir",
        str(output),
        "--config",
        str(CONFIG),
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise BenchmarkError(f"gates scan failed on {tree.name}: {completed.stderr.strip()}")
    findings: list[dict] = []
    gaps: list[str] = []
    for name in scanners:
        saved = json.loads((output / "scanners" / f"{name}.json").read_text(encoding="utf-8"))
        run = saved["scanner"]
        if run["status"] not in ("ok", "incomplete"):
            raise BenchmarkError(
                f"{name} on {tree.name} is {run['status']}: {run.get('message') or ''}"
            )
        if run["status"] == "incomplete":
            gaps.append(f"{name}: {run.get('message') or 'incomplete'}")
        findings += saved["findings"]
    return findings, elapsed, gaps


def hits(findings: list[dict], classes: dict[str, str]) -> list[Hit]:
    """One hit per (finding, class): a merged finding carries its related rules too."""
    result = []
    for finding in findings:
        rules = [finding["rule_id"], *finding.get("related_rules", [])]
        # Every rule of ours has a class; an unknown one of ours means the table of classes
        # is out of date, and its findings would silently score nothing.
        unknown = [r for r in rules if r.startswith("gates.") and r not in classes]
        if unknown:
            raise BenchmarkError(f"rule(s) {', '.join(unknown)} have no roadmap class")
        # A finding without a line (trivy's "no USER in this Dockerfile") is about the
        # whole file.
        start = finding.get("start_line") or 0
        end = (finding.get("end_line") or start) if start else sys.maxsize
        for flaw in dict.fromkeys(classes[r] for r in rules if r in classes):
            result.append(
                Hit(
                    finding["path"],
                    start,
                    end,
                    flaw,
                    finding["rule_id"],
                    finding["severity"],
                    tuple(finding.get("scanners", ())),
                )
            )
    return result


def near(hit: Hit, label: Label, tolerance: int) -> bool:
    if hit.flaw != label.flaw or hit.path != label.path:
        return False
    return label.line == 0 or hit.start - tolerance <= label.line <= hit.end + tolerance


def score(labels: list[Label], found: list[Hit], tolerance: int) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for label in labels:
        finders = [h for h in found if near(h, label, tolerance)]
        (scores[label.flaw].found if finders else scores[label.flaw].missed).append(label)
        for hit in finders:
            scores[label.flaw].found_by.update(hit.scanners)
    for hit in found:
        explained = any(near(hit, label, tolerance) for label in labels)
        (scores[hit.flaw].explained if explained else scores[hit.flaw].unexplained).append(hit)
    return dict(sorted(scores.items()))


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def total(scores: dict[str, Score]) -> Score:
    merged = Score()
    for item in scores.values():
        merged.found += item.found
        merged.missed += item.missed
        merged.explained += item.explained
        merged.unexplained += item.unexplained
        merged.found_by |= item.found_by
    return merged


def measure_speed(tree: Path, work: Path, runs: int) -> dict[str, object]:
    timings: dict[str, list[float]] = {"semgrep": [], "bandit": []}
    for _ in range(runs):
        for name in timings:
            _, elapsed, _ = gates_scan(tree, work / f"speed-{name}", name)
            timings[name].append(elapsed)
    python_files = sum(1 for _ in tree.rglob("*.py"))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "tree": tree.name,
        "python_files": python_files,
        "runs": runs,
        "seconds": {name: [round(v, 2) for v in values] for name, values in timings.items()},
        "median_seconds": {name: round(v, 2) for name, v in medians.items()},
        "ratio_semgrep_to_bandit": round(medians["semgrep"] / medians["bandit"], 2),
    }


def markdown(report: dict) -> str:
    lines = ["## Recall and precision per class", ""]
    lines += [
        "| target | class | labeled | found | recall | findings | explained | precision ≥ "
        "| found by |"
    ]
    lines += ["|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for target in report["targets"]:
        for flaw, row in target["classes"].items():
            lines.append(
                f"| {target['name']} | {flaw} | {row['labeled']} | {row['found']} | "
                f"{row['recall']} | {row['findings']} | {row['explained']} | {row['precision']} "
                f"| {', '.join(row['found_by']) or '-'} |"
            )
    lines += ["", "## Per target", ""]
    lines += ["| target | commit | labeled | found | recall | findings | explained | precision ≥ |"]
    lines += ["|---|---|---:|---:|---:|---:|---:|---:|"]
    for target in report["targets"]:
        row = target["total"]
        lines.append(
            f"| {target['name']} | {target['commit']} | {row['labeled']} | {row['found']} | "
            f"{row['recall']} | {row['findings']} | {row['explained']} | {row['precision']} |"
        )
    overall = report["overall"]
    lines += [
        "",
        f"**Overall recall: {overall['recall']}** ({overall['found']} of {overall['labeled']} "
        f"labeled flaws; goal {percent(RECALL_GOAL)}). Precision at least "
        f"{overall['precision']} ({overall['explained']} of {overall['findings']} findings "
        "match a labeled flaw).",
        "",
    ]
    for target in report["targets"]:
        for gap in target["gaps"]:
            lines += [f"Note on {target['name']}: {gap}", ""]
        if target["missed"]:
            lines += [f"### Missed in {target['name']}", ""]
            lines += [
                f"- `{m['file']}:{m['line']}` {m['class']} ({m['source']})"
                for m in target["missed"]
            ]
            lines.append("")
        if target["unexplained"]:
            lines += [f"### Findings in {target['name']} that no row explains", ""]
            lines += [
                f"- `{u['file']}:{u['line']}` {u['rule']} ({u['severity']})"
                for u in target["unexplained"]
            ]
            lines.append("")
        twin = target.get("good_twin")
        if twin is not None:
            lines += [f"### {target['name']} `{twin['path']}`: findings of medium or above", ""]
            if not twin["findings"]:
                lines.append("None.")
            for item in twin["findings"]:
                verdict = "a documented flaw the twin still has"
                if not item["labeled"]:
                    verdict = "NOT a documented flaw"
                where = f"`{item['file']}:{item['line']}`"
                lines.append(f"- {where} {item['rule']} ({item['severity']}): {verdict}")
            lines.append("")
    speed = report.get("speed")
    if speed:
        lines += [
            "## Speed",
            "",
            f"`gates scan semgrep` (the pack) against `gates scan bandit` on {speed['tree']} "
            f"({speed['python_files']} Python files), median of {speed['runs']} runs: "
            f"semgrep {speed['median_seconds']['semgrep']} s, bandit "
            f"{speed['median_seconds']['bandit']} s, ratio {speed['ratio_semgrep_to_bandit']}.",
            "",
        ]
    return "\n".join(lines)


def summarize(item: Score) -> dict[str, object]:
    return {
        "labeled": len(item.found) + len(item.missed),
        "found": len(item.found),
        "recall": percent(item.recall()),
        "findings": len(item.explained) + len(item.unexplained),
        "explained": len(item.explained),
        "precision": percent(item.precision()),
        "found_by": sorted(item.found_by),
    }


def measure_target(
    name: str, target: dict, source: Path, work: Path, classes: dict[str, str], tolerance: int
) -> tuple[dict, dict[str, Score]]:
    """Export one target, scan it, and score the findings against its ground truth."""
    tree = work / "trees" / name
    absent = export(source, target["commit"], tree)
    labels = read_labels(HERE / target["ground_truth"])
    for label in labels:
        if not (tree / label.path).is_file():
            raise BenchmarkError(f"{name}: labeled file {label.path} is not in the tree")
    findings, elapsed, gaps = gates_scan(tree, work / "out" / name, *SCANNERS)
    found = hits(findings, classes)
    scores = score(labels, found, tolerance)
    entry: dict = {
        "name": name,
        "commit": target["commit"],
        "blobs_absent_from_mirror": absent,
        "seconds": round(elapsed, 2),
        "gaps": gaps,
        "classes": {flaw: summarize(item) for flaw, item in scores.items()},
        "total": summarize(total(scores)),
        "missed": [
            {"file": m.path, "line": m.line, "class": m.flaw, "source": m.source}
            for item in scores.values()
            for m in item.missed
        ],
        "unexplained": [
            {"file": u.path, "line": u.start, "rule": u.rule, "severity": u.severity}
            for item in scores.values()
            for u in item.unexplained
        ],
    }
    twin = target.get("good_twin")
    if twin:
        entry["good_twin"] = {
            "path": twin,
            "findings": [
                {
                    "file": h.path,
                    "line": h.start,
                    "rule": h.rule,
                    "severity": h.severity,
                    "labeled": any(near(h, label, tolerance) for label in labels),
                }
                for h in found
                if h.path.startswith(twin) and SEVERITY_RANK[h.severity] >= 2
            ],
        }
    return entry, scores


def goals_missed(report: dict) -> list[str]:
    missed = []
    overall = report["overall"]
    if overall["found"] < RECALL_GOAL * overall["labeled"]:
        missed.append(f"overall recall {overall['recall']} is below {percent(RECALL_GOAL)}")
    for target in report["targets"]:
        twin = target.get("good_twin")
        unexplained = [x for x in twin["findings"] if not x["labeled"]] if twin else []
        if unexplained:
            missed.append(
                f"{len(unexplained)} finding(s) of medium or above in {target['name']} "
                f"{twin['path']} match no documented flaw"
            )
    speed = report.get("speed")
    if speed and speed["ratio_semgrep_to_bandit"] >= 1:
        missed.append("the pack is not faster than bandit on the large tree")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, help="folder of git mirrors")
    parser.add_argument("--source", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--work", type=Path, default=Path(".nox") / "benchmark")
    parser.add_argument("--tolerance", type=int, default=3, help="lines either side")
    parser.add_argument("--speed", action="store_true", help="also time the pack against bandit")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sources = dict(item.split("=", 1) for item in args.source)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    manifest = tomllib.loads((HERE / "targets.toml").read_text(encoding="utf-8"))

    report: dict = {"tolerance": args.tolerance, "targets": []}
    overall = Score()
    try:
        classes = rule_classes()
        for name, target in manifest["targets"].items():
            source = mirror_for(target["repository"], args.mirrors, sources, name)
            entry, scores = measure_target(name, target, source, work, classes, args.tolerance)
            report["targets"].append(entry)
            overall = total({"so far": overall, **scores})
        report["overall"] = summarize(overall)
        if args.speed:
            speed = manifest["speed"]
            tree = work / "trees" / "speed"
            export(
                mirror_for(speed["repository"], args.mirrors, sources, "speed"),
                speed["commit"],
                tree,
            )
            report["speed"] = {"commit": speed["commit"], **measure_speed(tree, work, args.runs)}
    except (BenchmarkError, subprocess.CalledProcessError, OSError) as error:
        print(f"benchmark: cannot measure: {error}", file=sys.stderr)
        return 2

    report["goals_missed"] = missed = goals_missed(report)
    summary = markdown(report)
    (work / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (work / "results.md").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    for goal in missed:
        print(f"benchmark: goal missed: {goal}", file=sys.stderr)
    print(f"benchmark: results in {work}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    os.environ.setdefault("GATES_TOOLS_DIR", str(ROOT / ".nox" / "tools"))
    sys.exit(main())
