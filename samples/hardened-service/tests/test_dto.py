"""Tests for app.dto."""

from app.dto import UserPublic


def test_public_user_drops_secret_columns() -> None:
    """Building the public view from a full row keeps only the id and the username."""
    row = {"id": 7, "username": "ada", "password_hash": b"$2b$12$x", "api_key": "never-shown"}
    assert UserPublic.from_row(row).to_dict() == {"user_id": 7, "username": "ada"}
