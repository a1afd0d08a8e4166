"""Tests for app.security."""

from app.security import bearer_matches, hash_password, verify_password


def test_password_hash_is_bcrypt_and_verifies() -> None:
    """A stored hash is a salted bcrypt hash that verifies only the right password."""
    stored = hash_password("correct horse")
    assert stored.startswith(b"$2b$12$")
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong horse", stored)


def test_same_password_hashes_differently() -> None:
    """Each hash gets its own salt."""
    assert hash_password("same") != hash_password("same")


def test_bearer_token_must_match_exactly() -> None:
    """Only the exact expected bearer token is accepted."""
    assert bearer_matches("Bearer abc123", "abc123")
    assert not bearer_matches("Bearer abc124", "abc123")
    assert not bearer_matches("abc123", "abc123")
    assert not bearer_matches(None, "abc123")


def test_empty_expected_token_accepts_nothing() -> None:
    """An unset token disables the endpoint rather than opening it."""
    assert not bearer_matches("Bearer ", "")
