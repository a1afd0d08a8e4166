"""Tests for app.settings."""

import pytest

from app.settings import SettingsError, load_settings


def test_complete_environment_loads(environ: dict[str, str]) -> None:
    """A complete environment yields settings carrying its values."""
    settings = load_settings(environ)
    assert settings.secret_key == environ["SECRET_KEY"]
    assert settings.database_url.startswith("postgresql://")


@pytest.mark.parametrize("value", ["", "short"])
def test_missing_or_short_secret_key_is_fatal(environ: dict[str, str], value: str) -> None:
    """A missing or short SECRET_KEY stops start-up instead of falling back to a default."""
    environ["SECRET_KEY"] = value
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings(environ)


def test_non_postgres_database_is_refused(environ: dict[str, str]) -> None:
    """Only a PostgreSQL URL is accepted as the database."""
    environ["DATABASE_URL"] = "mysql://orders@db.example.invalid/orders"
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings(environ)


def test_plain_http_payments_url_is_refused(environ: dict[str, str]) -> None:
    """The payments provider must be reached over https."""
    environ["PAYMENTS_URL"] = "http://payments.example.invalid"
    with pytest.raises(SettingsError, match="PAYMENTS_URL"):
        load_settings(environ)
