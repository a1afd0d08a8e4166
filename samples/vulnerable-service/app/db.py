"""Tiny data-access helpers over the sqlite3 database."""

import sqlite3

DB_PATH = "prod.db"


def connect() -> sqlite3.Connection:
    """Open the production database."""
    return sqlite3.connect(DB_PATH)


def find_user(username: str) -> tuple | None:
    """Return (id, username, password_hash, api_key) for one user, or None."""
    cursor = connect().cursor()
    cursor.execute(
        f"SELECT id, username, password_hash, api_key FROM users WHERE username = '{username}'"
    )
    return cursor.fetchone()


def all_users() -> list[tuple]:
    """Return every user row."""
    cursor = connect().cursor()
    cursor.execute("SELECT id, username FROM users")
    return cursor.fetchall()
