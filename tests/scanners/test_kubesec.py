"""Tests for gates.scanners.kubesec: critical rules are findings, the unevaluated is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from gates.errors import ReportError
from gates.inventory import Inventory
from gates.model import Kind, Severity
from gates.scanners.interface import ScanContext
from gates.scanners.kubesec import KubesecAdapter, kubesec_severity


def critical(rule_id: str, points: int) -> dict:
    return {
        "id": rule_id,
        "selector": f"{rule_id} selector",
        "reason": f"{rule_id} reason",
        "points": points,
    }


def test_unsupported_kind_is_not_evaluated_never_passed(parse_output):
    """A Service (no kubesec rules) is a note saying "not evaluated"; advice is no finding."""
    parsed, _ = parse_output(KubesecAdapter(), "kubesec/passed-and-unsupported-kind.json")

    assert parsed.findings == ()
    assert parsed.notes == (
        "Service/myapp.default in k8s/deployment.yaml: not evaluated "
        "(kind not supported by kubesec)",
    )
    assert not any("passed" in note.lower() for note in parsed.notes)
    # The Deployment was evaluated, so the run is not incomplete.
    assert parsed.gaps == ()


def test_every_critical_entry_is_a_finding_even_in_a_passing_object(tmp_path: Path):
    """Each `scoring.critical` entry is a finding, whatever the object's total score."""
    document = [
        {
            "object": "Deployment/web.prod",
            "valid": True,
            "fileName": str(tmp_path / "k8s" / "web.yaml"),
            "message": "Passed with a score of 3 points",
            "score": 3,
            "scoring": {
                "critical": [
                    critical("Privileged", -30),
                    critical("HostPID", -9),
                    critical("AllowPrivilegeEscalation", -7),
                    critical("SecretsAsEnvironmentVariables", -5),
                    critical("SeccompUnconfined", -1),
                ],
                "passed": [critical("ServiceAccountName", 3)],
                "advise": [critical("RunAsNonRoot", 1)],
            },
        }
    ]
    parsed = KubesecAdapter().parse(document, tmp_path)

    assert parsed.expected == len(parsed.findings) == 5
    assert [(f.rule_id, f.severity) for f in parsed.findings] == [
        ("Privileged", Severity.CRITICAL),
        ("HostPID", Severity.HIGH),
        ("AllowPrivilegeEscalation", Severity.HIGH),
        ("SecretsAsEnvironmentVariables", Severity.MEDIUM),
        ("SeccompUnconfined", Severity.MEDIUM),
    ]
    first = parsed.findings[0]
    assert (first.kind, first.path, first.start_line) == (Kind.CONFIGURATION, "k8s/web.yaml", None)
    assert first.title == "Deployment/web.prod: Privileged reason"
    assert parsed.gaps == parsed.notes == ()


def test_invalid_object_is_a_gap_naming_it():
    """An object kubesec could not validate (`valid: false`) is a gap with its message."""
    document = [
        {
            "object": "Pod/api.default",
            "valid": False,
            "fileName": "k8s/pod.yaml",
            "message": "failed to download schema",
            "score": 0,
            "scoring": {},
        },
    ]
    parsed = KubesecAdapter().parse(document, None)

    assert parsed.findings == ()
    assert parsed.gaps == (
        "Pod/api.default in k8s/pod.yaml: not evaluated, kubesec could not validate it: "
        "failed to download schema",
        "kubesec evaluated no object: nothing was checked",
    )


@pytest.mark.parametrize(
    "document",
    [
        [],
        [
            {
                "object": "Service/x.default",
                "valid": True,
                "fileName": "svc.yaml",
                "message": "This resource kind is not supported by kubesec",
                "scoring": {},
            }
        ],
    ],
)
def test_nothing_evaluated_is_a_gap(document):
    """A report in which no object was evaluated leaves the run incomplete."""
    parsed = KubesecAdapter().parse(document, None)

    assert "kubesec evaluated no object: nothing was checked" in parsed.gaps


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (-30, Severity.CRITICAL),
        (-31, Severity.CRITICAL),
        (-29, Severity.HIGH),
        (-7, Severity.HIGH),
        (-6, Severity.MEDIUM),
        (-1, Severity.MEDIUM),
    ],
)
def test_severity_follows_points(points, expected):
    """-30 or less is critical, -7 or less high, anything else medium."""
    assert kubesec_severity(points) is expected


@pytest.mark.parametrize(
    "document",
    [
        {"object": "Pod/x"},
        None,
        [["Pod/x"]],
        [{"object": "Pod/x", "fileName": "p.yaml"}],
        [{"object": "Pod/x", "valid": True, "scoring": {"critical": {"id": "Privileged"}}}],
        [{"object": "Pod/x", "valid": True, "scoring": {"critical": [{"id": "Privileged"}]}}],
    ],
)
def test_unknown_layouts_raise_report_error(document):
    """Anything but an array of reports with `valid` and well-formed rules is an error."""
    with pytest.raises(ReportError):
        KubesecAdapter().parse(document, None)


def test_command_scans_the_first_manifest_and_names_the_rest_as_gaps(tmp_path: Path):
    """kubesec reads one file per run, so every further manifest is a gap."""
    inventory = Inventory(k8s_manifests=("k8s/deployment.yaml", "k8s/secret.yaml"))
    context = ScanContext(target=tmp_path, inventory=inventory, executable=Path("/bin/kubesec"))
    command = KubesecAdapter().command(context)

    assert command.argv == ("/bin/kubesec", "scan", "k8s/deployment.yaml")
    assert command.gaps == ("kubesec scans one file per run: k8s/secret.yaml was not scanned",)


def test_no_manifests_skips_the_scanner(tmp_path: Path):
    """A target without Kubernetes manifests gives a skip reason instead of a run."""
    context = ScanContext(target=tmp_path, inventory=Inventory(), executable=Path("kubesec"))

    assert KubesecAdapter().skip_reason(context) == "the target has no Kubernetes manifests"


def test_exit_code_two_is_a_completed_scan():
    """kubesec exits 2 when an object scores 0 or less; that is a completed scan."""
    assert KubesecAdapter.ok_exit_codes == frozenset({0, 2})
