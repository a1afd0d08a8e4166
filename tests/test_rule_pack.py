"""The semgrep rule pack: its own test cases pass, every rule is documented, none is lost."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from gates.pipeline import rules_dir
from gates.scanners.semgrep import SemgrepAdapter
from tests.conftest import require_scanner

PACK = Path(__file__).resolve().parents[1] / "semgrep-rules"
ENV = {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


def rule_files() -> list[Path]:
    return sorted(p for p in PACK.rglob("*.yaml") if not p.name.endswith(".test.yaml"))


def rules() -> list[dict]:
    found = []
    for path in rule_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(document, dict) and "rules" in document:
            found.extend(document["rules"])
    return found


def rule_ids_by_file() -> dict[Path, list[str]]:
    found: dict[Path, list[str]] = {}
    for path in rule_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(document, dict) and "rules" in document:
            found[path] = [rule["id"] for rule in document["rules"]]
    return found


def case_files(rule_file: Path) -> list[Path]:
    """The files `semgrep --test` runs `rule_file` on: same folder, same stem."""
    stem = rule_file.name.removesuffix(".yaml")
    return sorted(
        p
        for p in rule_file.parent.iterdir()
        if p != rule_file and p.name.split(".")[0] == stem and p.is_file()
    )


def test_the_gate_finds_the_pack():
    """The gate's semgrep adapter is pointed at this rule pack."""
    assert rules_dir() == PACK


def test_every_rule_is_documented():
    """Each rule has an id, a fix-oriented message, a severity, CWE, OWASP 2021 and 2025
    categories, references and the roadmap class it enforces."""
    assert rules(), "the rule pack is empty"
    for rule in rules():
        metadata = rule.get("metadata", {})
        where = rule.get("id")
        assert str(rule["id"]).startswith("gates."), where
        assert len(rule["message"]) > 40, where
        assert rule["severity"] in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "ERROR", "WARNING", "INFO"}
        assert metadata.get("cwe"), where
        owasp = metadata.get("owasp", [])
        assert any(":2021" in c for c in owasp) and any(":2025" in c for c in owasp), where
        assert metadata.get("references"), where
        assert metadata.get("roadmap"), where


def test_remote_execution_from_request_data_is_critical():
    """Request data reaching a shell, an evaluator or pickle is remote execution: critical;
    the rule for any shell string built at run time stays high."""
    severity = {rule["id"]: rule["severity"] for rule in rules()}

    assert severity["gates.python.command-injection"] == "CRITICAL"
    assert severity["gates.python.code-injection"] == "CRITICAL"
    assert severity["gates.python.pickle-request-data"] == "CRITICAL"
    assert severity["gates.python.shell-command-string"] == "HIGH"


def test_every_rule_has_a_case_that_fires_and_a_near_miss():
    """Each rule is annotated `ruleid:` on at least one line, and is held to at least one
    near miss: an `ok:` line, or a whole test file in which it must report nothing."""
    for rule_file, ids in rule_ids_by_file().items():
        cases = case_files(rule_file)
        assert cases, f"{rule_file.name} has no test cases"
        texts = {case: case.read_text(encoding="utf-8") for case in cases}
        for rule_id in ids:
            annotated = re.compile(
                rf"\b(ruleid|ok):[^\n]*(?<![\w.-]){re.escape(rule_id)}(?![\w.-])"
            )
            kinds = {m.group(1) for text in texts.values() for m in annotated.finditer(text)}
            quiet_file = any(
                not any(m.group(1) == "ruleid" for m in annotated.finditer(text))
                for text in texts.values()
            )
            assert "ruleid" in kinds, f"{rule_id}: no `ruleid:` case"
            assert "ok" in kinds or quiet_file, f"{rule_id}: no near miss"


def test_adapter_owasp_coverage_matches_the_pack():
    """The OWASP categories the checklist credits to semgrep are exactly those its rules
    look for, so the checklist never calls a category clean that no rule checks."""
    categories = {
        category.split(" ")[0]
        for rule in rules()
        for category in rule.get("metadata", {}).get("owasp", [])
        if ":2021" in category
    }
    assert categories == set(SemgrepAdapter.owasp_coverage)


@pytest.mark.scanner
def test_every_rule_file_loads(tmp_path):
    """semgrep loads the whole pack without an error: a rule that does not parse is caught.

    (`semgrep --validate` would need the network for its lints, so the pack is run over
    an empty folder instead, which parses every rule.)
    """
    semgrep = require_scanner("semgrep")
    (tmp_path / "empty.py").write_text("")
    completed = subprocess.run(
        [str(semgrep), "scan", "--metrics=off", "--json", "--config", str(PACK), "empty.py"],
        capture_output=True,
        cwd=tmp_path,
        env=ENV,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert report["errors"] == [], report["errors"]
    assert completed.returncode == 0


@pytest.mark.scanner
def test_semgrep_test_cases_pass():
    """`semgrep --test` over the pack reports no missed and no unexpected finding."""
    semgrep = require_scanner("semgrep")
    completed = subprocess.run(
        [str(semgrep), "--test", "--metrics=off", str(PACK)],
        capture_output=True,
        env=ENV,
        check=False,
        text=True,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert "0 unit tests did not pass" in output or "passed" in output, output[-2000:]


TEST_CODE = """\
import pickle

from flask import Flask, request

app = Flask(__name__)
app.secret_key = "only-for-tests"


def load():
    return pickle.loads(request.data)
"""


def test_test_code_is_read_but_judged_only_for_dangerous_calls(tmp_path):
    """semgrep still scans every test file (the run is complete), reports pickle of request
    data there, and leaves the fake key of a test alone; the same code outside tests/ is
    reported for both."""
    require_scanner("semgrep")
    from gates.cli import main

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(TEST_CODE, encoding="utf-8")
    (tmp_path / "app.py").write_text(TEST_CODE, encoding="utf-8")

    assert main(["scan", "semgrep", "--target", str(tmp_path)]) == 0

    saved = json.loads((tmp_path / "gates-report" / "scanners" / "semgrep.json").read_text())
    assert saved["scanner"]["status"] == "ok", saved["scanner"]["message"]
    rules_at = {
        path: {f["rule_id"] for f in saved["findings"] if f["path"] == path}
        for path in ("app.py", "tests/conftest.py")
    }
    assert {"gates.python.hardcoded-secret-key", "gates.python.pickle-request-data"} <= rules_at[
        "app.py"
    ]
    assert "gates.python.pickle-request-data" in rules_at["tests/conftest.py"]
    assert "gates.python.hardcoded-secret-key" not in rules_at["tests/conftest.py"]
    assert any("tests/conftest.py" in note for note in saved["scanner"]["warnings"])


def test_injection_in_a_module_named_like_a_test_is_still_found(tmp_path):
    """Production code in app/test_tools.py cannot hide a command injection from the pack."""
    require_scanner("semgrep")
    from gates.cli import main

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "test_tools.py").write_text(
        "import subprocess\n\nfrom flask import request\n\n\ndef ping():\n"
        '    return subprocess.run(\n        "ping " + request.form["host"],\n'
        "        shell=True,\n    )\n",
        encoding="utf-8",
    )

    assert main(["scan", "semgrep", "--target", str(tmp_path)]) == 0

    saved = json.loads((tmp_path / "gates-report" / "scanners" / "semgrep.json").read_text())
    assert any(
        f["rule_id"] == "gates.python.command-injection" and f["severity"] == "critical"
        for f in saved["findings"]
    ), saved["findings"]


def test_the_pack_and_the_gate_agree_on_what_test_code_is():
    """Every Python rule that leaves test code out uses the patterns `is_test_code` mirrors."""
    from gates.scanners.semgrep import is_test_code

    test_patterns = ["**/tests/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"]
    for rule in rules():
        excluded = (rule.get("paths") or {}).get("exclude", [])
        if "python" in rule["languages"] and excluded:
            assert excluded[:4] == test_patterns, rule["id"]
    for path, expected in [
        ("tests/x.py", True),
        ("app/tests/x.py", True),
        ("app/test_views.py", True),
        ("views_test.py", True),
        ("conftest.py", True),
        ("app/testing.py", False),
        ("app/contest.py", False),
    ]:
        assert is_test_code(path) is expected, path
