"""Tests for gates.scanners.trivy: every kind of finding, every layout, merged duplicates."""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple
from pathlib import Path

import pytest

from gates.config import GateConfig
from gates.errors import ReportError
from gates.inventory import take_inventory
from gates.model import Kind, Severity, Status
from gates.runner import ScanRequest, run_scanner
from gates.scanners.trivy import TrivyAdapter
from tests.conftest import require_scanner


def test_vulnerabilities_misconfigurations_and_secrets_are_all_normalized(parse_output):
    """A filesystem report's three kinds all become findings, not only vulnerabilities."""
    parsed, _ = parse_output(TrivyAdapter(), "trivy/fs-vulns-misconfigs-secrets.json")

    assert Counter(f.kind for f in parsed.findings) == {
        Kind.DEPENDENCY: 2,
        Kind.CONFIGURATION: 1,
        Kind.SECRET: 2,
    }
    assert Counter(f.severity for f in parsed.findings) == {
        Severity.CRITICAL: 2,
        Severity.HIGH: 2,
        Severity.MEDIUM: 1,
    }
    urllib3 = next(f for f in parsed.findings if f.rule_id == "CVE-2021-33503")
    assert (urllib3.package, urllib3.version, urllib3.fixed_versions) == (
        "urllib3",
        "1.26.3",
        ("1.26.5",),
    )
    assert urllib3.cwe == (400,)
    secrets = sorted((f.path, f.start_line) for f in parsed.findings if f.kind is Kind.SECRET)
    assert secrets == [("Dockerfile", 24), ("secret.txt", 1)]
    assert parsed.gaps == ()


def test_ansi_escapes_never_reach_a_finding(parse_output, tmp_path: Path):
    """Escape codes in trivy's highlighted code lines appear in no field of the finding."""
    parsed, _ = parse_output(TrivyAdapter(), "trivy/config-misconfigs-ansi-codes.json", tmp_path)

    (finding,) = parsed.findings
    assert finding.kind is Kind.CONFIGURATION
    assert (finding.rule_id, finding.severity) == ("AVD-AWS-0143", Severity.LOW)
    assert (finding.start_line, finding.end_line) == (20, 24)
    assert not any("\x1b" in value for value in astuple(finding) if isinstance(value, str))
    # The target lies outside the scanned root: its path is kept as trivy gave it.
    assert finding.path == "../../aws-credentials/main.tf"


def test_legacy_null_document_is_zero_findings_and_not_a_verified_scan(parse_output):
    """An old trivy's `null` report is zero findings, not a crash, and names nothing it
    scanned, so it leaves a gap instead of reading as a clean scan."""
    parsed, _ = parse_output(TrivyAdapter(), "trivy/legacy-null-document.json")

    assert parsed.findings == ()
    (gap,) = parsed.gaps
    assert gap.startswith("trivy's report is `null`: it does not name what was scanned")


@pytest.mark.parametrize(
    ("document", "why"),
    [
        (None, "is `null`"),
        ([], "is an empty list"),
        ({"SchemaVersion": 2}, "names no 'ArtifactName'"),
        ({"SchemaVersion": 2, "ArtifactName": " ", "Results": []}, "names no 'ArtifactName'"),
        ({"Results": []}, "names no 'ArtifactName'"),
        ({"Resources": []}, "names no 'ClusterName' and no resource"),
    ],
)
def test_report_that_names_nothing_it_scanned_is_a_gap(document, why):
    """A report that does not name what it scanned cannot show a scan happened: one gap."""
    parsed = TrivyAdapter().parse(document, None)

    assert parsed.findings == ()
    assert parsed.gaps == (
        f"trivy's report {why}: it does not name what was scanned, so it cannot show that a "
        "scan happened",
    )


@pytest.mark.parametrize(
    "document",
    [
        {"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem"},
        {"SchemaVersion": 2, "ArtifactName": ".", "Results": [{"Target": "Dockerfile"}]},
        [{"Target": "requirements.txt", "Vulnerabilities": None}],
        {"ClusterName": "prod", "Resources": []},
    ],
)
def test_clean_report_that_names_what_it_scanned_has_no_gap(document):
    """A clean report naming its artifact is complete, `Results` omitted or not."""
    parsed = TrivyAdapter().parse(document, None)

    assert (parsed.findings, parsed.gaps) == ((), ())


CLEAN_DOCKERFILE = f"FROM python:3.12-slim@sha256:{'0' * 64}\nUSER app\nHEALTHCHECK CMD true\n"


@pytest.mark.scanner
@pytest.mark.parametrize("files", [{"README.md": "# service\n"}, {"Dockerfile": CLEAN_DOCKERFILE}])
def test_real_trivy_clean_scan_is_ok(tmp_path, files):
    """The real trivy's clean report (no `Results` at all, or results without findings) is ok."""
    require_scanner("trivy")
    target = tmp_path / "target"
    target.mkdir()
    for name, content in files.items():
        (target / name).write_text(content, encoding="utf-8")
    cfg = GateConfig(scanner_options={"trivy": {"vulnerabilities": False}})
    request = ScanRequest(
        target=target,
        inventory=take_inventory(target, cfg.exclude),
        config=cfg,
        raw_dir=tmp_path / "out" / "raw",
    )
    result = run_scanner(request, "trivy")

    assert result.run.status is Status.OK, result.run.message
    assert result.findings == ()


def test_one_cve_listed_for_two_packages_is_counted_once(parse_output):
    """The same CVE for libc6 and libc-bin at one version is one finding, and the merge is said."""
    parsed, _ = parse_output(TrivyAdapter(), "trivy/0.69-image-duplicate-cve.json")

    (finding,) = parsed.findings
    assert (finding.rule_id, finding.severity) == ("CVE-2026-0861", Severity.HIGH)
    assert finding.package == "libc-bin, libc6"
    (merged,) = parsed.merged
    assert "libc6 merged into libc-bin" in merged


def test_result_without_vulnerabilities_key_has_none(parse_output):
    """A result with no `Vulnerabilities` key means none of that kind."""
    parsed, _ = parse_output(TrivyAdapter(), "trivy/image-no-vulnerabilities-key.json")

    assert parsed.findings == ()
    assert parsed.gaps == ()


def test_k8s_resources_layout_is_read():
    """`trivy k8s` reports list results under `Resources` and are read the same way."""
    document = {
        "Resources": [
            {
                "Results": [
                    {
                        "Target": "Deployment/web",
                        "Misconfigurations": [
                            {"ID": "KSV001", "Title": "Privilege escalation", "Severity": "MEDIUM"},
                            {"ID": "KSV003", "Status": "PASS"},
                        ],
                    }
                ]
            },
            {"Results": None},
        ]
    }
    parsed = TrivyAdapter().parse(document, None)

    assert [(f.rule_id, f.severity) for f in parsed.findings] == [("KSV001", Severity.MEDIUM)]


def test_one_check_failing_several_ways_at_one_place_is_one_finding():
    """EKS logging off for five log types is one finding listing five messages, and the
    merge is said; the same check elsewhere in the file stays a finding of its own."""

    def logging_off(kind: str, line: int) -> dict:
        return {
            "ID": "AWS-0038",
            "Title": "EKS control plane logging is off",
            "Description": "All control plane logs should be on.",
            "Message": f"Control plane {kind} logging is not enabled.",
            "Severity": "MEDIUM",
            "Status": "FAIL",
            "CauseMetadata": {"StartLine": line, "EndLine": line + 9},
        }

    document = {
        "SchemaVersion": 2,
        "Results": [
            {
                "Target": "main.tf",
                "Misconfigurations": [
                    *(logging_off(kind, 21) for kind in ("api", "audit", "scheduler")),
                    logging_off("api", 60),
                ],
            }
        ],
    }
    parsed = TrivyAdapter().parse(document, None)

    assert parsed.expected == 2
    first, second = parsed.findings
    assert (first.start_line, second.start_line) == (21, 60)
    assert all(f"Control plane {k} logging" in first.description for k in ("api", "audit"))
    assert "scheduler" in first.description and "audit" not in second.description
    assert len(parsed.merged) == 2
    assert all("AWS-0038 in main.tf:21" in note for note in parsed.merged)


@pytest.mark.parametrize(
    "document",
    [
        {"ArtifactName": "x"},
        12,
        "null",
        {"SchemaVersion": 2, "Results": {"Target": "x"}},
        [{"Target": "x", "Vulnerabilities": [{"PkgName": "a"}]}],
    ],
)
def test_unknown_layouts_raise_report_error(document):
    """No `SchemaVersion`/`Results`/`Resources`, or a vulnerability without id, is an error."""
    with pytest.raises(ReportError):
        TrivyAdapter().parse(document, None)


def test_inline_ignore_comments_are_found_in_every_file_trivy_reads(tmp_path):
    """Inline ignores are named in Terraform and in Dockerfiles however they are named."""
    from gates.scanners.trivy import inline_ignores

    files = {
        "infra/main.tf": "#trivy:ignore:AVD-AWS-0040\nresource {}\n",
        "Dockerfile.worker": "FROM x\n# trivy:ignore:DS-0002\n",
        "worker.Dockerfile": "FROM x\nUSER root # trivy:ignore:DS-0002\n",
        "api.dockerfile": "FROM x  # tfsec:ignore:x\n",
        "app.py": "# trivy:ignore:not-read-in-python\n",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")

    assert inline_ignores(tmp_path, tuple(files)) == [
        "infra/main.tf:1 (trivy:ignore:AVD-AWS-0040)",
        "Dockerfile.worker:2 (trivy:ignore:DS-0002)",
        "worker.Dockerfile:2 (trivy:ignore:DS-0002)",
        "api.dockerfile:1 (tfsec:ignore:x)",
    ]
