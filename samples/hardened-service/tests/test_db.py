"""Tests for app.db."""

from typing import Any

from app import db


class RecordingCursor:
    """A stand-in cursor that records each query and returns canned rows."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.description = [("id",), ("username",)]
        self.rows = rows
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def execute(self, query: str, params: tuple[Any, ...]) -> None:
        self.calls.append((query, params))

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows


def test_username_is_bound_not_interpolated() -> None:
    """A hostile username travels as a parameter and never enters the SQL text."""
    cursor = RecordingCursor([])
    hostile = "x' OR '1'='1"
    assert db.find_user(cursor, hostile) is None
    query, params = cursor.calls[0]
    assert hostile not in query
    assert params == (hostile,)


def test_rows_come_back_as_dicts() -> None:
    """Rows are returned keyed by column name."""
    cursor = RecordingCursor([(1, "ada"), (2, "grace")])
    assert db.list_users(cursor, limit=2) == [
        {"id": 1, "username": "ada"},
        {"id": 2, "username": "grace"},
    ]
    assert cursor.calls[0][1] == (2,)
