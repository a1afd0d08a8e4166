"""Data access with parameterized queries only."""

from typing import Any, Protocol

FIND_USER = "SELECT id, username, password_hash, role FROM users WHERE username = %s"
LIST_USERS = "SELECT id, username FROM users ORDER BY id LIMIT %s"


class Cursor(Protocol):
    """The slice of a DB-API cursor these helpers use."""

    description: Any

    def execute(self, query: str, params: tuple[Any, ...]) -> Any:
        """Run one query with bound parameters."""

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Return all remaining rows."""


def _rows(cursor: Cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def find_user(cursor: Cursor, username: str) -> dict[str, Any] | None:
    """Return one user row as a dict, or None."""
    cursor.execute(FIND_USER, (username,))
    rows = _rows(cursor)
    return rows[0] if rows else None


def list_users(cursor: Cursor, limit: int = 100) -> list[dict[str, Any]]:
    """Return up to limit user rows."""
    cursor.execute(LIST_USERS, (limit,))
    return _rows(cursor)
