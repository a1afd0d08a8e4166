"""Shared fixtures: a valid environment and an app built from it."""

import pytest
from flask import Flask

from app import create_app


@pytest.fixture
def environ() -> dict[str, str]:
    """A complete, valid environment with throwaway test values."""
    return {
        "SECRET_KEY": "test-only-" + "k" * 40,
        "DATABASE_URL": "postgresql://orders@db.example.invalid/orders",
        "METRICS_TOKEN": "test-only-metrics-token",
    }


@pytest.fixture
def app(environ: dict[str, str]) -> Flask:
    """The app in testing mode."""
    flask_app = create_app(environ)
    flask_app.config["TESTING"] = True
    return flask_app
