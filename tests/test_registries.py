"""The scanner and report families are closed sets: every module is registered."""

from __future__ import annotations

import pkgutil

import gates.reports
import gates.scanners
from gates.reports import REPORTS
from gates.scanners import SCANNERS
from gates.scanners.interface import ScannerAdapter

_NOT_ADAPTERS = {"interface"}
_NOT_RENDERERS = {"interface", "sanitize", "terminal"}


def test_every_scanner_module_is_registered():
    """Each module of gates.scanners defines an adapter that SCANNERS lists."""
    modules = {m.name for m in pkgutil.iter_modules(gates.scanners.__path__)} - _NOT_ADAPTERS
    registered = {cls.__module__.rsplit(".", 1)[1] for cls in SCANNERS.values()}
    assert modules == registered


def test_every_report_module_is_registered():
    """Each module of gates.reports defines a renderer that REPORTS lists."""
    modules = {m.name for m in pkgutil.iter_modules(gates.reports.__path__)} - _NOT_RENDERERS
    registered = {cls.__module__.rsplit(".", 1)[1] for cls in REPORTS.values()}
    assert modules == registered


def test_adapters_declare_name_executable_and_owasp_coverage():
    """Every adapter names itself, its executable and the OWASP categories it looks for."""
    for name, adapter in SCANNERS.items():
        assert issubclass(adapter, ScannerAdapter)
        assert adapter.name == name and adapter.executable
        assert adapter.owasp_coverage, name
        assert all(cat.endswith(":2021") for cat in adapter.owasp_coverage)
