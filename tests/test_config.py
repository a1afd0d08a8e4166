"""Tests for gates.config: reading [tool.gates] and gates.toml, rejecting bad values."""

from __future__ import annotations

import pytest

from gates.config import DEFAULT_REQUIRED, load
from gates.errors import ConfigError
from gates.model import Severity


def test_defaults_without_any_configuration(tmp_path):
    """A target without configuration gets the documented defaults."""
    config = load(tmp_path)
    assert config.required == DEFAULT_REQUIRED
    assert config.budgets == {Severity.CRITICAL: 0, Severity.HIGH: 4, Severity.MEDIUM: 9}
    assert config.coverage_minimum == 25.0 and config.coverage_enabled


def test_pyproject_section_is_read(tmp_path):
    """Budgets, coverage, scanners and excludes come from [tool.gates]."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gates]\nrequired = ["bandit"]\noptional = ["trivy"]\nexclude = ["legacy/"]\n'
        "[tool.gates.budgets]\nhigh = 0\n[tool.gates.coverage]\nminimum = 60\n"
    )
    config = load(tmp_path)
    assert config.required == ("bandit",) and config.optional == ("trivy",)
    assert config.budgets[Severity.HIGH] == 0 and config.budgets[Severity.MEDIUM] == 9
    assert config.coverage_minimum == 60
    assert "legacy/" in config.exclude


def test_gates_toml_wins_over_pyproject(tmp_path):
    """gates.toml, with keys at the top level, is preferred to pyproject.toml."""
    (tmp_path / "pyproject.toml").write_text('[tool.gates]\nrequired = ["bandit"]\n')
    (tmp_path / "gates.toml").write_text('required = ["semgrep"]\n')
    assert load(tmp_path).required == ("semgrep",)


@pytest.mark.parametrize(
    "body",
    [
        '[tool.gates]\nrequired = ["banditt"]\n',
        "[tool.gates]\nbudgetz = 1\n",
        "[tool.gates.budgets]\nhigh = -1\n",
        '[tool.gates]\nrequired = ["bandit"]\noptional = ["bandit"]\n',
        "[tool.gates\n",
    ],
)
def test_bad_configuration_is_an_error(tmp_path, body):
    """Unknown scanners, unknown keys, negative budgets, overlaps and bad TOML are errors."""
    (tmp_path / "pyproject.toml").write_text(body)
    with pytest.raises(ConfigError):
        load(tmp_path)
