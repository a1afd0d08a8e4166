"""Tests for gates.merge: one flaw is one finding, whoever reports it and however named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gates.cli import main
from gates.merge import finalize, merge
from gates.model import Finding, Kind, ScannerRun, ScanResult, Severity, Status
from tests.conftest import require_scanner

APP = """\
import pickle
from flask import Flask, request

app = Flask(__name__)
app.secret_key = "dev-secret-in-the-code"


@app.route("/load", methods=["POST"])
def load():
    return pickle.loads(request.data)


@app.route("/again", methods=["POST"])
def again():
    return pickle.loads(request.data)


app.run(debug=True)
"""

DOCKERFILE = "FROM python:latest\nRUN pip install flask\n"


def _target(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    return tmp_path


def _code(scanner: str, rule: str, line: int, cwe: tuple[int, ...], severity: Severity) -> Finding:
    return Finding(
        (scanner,), rule, rule, severity, Kind.CODE, path="app.py", start_line=line, cwe=cwe
    )


def _result(name: str, *findings: Finding, target: Path) -> ScanResult:
    return ScanResult(ScannerRun(name, Status.OK), finalize(findings, target))


def _merged(*results: ScanResult) -> tuple[Finding, ...]:
    findings, _ = merge(results)
    return findings


def test_two_rules_of_one_scanner_on_one_line_are_one_finding(tmp_path):
    """The pack's "pickle from the request" and "pickle at all" on line 10 merge; the
    same rule on the identical line 15 stays a finding of its own."""
    target = _target(tmp_path)
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.pickle-request-data", 10, (502,), Severity.CRITICAL),
        _code("semgrep", "gates.python.unsafe-deserialization", 10, (502,), Severity.HIGH),
        _code("semgrep", "gates.python.pickle-request-data", 15, (502,), Severity.CRITICAL),
        target=target,
    )

    findings = _merged(semgrep)

    assert sorted((f.start_line, f.rule_id) for f in findings) == [
        (10, "gates.python.pickle-request-data"),
        (15, "gates.python.pickle-request-data"),
    ]
    first = next(f for f in findings if f.start_line == 10)
    assert first.related_rules == ("gates.python.unsafe-deserialization",)
    assert first.severity is Severity.CRITICAL


def test_one_rule_matching_one_line_several_times_is_one_finding(tmp_path):
    """semgrep can match one rule at nested expressions of one line (with different
    messages); that is one flaw, counted once."""
    target = _target(tmp_path)
    matches = [
        _code("semgrep", "gates.python.unsafe-deserialization", 10, (502,), Severity.HIGH)
        for _ in range(3)
    ]
    matches = [m.with_updates(title=f"match {n}") for n, m in enumerate(matches)]

    findings = _merged(_result("semgrep", *matches, target=target))

    assert [(f.start_line, f.rule_id) for f in findings] == [
        (10, "gates.python.unsafe-deserialization")
    ]


def test_bandit_and_the_pack_naming_one_flaw_differently_are_one_finding(tmp_path):
    """bandit's B201 (CWE-94) and the pack's debug rule (CWE-489) on `app.run(debug=True)`
    merge, and so do B105 and the hard-coded key rule; the worst severity wins."""
    target = _target(tmp_path)
    bandit = _result(
        "bandit",
        _code("bandit", "B201", 18, (94,), Severity.HIGH),
        _code("bandit", "B105", 5, (259,), Severity.LOW),
        target=target,
    )
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.debug-enabled", 18, (489, 209), Severity.MEDIUM),
        _code("semgrep", "gates.python.hardcoded-secret-key", 5, (321, 798), Severity.HIGH),
        target=target,
    )

    findings = _merged(bandit, semgrep)

    assert len(findings) == 2
    assert {f.scanners for f in findings} == {("bandit", "semgrep")}
    debug = next(f for f in findings if f.start_line == 18)
    assert (debug.rule_id, debug.related_rules, debug.severity) == (
        "B201",
        ("gates.python.debug-enabled",),
        Severity.HIGH,
    )


@pytest.mark.parametrize(
    ("bandit_rule", "bandit_cwe", "pack_rule", "pack_cwe"),
    [
        ("B307", 78, "gates.python.code-injection", (94, 95)),  # eval
        ("B102", 78, "gates.python.code-injection", (94, 95)),  # exec
        ("B701", 94, "gates.python.autoescape-off", (79, 116)),  # jinja2 autoescape=False
        ("B703", 80, "gates.python.mark-safe-dynamic", (79, 116)),  # Django mark_safe
        ("B324", 327, "gates.python.weak-password-hash", (916, 328)),  # md5 of a password
    ],
)
def test_bandit_and_the_pack_naming_one_flaw_with_other_cwes_are_one_finding(
    tmp_path, bandit_rule, bandit_cwe, pack_rule, pack_cwe
):
    """bandit's eval, exec, autoescape, mark_safe and weak-hash tests and the pack's rule for
    the same flaw on one line are one finding at the pack's severity, though their CWEs
    differ (bandit files eval and exec under CWE-78)."""
    target = _target(tmp_path)
    bandit = _result(
        "bandit", _code("bandit", bandit_rule, 10, (bandit_cwe,), Severity.MEDIUM), target=target
    )
    semgrep = _result(
        "semgrep", _code("semgrep", pack_rule, 10, pack_cwe, Severity.CRITICAL), target=target
    )

    findings = _merged(bandit, semgrep)

    assert [(f.rule_id, f.related_rules, f.severity) for f in findings] == [
        (pack_rule, (bandit_rule,), Severity.CRITICAL)
    ]


def test_a_whole_file_check_merges_with_the_same_check_on_a_line(tmp_path):
    """trivy's DS-0002 (no line) and the pack's root-user rule (line 1) are one finding,
    which keeps the line one of them knew; DS-0001 and the digest rule merge on line 1."""
    target = _target(tmp_path)

    def config(scanner: str, rule: str, line: int | None, severity: Severity) -> Finding:
        return Finding(
            (scanner,), rule, rule, severity, Kind.CONFIGURATION, path="Dockerfile", start_line=line
        )

    trivy = _result(
        "trivy",
        config("trivy", "DS-0002", None, Severity.HIGH),
        config("trivy", "DS-0001", 1, Severity.MEDIUM),
        target=target,
    )
    semgrep = _result(
        "semgrep",
        config("semgrep", "gates.docker.root-user", 1, Severity.MEDIUM),
        config("semgrep", "gates.docker.unpinned-base-image", 1, Severity.MEDIUM).with_updates(
            cwe=(494,)
        ),
        target=target,
    )

    findings = _merged(trivy, semgrep)

    assert len(findings) == 2
    root = next(f for f in findings if f.rule_id == "DS-0002")
    assert (root.related_rules, root.start_line, root.severity) == (
        ("gates.docker.root-user",),
        1,
        Severity.HIGH,
    )


MULTI_LINE = """\
import subprocess
from flask import request


def run():
    return subprocess.check_output(
        request.args["cmd"],
        shell=True)


def again():
    return subprocess.check_output(request.args["other"], shell=True)
"""


def test_a_call_over_several_lines_is_one_finding_whichever_line_each_scanner_names(tmp_path):
    """bandit's B602 over the call (6-8), the pack's command-injection on the argument (7)
    and its shell-string rule over the call (6-8) are one finding; the same flaw on line 12
    is another."""
    (tmp_path / "app.py").write_text(MULTI_LINE, encoding="utf-8")

    def code(scanner: str, rule: str, start: int, end: int, severity: Severity) -> Finding:
        return _code(scanner, rule, start, (78,), severity).with_updates(end_line=end)

    bandit = _result(
        "bandit",
        code("bandit", "B602", 6, 8, Severity.HIGH),
        code("bandit", "B602", 12, 12, Severity.HIGH),
        target=tmp_path,
    )
    semgrep = _result(
        "semgrep",
        code("semgrep", "gates.python.shell-command-string", 6, 8, Severity.HIGH),
        code("semgrep", "gates.python.command-injection", 7, 7, Severity.CRITICAL),
        code("semgrep", "gates.python.command-injection", 12, 12, Severity.CRITICAL),
        target=tmp_path,
    )

    findings, notes = merge([bandit, semgrep])

    assert [(f.rule_id, f.start_line, f.severity, f.scanners) for f in findings] == [
        ("gates.python.command-injection", 7, Severity.CRITICAL, ("bandit", "semgrep")),
        ("gates.python.command-injection", 12, Severity.CRITICAL, ("bandit", "semgrep")),
    ]
    assert set(findings[0].related_rules) == {"B602", "gates.python.shell-command-string"}
    assert any("command-injection" in note and "app.py:7" in note for note in notes)


def _gate_with_bandit_and_semgrep(tmp_path: Path, source: str) -> dict:
    """Run the gate for real with bandit and semgrep on one app.py; return findings.json."""
    require_scanner("bandit")
    require_scanner("semgrep")
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    (tmp_path / "gates.toml").write_text(
        'required = ["bandit", "semgrep"]\noptional = []\n[coverage]\nenabled = false\n',
        encoding="utf-8",
    )
    output = tmp_path / "out"
    main(["run", "--target", str(tmp_path), "--output-dir", str(output)])
    return json.loads((output / "findings.json").read_text(encoding="utf-8"))


def test_the_real_scanners_report_a_call_over_several_lines_once(tmp_path):
    """Run for real, bandit and the pack report the command injection of lines 6-8 once and
    that of line 12 once, each from both scanners."""
    report = _gate_with_bandit_and_semgrep(tmp_path, MULTI_LINE)
    injections = [f for f in report["findings"] if 78 in f["cwe"] and f["severity"] != "low"]
    assert sorted((f["start_line"] in (6, 7), f["scanners"]) for f in injections) == [
        (False, ["bandit", "semgrep"]),
        (True, ["bandit", "semgrep"]),
    ]


PAIRS = """\
import hashlib

from django.utils.safestring import mark_safe
from flask import request
from jinja2 import Environment, FileSystemLoader


def calc():
    return eval(request.args["expr"])


def run():
    exec(request.form["code"], {})


env = Environment(loader=FileSystemLoader("templates"), autoescape=False)


def greet(name):
    return mark_safe(f"<p>Hello {name}</p>")


def register():
    return hashlib.md5(request.form["password"].encode()).hexdigest()
"""


def test_the_real_scanners_report_each_flaw_they_both_name_once(tmp_path):
    """Run for real, eval and exec of request data, autoescape off, mark_safe of a built
    string and md5 of a password are five findings, each from bandit and semgrep."""
    report = _gate_with_bandit_and_semgrep(tmp_path, PAIRS)
    flagged = sorted((f["start_line"], f["scanners"]) for f in report["findings"])
    assert flagged == [(line, ["bandit", "semgrep"]) for line in (9, 13, 16, 20, 24)]


def test_one_wide_finding_does_not_join_two_separate_flaws(tmp_path):
    """Two CWE-78 findings on lines 7 and 12 stay two, even when a third of the same CWE
    spans both (a finding joins only flaws that share a line with every member)."""
    (tmp_path / "app.py").write_text(MULTI_LINE, encoding="utf-8")
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.command-injection", 7, (78,), Severity.HIGH),
        _code("semgrep", "gates.python.command-injection", 12, (78,), Severity.HIGH),
        _code("semgrep", "gates.python.shell-in-function", 5, (78,), Severity.MEDIUM).with_updates(
            end_line=12
        ),
        target=tmp_path,
    )

    assert [(f.start_line, f.rule_id) for f in _merged(semgrep)] == [
        (7, "gates.python.command-injection"),
        (12, "gates.python.command-injection"),
    ]


IDENTICAL_LINES = """\
import pickle


def from_disk(blob):
    return pickle.loads(blob)


def from_request(blob):
    return pickle.loads(blob)
"""


def test_flaws_on_identical_lines_that_scanners_flag_differently_stay_apart(tmp_path):
    """bandit flags both identical lines 5 and 9, the pack's taint rule only line 9: that is
    two findings (5 from bandit, 9 from both), never one, and their fingerprints differ."""
    (tmp_path / "app.py").write_text(IDENTICAL_LINES, encoding="utf-8")
    bandit = _result(
        "bandit",
        _code("bandit", "B301", 5, (502,), Severity.MEDIUM),
        _code("bandit", "B301", 9, (502,), Severity.MEDIUM),
        target=tmp_path,
    )
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.pickle-request-data", 9, (502,), Severity.CRITICAL),
        target=tmp_path,
    )

    findings = _merged(bandit, semgrep)

    assert sorted((f.start_line, f.scanners, f.severity) for f in findings) == [
        (5, ("bandit",), Severity.MEDIUM),
        (9, ("bandit", "semgrep"), Severity.CRITICAL),
    ]
    assert len({f.fingerprint for f in findings}) == 2


def test_flaws_on_identical_lines_keep_fingerprints_of_their_own(tmp_path):
    """One scanner's finding on line 5 and another's on the identical line 9 are two
    findings with two fingerprints, though each scanner numbered its line first."""
    (tmp_path / "app.py").write_text(IDENTICAL_LINES, encoding="utf-8")
    bandit = _result("bandit", _code("bandit", "B301", 5, (502,), Severity.MEDIUM), target=tmp_path)
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.unsafe-deserialization", 9, (502,), Severity.HIGH),
        target=tmp_path,
    )

    findings = _merged(bandit, semgrep)

    assert sorted((f.start_line, f.scanners) for f in findings) == [
        (5, ("bandit",)),
        (9, ("semgrep",)),
    ]
    assert len({f.fingerprint for f in findings}) == 2


def test_different_flaws_on_one_line_stay_apart(tmp_path):
    """Two rules with different CWEs on one line are two findings."""
    target = _target(tmp_path)
    semgrep = _result(
        "semgrep",
        _code("semgrep", "gates.python.pickle-request-data", 10, (502,), Severity.CRITICAL),
        _code("semgrep", "gates.python.admin-without-auth", 10, (306,), Severity.HIGH),
        target=target,
    )

    assert len(_merged(semgrep)) == 2


# --- inline suppressions ----------------------------------------------------------------

SUPPRESSIONS = """\
import pickle
import subprocess
from flask import request


def load():
    return pickle.loads(request.get_data()), "# nosec"


def ping(cmd):
    subprocess.run(cmd, shell=True)  # nosec B101


def ping_listed(cmd):
    subprocess.run(cmd, shell=True)  # nosec B602,B101


def ping_colon(cmd):
    subprocess.run(cmd, shell=True)  # nosec: B602


def ping_all(cmd):
    subprocess.run(cmd, shell=True)  # nosec


def ping_other_rule(cmd):
    subprocess.run(cmd, shell=True)  # nosemgrep: some.rule.id


def ping_short_id(cmd):
    subprocess.run(cmd, shell=True)  # nosemgrep: python.command-injection, other.id


def ping_no_dot(cmd):
    subprocess.run(cmd, shell=True)  # nosemgrep: injection


def ping_semgrep_all(cmd):
    subprocess.run(cmd, shell=True)  # nosem
"""

CONFIG_YAML = """\
aws:
  access_key_id: AKIAIOSFODNN7EXAMPLQ  # nosec
  command: "curl https://example.org | sh # nosemgrep"
  script: curl https://example.org | sh  # nosemgrep
"""


def _in(function: str, text: str = SUPPRESSIONS) -> int:
    """The line of the one statement of `function` in `text`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if f"def {function}(" in line) + 1


def _suppression_target(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SUPPRESSIONS, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(CONFIG_YAML, encoding="utf-8")
    return tmp_path


def _at(scanner: str, rule: str, function: str, severity: Severity = Severity.HIGH) -> Finding:
    return _code(scanner, rule, _in(function), (78,), severity)


def _severities(target: Path, *findings: Finding) -> list[Severity]:
    return [f.severity for f in finalize(findings, target)]


def test_a_marker_inside_a_string_literal_suppresses_nothing(tmp_path):
    """`"# nosec"` in a string on the flagged line is data, not a comment: the findings keep
    their severity."""
    target = _suppression_target(tmp_path)
    findings = (
        _at("bandit", "B301", "load", Severity.MEDIUM),
        _at("semgrep", "gates.python.pickle-request-data", "load", Severity.CRITICAL),
    )

    assert _severities(target, *findings) == [Severity.MEDIUM, Severity.CRITICAL]


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_line_numbers_are_counted_as_python_counts_them(tmp_path, newline):
    """In a file with old Mac or Windows line ends, a `# nosec` on line 3 is on line 3: it
    does not waive a finding on line 1, and a form feed does not start a line."""
    source = newline.join(["import pickle  \x0c", "x = 1", "y = 2  # nosec", ""])
    (tmp_path / "app.py").write_bytes(source.encode())
    first = _code("bandit", "B403", 1, (502,), Severity.LOW)
    third = _code("bandit", "B101", 3, (703,), Severity.LOW)

    done = finalize((first, third), tmp_path)

    assert [f.severity for f in done] == [Severity.LOW, Severity.INFO]
    assert done[0].snippet == "import pickle  \x0c"


def test_a_scoped_nosec_suppresses_only_the_bandit_tests_it_lists(tmp_path):
    """`# nosec B101` waives B101 only; `# nosec B602,B101`, `# nosec: B602` and a bare
    `# nosec` waive B602."""
    target = _suppression_target(tmp_path)
    findings = (
        _at("bandit", "B602", "ping"),
        _at("bandit", "B101", "ping"),
        _at("bandit", "B602", "ping_listed"),
        _at("bandit", "B602", "ping_colon"),
        _at("bandit", "B602", "ping_all"),
    )

    done = finalize(findings, target)

    assert [f.severity for f in done] == [
        Severity.HIGH,
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
    ]
    assert done[1].title == "Suppressed in code (# nosec): B101"


def test_a_scoped_nosemgrep_suppresses_only_the_rules_it_lists(tmp_path):
    """`# nosemgrep: ids` waives a rule named in full or by a suffix after a dot, nothing
    else; a bare `# nosem` waives every semgrep rule on the line."""
    target = _suppression_target(tmp_path)
    rule = "gates.python.command-injection"
    findings = (
        _at("semgrep", rule, "ping_other_rule"),
        _at("semgrep", rule, "ping_short_id"),
        _at("semgrep", rule, "ping_no_dot"),
        _at("semgrep", rule, "ping_semgrep_all"),
    )

    assert _severities(target, *findings) == [
        Severity.HIGH,
        Severity.INFO,
        Severity.HIGH,
        Severity.INFO,
    ]


def test_each_marker_suppresses_only_its_own_scanners_findings(tmp_path):
    """`# nosec` is bandit's and `# nosemgrep` semgrep's: neither waives another scanner's
    finding, and trivy's secret on a `# nosec` line stays critical."""
    target = _suppression_target(tmp_path)
    secret = Finding(
        ("trivy",),
        "aws-access-key-id",
        "AWS Access Key ID",
        Severity.CRITICAL,
        Kind.SECRET,
        path="config.yaml",
        start_line=2,
    )
    findings = (
        _at("semgrep", "gates.python.command-injection", "ping_all"),
        _at("bandit", "B602", "ping_semgrep_all"),
        secret,
        _at("trivy", "some-check", "ping_all"),
    )

    assert _severities(target, *findings) == [
        Severity.HIGH,
        Severity.HIGH,
        Severity.CRITICAL,
        Severity.HIGH,
    ]


def test_in_other_files_only_a_hash_comment_outside_quotes_is_a_marker(tmp_path):
    """In YAML, `# nosemgrep` inside a quoted value suppresses nothing; after the value, in a
    comment, it suppresses the semgrep finding."""
    target = _suppression_target(tmp_path)

    def config(line: int) -> Finding:
        return Finding(
            ("semgrep",),
            "gates.ci.curl-pipe-shell",
            "curl piped to a shell",
            Severity.HIGH,
            Kind.CONFIGURATION,
            path="config.yaml",
            start_line=line,
        )

    assert _severities(target, config(3), config(4)) == [Severity.HIGH, Severity.INFO]


def test_a_python_file_that_does_not_tokenize_keeps_the_comments_read_so_far(tmp_path):
    """A file that stops tokenizing (an unterminated string) is no error: a marker before
    that point still counts, and nothing after it is taken for a comment."""
    (tmp_path / "broken.py").write_text(
        'x = eval(input())  # nosec\ny = eval(input())\ns = """never closed # nosec\n',
        encoding="utf-8",
    )
    findings = [
        Finding(("bandit",), "B307", "eval", Severity.MEDIUM, Kind.CODE, "broken.py", line)
        for line in (1, 2, 3)
    ]

    assert _severities(tmp_path, *findings) == [Severity.INFO, Severity.MEDIUM, Severity.MEDIUM]


def test_honor_suppressions_false_keeps_the_real_severity(tmp_path):
    """With suppressions not honoured, a finding on a `# nosec` line keeps its severity."""
    target = _suppression_target(tmp_path)
    done = finalize([_at("bandit", "B602", "ping_all")], target, honor_suppressions=False)

    assert [(f.severity, f.title) for f in done] == [(Severity.HIGH, "B602")]


def test_a_nosec_does_not_lower_semgreps_copy_of_the_same_flaw(tmp_path):
    """bandit's B602 on a `# nosec` line goes to info, semgrep's command-injection on the
    same line does not, and the merged finding keeps semgrep's severity."""
    target = _suppression_target(tmp_path)
    bandit = _result("bandit", _at("bandit", "B602", "ping_all"), target=target)
    semgrep = _result(
        "semgrep",
        _at("semgrep", "gates.python.command-injection", "ping_all", Severity.CRITICAL),
        target=target,
    )

    findings = _merged(bandit, semgrep)

    assert [(f.severity, f.scanners) for f in findings] == [
        (Severity.CRITICAL, ("bandit", "semgrep"))
    ]
    assert not findings[0].title.startswith("Suppressed")
