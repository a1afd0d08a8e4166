"""Tests for app.commands."""

import pytest

from app.commands import ping_command


def test_hostname_becomes_one_argument() -> None:
    """A valid hostname is passed as a single list element, not through a shell."""
    assert ping_command("db.example.invalid") == ["/bin/ping", "-c", "1", "db.example.invalid"]


@pytest.mark.parametrize("host", ["", "x; rm -rf /", "$(id)", "-f", "a" * 64, "a..b"])
def test_anything_but_a_hostname_is_rejected(host: str) -> None:
    """Shell syntax, options and malformed names are refused before anything runs."""
    with pytest.raises(ValueError):
        ping_command(host)
