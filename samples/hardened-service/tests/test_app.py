"""Tests for the app factory and its request hooks, through Flask's test client."""

import pytest
from flask import Flask

from app import create_app
from app.security import SECURITY_HEADERS
from app.settings import SettingsError


def test_app_refuses_to_start_without_secret_key(environ: dict[str, str]) -> None:
    """create_app fails hard when SECRET_KEY is absent."""
    del environ["SECRET_KEY"]
    with pytest.raises(SettingsError):
        create_app(environ)


def test_every_response_carries_security_headers(app: Flask) -> None:
    """Even an error response gets the security headers."""
    response = app.test_client().get("/no-such-page")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_admin_routes_require_a_session(app: Flask) -> None:
    """The admin user list answers 401 to an anonymous caller."""
    assert app.test_client().get("/admin/users").status_code == 401


def test_admin_routes_require_the_admin_role(app: Flask) -> None:
    """A signed-in non-admin gets 403 from the admin area."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = 2
        session["role"] = "customer"
    assert client.get("/admin/users").status_code == 403


def test_post_without_csrf_token_is_rejected(app: Flask) -> None:
    """CSRF protection is on: a form POST without a token is refused."""
    assert app.test_client().post("/admin/ping", data={"host": "a"}).status_code == 400


def test_metrics_need_the_bearer_token(app: Flask) -> None:
    """The metrics endpoint answers only to the configured bearer token."""
    client = app.test_client()
    assert client.get("/internal/metrics").status_code == 401
    authorized = {"Authorization": "Bearer test-only-metrics-token"}
    assert client.get("/internal/metrics", headers=authorized).status_code == 200


def test_health_probe_answers_without_credentials(app: Flask) -> None:
    """The health probe is open so the container runtime can reach it."""
    assert app.test_client().get("/internal/healthz").get_json() == {"status": "ok"}
