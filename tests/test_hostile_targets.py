"""Regression tests for hostile targets, configurations, ingested reports and result files.

Each xfail(strict=True) records a real bug found by feeding the gate hostile input: the
gate passed when it should not, or crashed with a traceback (exit 1, read as "gate
failed") instead of a clear message and exit code 2. Remove the marker with the fix.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gates import config, pipeline
from gates.cli import main
from gates.coverage import read_coverage
from gates.errors import ConfigError
from gates.inventory import DEFAULT_EXCLUDES, take_inventory
from gates.model import Finding, GateResult, Kind, ScannerRun, ScanResult, Severity, Status
from gates.reports.terminal import render_summary
from tests.conftest import require_scanner

VULNERABLE_PY = (
    "import subprocess\n"
    "subprocess.call(input(), shell=True)\n"
    "from flask import Flask\n"
    "app = Flask(__name__)\n"
    'app.secret_key = "dev-secret"\n'
)


def _target(tmp_path: Path, gates_toml: str, files: dict[str, str | bytes]) -> Path:
    target = tmp_path / "target"
    target.mkdir()
    (target / "gates.toml").write_text(gates_toml, encoding="utf-8")
    for name, content in files.items():
        path = target / os.fsdecode(name) if isinstance(name, bytes) else target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return target


def _findings(target: Path) -> dict:
    return json.loads((target / "gates-report" / "findings.json").read_text(encoding="utf-8"))


NO_COVERAGE = "[coverage]\nenabled = false\n"


# --- the gate passes when it should not -----------------------------------------------


def test_no_scanner_enabled_is_not_a_pass(tmp_path):
    """A configuration that enables no scanner must not let the gate pass."""
    target = _target(tmp_path, f"required = []\noptional = []\n{NO_COVERAGE}", {"app.py": "x\n"})
    assert main(["run", "--target", str(target)]) != 0


@pytest.mark.parametrize("required", ["[]", '["pin-drift"]'])
def test_every_scanner_optional_is_a_configuration_error(tmp_path, monkeypatch, required):
    """With no scanner required (pin-drift alone reads only requirements files) and none
    installed, the gate refuses to decide (exit 2) instead of passing on scanners that all
    failed."""
    monkeypatch.setenv("GATES_TOOLS_DIR", str(tmp_path / "no-tools"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    toml = f'required = {required}\noptional = ["bandit", "semgrep", "trivy"]\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"app.py": VULNERABLE_PY})
    assert main(["run", "--target", str(target)]) == 2


def test_excluding_everything_is_not_a_pass(tmp_path):
    """Excluding every file must not yield a PASS from a scanner that scanned nothing."""
    require_scanner("semgrep")
    toml = f'required = ["semgrep"]\noptional = []\nexclude = ["**"]\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"app.py": VULNERABLE_PY})
    assert main(["run", "--target", str(target)]) != 0


PICKLE_ROUTE = (
    "import pickle\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
    '@app.route("/load", methods=["POST"])\n'
    "def load():\n"
    "    return str(pickle.loads(request.data))\n"
)


def _never_matching(*ids: str) -> str:
    rule = "  - id: {}\n    languages: [python]\n    severity: INFO\n    message: m\n"
    rule += "    pattern: never_called()\n"
    return "rules:\n" + "".join(rule.format(rule_id) for rule_id in ids)


def test_local_rules_cannot_shadow_the_rule_pack(tmp_path):
    """Local rules reusing the pack's pickle rule ids must not pass a critical pickle flaw:
    the run is refused with exit code 2; renamed, they run beside the pack and it fails."""
    require_scanner("semgrep")
    toml = f'required = ["semgrep"]\noptional = []\n{NO_COVERAGE}[scanner.semgrep]\n'
    toml += 'rules = ["myrules/"]\n'
    shadow = _never_matching(
        "gates.python.pickle-request-data", "gates.python.unsafe-deserialization"
    )
    target = _target(tmp_path, toml, {"app.py": PICKLE_ROUTE, "myrules/x.yaml": shadow})
    assert main(["run", "--target", str(target)]) == 2

    (target / "myrules" / "x.yaml").write_text(_never_matching("acme.a", "acme.b"))
    assert main(["run", "--target", str(target)]) == 1
    assert any(f["severity"] == "critical" for f in _findings(target)["findings"])


def test_nan_coverage_minimum_is_rejected():
    """A coverage minimum of nan (valid TOML) must be a configuration error."""
    with pytest.raises(ConfigError):
        config.from_mapping({"coverage": {"minimum": float("nan")}}, source="test")


def test_result_file_naming_another_scanner_does_not_stand_in(tmp_path):
    """scanners/bandit.json holding semgrep's result must not drop bandit from the verdict."""
    semgrep_ok = ScanResult(ScannerRun("semgrep", Status.OK))
    pipeline.save_result(tmp_path, semgrep_ok)
    (tmp_path / "scanners" / "bandit.json").write_text(
        (tmp_path / "scanners" / "semgrep.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    cfg = config.GateConfig(required=("bandit", "semgrep"), optional=(), coverage_enabled=False)
    result = pipeline.decide(tmp_path, cfg, pipeline.collect(tmp_path, cfg))
    assert not result.passed


def test_result_file_whose_findings_disagree_with_its_count_is_not_trusted(tmp_path):
    """A saved result that says 3 findings but lists none must not count as a clean ok run."""
    pipeline.save_result(tmp_path, ScanResult(ScannerRun("bandit", Status.OK, finding_count=3)))
    cfg = config.GateConfig(required=("bandit",), optional=(), coverage_enabled=False)
    result = pipeline.decide(tmp_path, cfg, pipeline.collect(tmp_path, cfg))
    assert not result.passed


@pytest.mark.parametrize("content", ["null\n", "[]\n", '{"SchemaVersion": 2}\n'])
def test_ingesting_a_trivy_report_that_names_nothing_is_incomplete(tmp_path, content):
    """`null`, `[]` or a bare SchemaVersion show no scan happened: ingested, but never ok."""
    report = tmp_path / "trivy.json"
    report.write_text(content, encoding="utf-8")
    assert main(["ingest", "trivy", str(report), "--target", str(tmp_path)]) == 0
    saved = json.loads((tmp_path / "gates-report" / "scanners" / "trivy.json").read_text())
    assert saved["scanner"]["status"] == "incomplete"
    assert "does not name what was scanned" in saved["scanner"]["message"]


def test_ingesting_another_scanners_report_is_refused(tmp_path):
    """A semgrep report handed to `gates ingest bandit` must be refused with exit code 2."""
    report = tmp_path / "semgrep.json"
    report.write_text(
        json.dumps({"version": "1.185.0", "results": [], "errors": [], "paths": {"scanned": []}}),
        encoding="utf-8",
    )
    assert main(["ingest", "bandit", str(report), "--target", str(tmp_path)]) == 2


def test_inline_suppressions_in_the_target_are_not_silent(tmp_path):
    """`# nosec` and `# nosemgrep` lower findings to info, visibly; switched off, they fail."""
    require_scanner("bandit")
    require_scanner("semgrep")
    suppressed = (
        "import subprocess  # nosec\n"
        "subprocess.call(input(), shell=True)  # nosec  # nosemgrep\n"
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        'app.secret_key = "dev-secret"  # nosemgrep\n'
    )
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n[budgets]\nhigh = 0\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"app.py": suppressed})
    assert main(["run", "--target", str(target)]) == 0
    shown = [f for f in _findings(target)["findings"] if f["title"].startswith("Suppressed")]
    assert {f["severity"] for f in shown} == {"info"}
    assert {s for f in shown for s in f["scanners"]} == {"bandit", "semgrep"}

    strict = "honor-suppressions = false\n" + toml
    (target / "gates.toml").write_text(strict, encoding="utf-8")
    assert main(["run", "--target", str(target)]) == 1


def test_markers_in_strings_other_scanners_or_for_other_rules_waive_nothing(tmp_path):
    """A `# nosec` inside a string, a `# nosec B101` on a shell call and a `# nosec` on a
    line semgrep flags leave the real scanners' findings at their severity."""
    require_scanner("bandit")
    require_scanner("semgrep")
    source = (
        "import pickle\n"
        "import subprocess\n"
        "from flask import request\n"
        "def load():\n"
        '    return pickle.loads(request.get_data()), "# nosec"\n'
        "def ping():\n"
        '    subprocess.run("ping " + request.args["host"], shell=True)  # nosec B101\n'
        "def run():\n"
        '    subprocess.run(request.args["cmd"], shell=True)  # nosec\n'
    )
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"app.py": source})

    assert main(["run", "--target", str(target)]) == 1
    suppressed = set()
    for scanner in ("bandit", "semgrep"):
        result = target / "gates-report" / "scanners" / f"{scanner}.json"
        for finding in json.loads(result.read_text(encoding="utf-8"))["findings"]:
            if finding["title"].startswith("Suppressed"):
                suppressed.add((scanner, finding["start_line"]))
    assert suppressed == {("bandit", 9)}
    worst = {}
    for finding in _findings(target)["findings"]:
        severity = Severity(finding["severity"])
        worst[finding["start_line"]] = max(severity, worst.get(finding["start_line"], severity))
    assert worst[5] is Severity.CRITICAL
    assert worst[7] >= Severity.HIGH and worst[9] >= Severity.HIGH


def test_target_trivyignore_does_not_hide_a_secret(tmp_path):
    """A .trivyignore in the scanned repository must not silently drop a critical secret."""
    require_scanner("trivy")
    toml = f'required = ["trivy"]\noptional = []\n{NO_COVERAGE}'
    files = {
        "deploy.env": "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLQ\n",
        ".trivyignore": "aws-access-key-id\n",
    }
    target = _target(tmp_path, toml, files)
    main(["run", "--target", str(target)])
    assert any(f["severity"] == "critical" for f in _findings(target)["findings"])


def test_target_trivy_secret_config_does_not_hide_a_secret(tmp_path):
    """A trivy-secret.yaml in the scanned repository that allow-lists every path is not
    read: the secret is still critical, and the run says the file was not applied."""
    require_scanner("trivy")
    toml = f'required = ["trivy"]\noptional = []\n{NO_COVERAGE}'
    files = {
        "deploy.env": "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLQ\n",
        "trivy-secret.yaml": 'allow-rules:\n  - id: all\n    description: all\n    path: ".*"\n',
    }
    target = _target(tmp_path, toml, files)
    main(["run", "--target", str(target)])
    report = _findings(target)
    assert any(f["severity"] == "critical" for f in report["findings"])
    [trivy] = [s for s in report["scanners"] if s["name"] == "trivy"]
    assert any("trivy-secret.yaml was not applied" in note for note in trivy["warnings"])


def test_a_trivy_database_inside_the_target_is_refused(tmp_path):
    """The target's configuration may not point trivy at a database the repository itself
    supplies: exit 2."""
    require_scanner("trivy")
    toml = f'required = ["trivy"]\noptional = []\n{NO_COVERAGE}[scanner.trivy]\ncache-dir = ".db"\n'
    target = _target(tmp_path, toml, {".db/db/trivy.db": b"forged", "app.py": "x = 1\n"})
    assert main(["run", "--target", str(target)]) == 2


def test_a_link_named_like_a_glob_does_not_skip_the_target(tmp_path):
    """A link called `*` that points outside the target is left out by its name only: trivy
    still scans everything else and finds the secret."""
    require_scanner("trivy")
    toml = f'required = ["trivy"]\noptional = []\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"deploy.env": "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLQ\n"})
    (target / "*").symlink_to(tmp_path)
    main(["run", "--target", str(target)])
    assert any(f["severity"] == "critical" for f in _findings(target)["findings"])


EKS_IGNORED = """\
#trivy:ignore:AVD-AWS-0040
resource "aws_eks_cluster" "this" {
  name     = "x"
  role_arn = "arn:aws:iam::123456789012:role/x"
  vpc_config {
    subnet_ids             = ["subnet-1"]
    endpoint_public_access = true
  }
}
"""


def test_trivy_inline_ignore_comments_are_named(tmp_path):
    """trivy drops a finding named by an inline ignore comment without a trace; the gate names
    every such comment, so a reviewer sees what trivy was told not to report."""
    require_scanner("trivy")
    toml = f'required = ["trivy"]\noptional = []\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"infra/main.tf": EKS_IGNORED})
    main(["run", "--target", str(target)])
    [trivy] = [s for s in _findings(target)["scanners"] if s["name"] == "trivy"]
    assert any(
        "inline ignore comment" in note and "infra/main.tf:1 (trivy:ignore:AVD-AWS-0040)" in note
        for note in trivy["warnings"]
    ), trivy["warnings"]


def test_application_package_named_venv_is_scanned(tmp_path):
    """Code in app/venv/ is application code and must be in the inventory, not excluded."""
    (tmp_path / "app" / "venv").mkdir(parents=True)
    (tmp_path / "app" / "venv" / "handlers.py").write_text(VULNERABLE_PY, encoding="utf-8")
    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)
    assert "app/venv/handlers.py" in inventory.python_files


def test_coverage_of_zero_lines_is_not_full_coverage(tmp_path):
    """A Cobertura report with lines-valid="0" measured nothing and must not read as 100%."""
    (tmp_path / "coverage.xml").write_text(
        '<coverage line-rate="1" lines-valid="0" lines-covered="0"/>', encoding="utf-8"
    )
    assert read_coverage(tmp_path).percent is None


def test_coverage_link_pointing_outside_the_target_is_not_followed(tmp_path):
    """A coverage.xml linking to a report outside the target must not be read."""
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    (elsewhere / "coverage.xml").write_text('<coverage line-rate="0.99"/>', encoding="utf-8")
    target = tmp_path / "target"
    target.mkdir()
    (target / "coverage.xml").symlink_to(elsewhere / "coverage.xml")
    assert read_coverage(target).percent is None


# --- crashes instead of a message and exit code 2 -----------------------------------------


@pytest.mark.parametrize(
    "pyproject", ['tool = "x"\n', '[tool]\ngates = "x"\n', "[tool]\ngates = [1, 2]\n"]
)
def test_tool_gates_that_is_not_a_table_exits_2(tmp_path, pyproject):
    """A [tool.gates] that is not a table must be a configuration error with exit code 2."""
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    assert main(["decide", "--target", str(tmp_path)]) == 2


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 1e300])
def test_unusable_timeout_is_a_configuration_error(timeout):
    """A timeout subprocess cannot use must be rejected when the configuration is read."""
    with pytest.raises(ConfigError):
        config.from_mapping({"timeouts": {"bandit": timeout}}, source="test")


def test_semgrep_rules_option_of_the_wrong_type_is_a_configuration_error():
    """`[scanner.semgrep] rules = 5` is a ConfigError, not a TypeError in a worker."""
    with pytest.raises(ConfigError):
        config.from_mapping({"scanner": {"semgrep": {"rules": 5}}}, source="test")


def test_ingesting_deeply_nested_json_exits_2(tmp_path):
    """A report of 100 000 opening brackets must be unreadable (exit 2), not a RecursionError."""
    report = tmp_path / "bandit.json"
    report.write_text("[" * 100_000, encoding="utf-8")
    assert main(["ingest", "bandit", str(report), "--target", str(tmp_path)]) == 2


def test_ingesting_bandit_report_with_odd_line_range_exits_2(tmp_path):
    """A bandit result whose line_range is a number must not crash the ingest."""
    report = tmp_path / "bandit.json"
    report.write_text(json.dumps({"results": [{"line_range": 5}]}), encoding="utf-8")
    assert main(["ingest", "bandit", str(report), "--target", str(tmp_path)]) in (0, 2)


def test_ingesting_report_with_lone_surrogate_does_not_crash(tmp_path):
    """A JSON \\ud800 escape in a finding's text must be written escaped or refused, not crash."""
    report = tmp_path / "bandit.json"
    result = {
        "test_id": "B1",
        "filename": "x.py",
        "issue_severity": "HIGH",
        "issue_confidence": "HIGH",
        "issue_text": "a\ud800b",
    }
    report.write_text(json.dumps({"results": [result]}), encoding="utf-8")
    assert main(["ingest", "bandit", str(report), "--target", str(tmp_path)]) in (0, 2)


def test_non_utf8_file_name_does_not_crash_the_run(tmp_path):
    """A target file named with Latin-1 bytes must still get a verdict and reports."""
    require_scanner("bandit")
    toml = f'required = ["bandit"]\noptional = []\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {b"caf\xe9.py": VULNERABLE_PY})
    assert main(["run", "--target", str(target)]) in (0, 1)
    assert (target / "gates-report" / "findings.json").is_file()


def test_decide_on_a_malformed_result_file_does_not_crash(tmp_path):
    """A saved result with a string start_line must count as unreadable, not raise TypeError."""
    finding = Finding(("bandit",), "B1", "t", Severity.HIGH, Kind.CODE, path="a.py")
    pair = (finding.with_updates(fingerprint="a"), finding.with_updates(fingerprint="b"))
    pipeline.save_result(tmp_path, ScanResult(ScannerRun("bandit", Status.OK), pair))
    path = tmp_path / "scanners" / "bandit.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["findings"][0]["start_line"] = "abc"
    data["findings"][1]["start_line"] = 3
    path.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "gates.toml").write_text(
        f'required = ["bandit"]\noptional = []\n{NO_COVERAGE}', encoding="utf-8"
    )
    assert main(["decide", "--target", str(tmp_path), "--output-dir", str(tmp_path)]) in (1, 2)


def test_deeply_nested_coverage_json_is_unreadable_not_a_crash(tmp_path):
    """A coverage.json of nested brackets must read as 'could not be read', not raise."""
    (tmp_path / "coverage.json").write_text("[" * 100_000, encoding="utf-8")
    assert read_coverage(tmp_path).percent is None


def test_terminal_summary_shows_markup_in_a_version_as_text():
    """A version string such as an ingested report's "[/bold]" must print as text, not crash."""
    result = GateResult(
        target="t",
        scanners=(ScannerRun("semgrep", Status.OK, version="[/bold][red]x"),),
        findings=(),
        coverage=read_coverage(Path("/nonexistent")),
        checks=(),
        reasons=(),
    )
    assert "[/bold][red]x" in render_summary(result)


# --- things that held up ----------------------------------------------------------------


def test_xml_bomb_coverage_report_is_refused(tmp_path):
    """A billion-laughs coverage.xml is reported as unreadable, never expanded."""
    (tmp_path / "coverage.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "a"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<coverage line-rate="1">&b;</coverage>\n',
        encoding="utf-8",
    )
    coverage = read_coverage(tmp_path)
    assert coverage.percent is None
    assert "could not be read" in coverage.message


@pytest.mark.parametrize("content", [b"", b"Username: \nPassword: ", b'{ "results": [ {"te'])
def test_ingesting_empty_login_or_truncated_report_exits_2(tmp_path, content):
    """An empty, login-prompt or truncated bandit report is refused with exit code 2."""
    report = tmp_path / "bandit.json"
    report.write_bytes(content)
    assert main(["ingest", "bandit", str(report), "--target", str(tmp_path)]) == 2


def test_links_pointing_outside_the_target_are_recorded_not_walked(tmp_path):
    """Links to /etc, to a file outside and a self-loop are listed as escaping, never walked."""
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "etc-link").symlink_to("/etc")
    (tmp_path / "passwd.py").symlink_to("/etc/passwd")
    (tmp_path / "loop").symlink_to("loop")
    inventory = take_inventory(tmp_path, DEFAULT_EXCLUDES)
    assert inventory.python_files == ("app.py",)
    assert {"etc-link", "passwd.py", "loop"} <= set(inventory.escaping_links)


HELM_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
          {{- if .Values.debug }}
          env:
            - name: DEBUG
              value: "1"
          {{- end }}
"""


def test_helm_chart_templates_are_left_to_trivy_not_failed_by_semgrep(tmp_path):
    """A Helm chart's templates are not YAML until rendered. semgrep cannot parse them, so
    they must not make its run incomplete forever; they are left out, and the run says so,
    while a broken YAML file outside a chart still counts as not analysed."""
    require_scanner("semgrep")
    toml = f'required = ["semgrep"]\noptional = []\n{NO_COVERAGE}'
    chart = {
        "app.py": VULNERABLE_PY,
        "deploy/chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "deploy/chart/templates/deployment.yaml": HELM_DEPLOYMENT,
    }
    target = _target(tmp_path, toml, chart)
    inventory = take_inventory(target, DEFAULT_EXCLUDES)
    assert inventory.helm_templates == ("deploy/chart/templates/deployment.yaml",)
    assert inventory.k8s_manifests == ()

    assert main(["scan", "semgrep", "--target", str(target)]) == 0
    run = _scanner_result(target, "semgrep")["scanner"]
    assert run["status"] == "ok", run["message"]
    assert any("1 Helm chart template" in w for w in run["warnings"])

    (target / "deploy" / "broken.yaml").write_text(HELM_DEPLOYMENT, encoding="utf-8")
    assert main(["scan", "semgrep", "--target", str(target)]) == 0
    run = _scanner_result(target, "semgrep")["scanner"]
    assert run["status"] == "incomplete"
    assert "deploy/broken.yaml" in run["message"]


def _scanner_result(target: Path, name: str) -> dict:
    saved = target / "gates-report" / "scanners" / f"{name}.json"
    return json.loads(saved.read_text(encoding="utf-8"))


PICKLE_OF_REQUEST = (
    "import pickle\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
    "@app.route('/load', methods=['POST'])\n"
    "def load():\n"
    "    return str(pickle.loads(request.get_data()))\n"
)


def test_an_empty_pyvenv_cfg_does_not_hide_a_source_folder(tmp_path):
    """An empty app/pyvenv.cfg does not make app/ a virtual environment: app/evil.py is
    scanned, and the gate fails on it."""
    require_scanner("bandit")
    require_scanner("semgrep")
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    files = {"main.py": "print('hello')\n", "app/evil.py": PICKLE_OF_REQUEST, "app/pyvenv.cfg": ""}
    target = _target(tmp_path, toml, files)

    assert main(["run", "--target", str(target)]) == 1
    flagged = {f["path"] for f in _findings(target)["findings"]}
    assert "app/evil.py" in flagged


def test_a_script_named_like_python_does_not_hide_a_source_folder(tmp_path):
    """app/ with a pyvenv.cfg naming a home, a site-packages folder and a shell script
    app/bin/python_ops.sh is not a virtual environment: app/evil.py is scanned, and the gate
    fails on it."""
    require_scanner("bandit")
    require_scanner("semgrep")
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    files = {
        "main.py": "print('hello')\n",
        "app/evil.py": PICKLE_OF_REQUEST,
        "app/pyvenv.cfg": "home = /usr/bin\n",
        "app/bin/python_ops.sh": "#!/bin/sh\necho ops\n",
        "app/lib/python3.12/site-packages/.keep": "",
    }
    target = _target(tmp_path, toml, files)

    assert main(["run", "--target", str(target)]) == 1
    flagged = {f["path"] for f in _findings(target)["findings"]}
    assert "app/evil.py" in flagged


def test_code_beside_a_real_virtual_environment_is_scanned(tmp_path):
    """In a folder that is a real virtual environment, a Python file placed beside its bin/
    and lib/ is scanned and fails the gate; the environment's own site-packages is not
    scanned, and every run names what it left out."""
    require_scanner("bandit")
    require_scanner("semgrep")
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    files = {
        "main.py": "print('hello')\n",
        "app/evil.py": PICKLE_OF_REQUEST,
        "app/pyvenv.cfg": "home = /usr/bin\n",
        "app/bin/python3": "",
        "app/lib/python3.12/site-packages/flask/__init__.py": PICKLE_OF_REQUEST,
    }
    target = _target(tmp_path, toml, files)

    assert main(["run", "--target", str(target)]) == 1
    report = _findings(target)
    assert {f["path"] for f in report["findings"]} == {"app/evil.py"}
    for run in report["scanners"]:
        assert any(w.endswith(": app (bin, lib, pyvenv.cfg)") for w in run["warnings"]), run


COMMAND_INJECTION = (
    "import subprocess\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
    "@app.route('/ops')\n"
    "def ops():\n"
    "    return str(subprocess.check_output(request.args['cmd'], shell=True))\n"
)


def test_code_in_a_gates_report_folder_is_scanned_when_the_output_goes_elsewhere(tmp_path):
    """A gates-report/ of the target that holds its code (gates-report/ops.py) is scanned
    when the reports go elsewhere, and the gate fails on it."""
    require_scanner("bandit")
    require_scanner("semgrep")
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    files = {"main.py": "print('hello')\n", "gates-report/ops.py": COMMAND_INJECTION}
    target = _target(tmp_path, toml, files)
    out = tmp_path / "out"

    assert main(["run", "--target", str(target), "--output-dir", str(out)]) == 1
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert "gates-report/ops.py" in {f["path"] for f in findings}


def test_an_earlier_run_s_reports_are_not_scanned_and_are_named(tmp_path):
    """The reports a default run left in gates-report/ are not scanned by a later run that
    writes elsewhere, and that run names them as left out; runs into the same folder again
    are accepted."""
    require_scanner("bandit")
    require_scanner("semgrep")
    toml = f'required = ["bandit", "semgrep"]\noptional = []\n{NO_COVERAGE}'
    target = _target(tmp_path, toml, {"app.py": COMMAND_INJECTION})
    out = tmp_path / "out"

    assert main(["run", "--target", str(target)]) == 1
    assert main(["run", "--target", str(target)]) == 1
    assert main(["run", "--target", str(target), "--output-dir", str(out)]) == 1

    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in report["findings"]} == {"app.py"}
    for run in report["scanners"]:
        assert any("gates-report" in w and "earlier run" in w for w in run["warnings"]), run


def test_an_output_folder_hiding_code_among_the_reports_is_refused(tmp_path, capsys):
    """An output folder of the target holding a file no run writes, however deep
    (gates-report/raw/ops.py), is refused with exit 2 instead of being left unscanned."""
    toml = f'required = ["bandit"]\noptional = []\n{NO_COVERAGE}'
    files = {"main.py": "print('hello')\n", "gates-report/raw/ops.py": COMMAND_INJECTION}
    target = _target(tmp_path, toml, files)

    assert main(["run", "--target", str(target)]) == 2
    assert "raw/ops.py" in capsys.readouterr().err
