"""The scanner family: one adapter per external scanner, behind `interface.ScannerAdapter`.

The set is closed: `SCANNERS` maps each name users may type to its adapter class, and a
test proves every adapter module is registered.
"""

from __future__ import annotations

from gates.scanners.bandit import BanditAdapter
from gates.scanners.interface import ScannerAdapter
from gates.scanners.kubesec import KubesecAdapter
from gates.scanners.pin_drift import PinDriftAdapter
from gates.scanners.pip_audit import PipAuditAdapter
from gates.scanners.safety import SafetyAdapter
from gates.scanners.semgrep import SemgrepAdapter
from gates.scanners.trivy import TrivyAdapter

SCANNERS: dict[str, type[ScannerAdapter]] = {
    adapter.name: adapter
    for adapter in (
        BanditAdapter,
        SemgrepAdapter,
        PipAuditAdapter,
        SafetyAdapter,
        TrivyAdapter,
        KubesecAdapter,
        PinDriftAdapter,
    )
}


def adapter_for(name: str) -> ScannerAdapter:
    """A fresh adapter for the scanner called `name` (KeyError if there is none)."""
    return SCANNERS[name]()
