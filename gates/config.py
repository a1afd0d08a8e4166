"""The gate's configuration: `[tool.gates]` in the target's pyproject.toml, or gates.toml.

Example (every key optional; these are the defaults):

    [tool.gates]
    required = ["bandit", "semgrep", "pip-audit", "trivy", "pin-drift"]
    optional = ["safety", "kubesec"]
    exclude = []                     # glob patterns, relative to the target
    unknown-severity = "high"        # how a finding without severity counts
    honor-suppressions = true        # `# nosec` / `# nosemgrep` lower a finding to info

    [tool.gates.budgets]             # the most findings allowed at each severity
    critical = 0
    high = 4
    medium = 9

    [tool.gates.coverage]
    minimum = 25.0                   # percent; set enabled = false to skip the check
    enabled = true
    report = ""                      # default: coverage.xml, then coverage.json

    [tool.gates.timeouts]            # seconds, per scanner
    semgrep = 900

    [tool.gates.scanner.semgrep]     # options passed to one scanner's adapter
    rules = ["extra-rules/"]

In gates.toml the same keys sit at the top level instead of under `tool.gates`.
A configuration that does not validate is an error (exit 2), never silently ignored.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from gates.errors import ConfigError
from gates.inventory import DEFAULT_EXCLUDES
from gates.model import Severity
from gates.scanners import SCANNERS

DEFAULT_REQUIRED = ("bandit", "semgrep", "pip-audit", "trivy", "pin-drift")
DEFAULT_OPTIONAL = ("safety", "kubesec")

_NAMES = sorted(SCANNERS)
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"enum": _NAMES}, "uniqueItems": True},
        "optional": {"type": "array", "items": {"enum": _NAMES}, "uniqueItems": True},
        "exclude": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "unknown-severity": {"enum": ["critical", "high", "medium", "low", "info"]},
        "honor-suppressions": {"type": "boolean"},
        "budgets": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                level: {"type": "integer", "minimum": 0}
                for level in ("critical", "high", "medium", "low", "info")
            },
        },
        "coverage": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "minimum": {"type": "number", "minimum": 0, "maximum": 100},
                "enabled": {"type": "boolean"},
                "report": {"type": "string"},
            },
        },
        "timeouts": {
            "type": "object",
            "propertyNames": {"enum": _NAMES},
            "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 86400},
        },
        "scanner": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                name: {"type": "object", "additionalProperties": False, "properties": options}
                for name, options in {
                    **{name: {} for name in _NAMES},
                    "semgrep": {"rules": {"type": "array", "items": {"type": "string"}}},
                    "trivy": {
                        "vulnerabilities": {"type": "boolean"},
                        "cache-dir": {"type": "string"},
                    },
                    "pip-audit": {"vulnerability-service": {"enum": ["pypi", "osv"]}},
                    "safety": {"db": {"type": "string"}},
                }.items()
            },
        },
    },
}


@dataclass(frozen=True)
class GateConfig:
    """Budgets, coverage and scanner selection for one gate run."""

    required: tuple[str, ...] = DEFAULT_REQUIRED
    optional: tuple[str, ...] = DEFAULT_OPTIONAL
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    unknown_severity: Severity = Severity.HIGH
    honor_suppressions: bool = True
    budgets: Mapping[Severity, int] = field(
        default_factory=lambda: {Severity.CRITICAL: 0, Severity.HIGH: 4, Severity.MEDIUM: 9}
    )
    coverage_minimum: float = 25.0
    coverage_enabled: bool = True
    coverage_report: str = ""
    timeouts: Mapping[str, float] = field(default_factory=dict)
    scanner_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = "defaults"

    @property
    def enabled(self) -> tuple[str, ...]:
        """Every scanner to run, required ones first."""
        return tuple(dict.fromkeys((*self.required, *self.optional)))

    def timeout_for(self, name: str, default: float) -> float:
        return float(self.timeouts.get(name, default))


def load(target: Path, explicit: Path | None = None) -> GateConfig:
    """Read the target's configuration (`explicit` file, gates.toml, or pyproject.toml)."""
    if explicit is not None:
        return _from_file(explicit, nested=explicit.name == "pyproject.toml")
    gates_toml = target / "gates.toml"
    if gates_toml.is_file():
        return _from_file(gates_toml, nested=False)
    pyproject = target / "pyproject.toml"
    if pyproject.is_file():
        return _from_file(pyproject, nested=True)
    return GateConfig()


def _non_finite(value: Any, where: str = "") -> str | None:
    # TOML allows nan and inf, which compare false with every bound a schema sets.
    if isinstance(value, float) and not math.isfinite(value):
        return where or "a value"
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _non_finite(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _non_finite(item, f"{where}[{index}]")
            if found:
                return found
    return None


def _from_file(path: Path, *, nested: bool) -> GateConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the configuration {path}: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from error
    if nested:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: [tool] must be a table")
        section = tool.get("gates")
        if section is None:
            return GateConfig()
        where = f"{path} [tool.gates]"
    else:
        section = data
        where = str(path)
    return from_mapping(section, source=where)


def from_mapping(section: Mapping[str, Any], *, source: str) -> GateConfig:
    """Build a configuration from parsed TOML, rejecting unknown keys and bad values."""
    if not isinstance(section, Mapping):
        raise ConfigError(f"{source}: must be a table, not {type(section).__name__}")
    not_finite = _non_finite(section)
    if not_finite:
        raise ConfigError(f"{source}: {not_finite} is not a finite number")
    try:
        jsonschema.validate(dict(section), _SCHEMA)
    except jsonschema.ValidationError as error:
        location = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"{source}: {location}: {error.message}") from error

    required = tuple(section.get("required", DEFAULT_REQUIRED))
    optional = tuple(section.get("optional", [n for n in DEFAULT_OPTIONAL if n not in required]))
    both = set(required) & set(optional)
    if both:
        raise ConfigError(f"{source}: {', '.join(sorted(both))} listed as required and optional")
    if not set(required) - {"pin-drift"}:
        # With every scanner optional, a run in which all of them crashed would pass; the
        # gate's own pin-drift check reads requirements files only, so it does not count.
        raise ConfigError(
            f"{source}: no scanner is required, so the gate would pass even if every scanner "
            "failed; list at least one under `required` besides pin-drift"
        )

    budgets = {Severity.CRITICAL: 0, Severity.HIGH: 4, Severity.MEDIUM: 9}
    for level, limit in section.get("budgets", {}).items():
        budgets[Severity(level)] = int(limit)
    coverage = section.get("coverage", {})
    return GateConfig(
        required=required,
        optional=optional,
        exclude=tuple(dict.fromkeys((*DEFAULT_EXCLUDES, *section.get("exclude", ())))),
        unknown_severity=Severity(section.get("unknown-severity", "high")),
        honor_suppressions=bool(section.get("honor-suppressions", True)),
        budgets=budgets,
        coverage_minimum=float(coverage.get("minimum", 25.0)),
        coverage_enabled=bool(coverage.get("enabled", True)),
        coverage_report=str(coverage.get("report", "")),
        timeouts=dict(section.get("timeouts", {})),
        scanner_options={k: dict(v) for k, v in section.get("scanner", {}).items()},
        source=source,
    )
