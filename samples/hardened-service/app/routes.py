"""HTTP endpoints: the public API and the admin area."""

import json
from typing import Any

import psycopg
import requests
import yaml
from flask import Blueprint, current_app, jsonify, request, session

from app import commands, db
from app.dto import UserPublic
from app.extensions import limiter
from app.security import bearer_matches, require_admin, verify_password

api = Blueprint("api", __name__, url_prefix="/api/v1")
admin = Blueprint("admin", __name__, url_prefix="/admin")
internal = Blueprint("internal", __name__, url_prefix="/internal")


def _cursor() -> Any:
    connection = psycopg.connect(current_app.config["SQLALCHEMY_DATABASE_URI"])
    return connection.cursor()


@api.route("/login", methods=["POST"])
@limiter.limit("5 per minute")
def login() -> Any:
    """Check a username and password and open a signed session."""
    body = request.get_json(silent=True) or {}
    row = db.find_user(_cursor(), str(body.get("username", "")))
    if row is None or not verify_password(str(body.get("password", "")), row["password_hash"]):
        return jsonify(error="invalid credentials"), 401

    session.clear()
    session["user_id"] = row["id"]
    session["role"] = row["role"]
    return jsonify(UserPublic.from_row(row).to_dict())


@api.route("/user", methods=["GET"])
@limiter.limit("100 per minute")
def get_user() -> Any:
    """Return the public profile of one user."""
    row = db.find_user(_cursor(), request.args.get("username", ""))
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(UserPublic.from_row(row).to_dict())


@admin.route("/users", methods=["GET"])
@require_admin
def list_all_users() -> Any:
    """List users, without their secrets."""
    return jsonify([UserPublic.from_row(row).to_dict() for row in db.list_users(_cursor())])


@admin.route("/import", methods=["POST"])
@require_admin
def import_users() -> Any:
    """Import a batch of users sent as a JSON list."""
    batch = json.loads(request.get_data())
    if not isinstance(batch, list):
        return jsonify(error="expected a JSON list"), 400
    return jsonify(imported=len(batch))


@admin.route("/ping", methods=["POST"])
@require_admin
def ping_host() -> Any:
    """Ping a host given by the admin, after validating it."""
    try:
        output = commands.ping(request.form.get("host", ""))
    except ValueError:
        return jsonify(error="invalid host"), 400
    return jsonify(output=output)


@admin.route("/config", methods=["POST"])
@require_admin
def load_config() -> Any:
    """Parse an uploaded YAML configuration document with the safe loader."""
    document = yaml.safe_load(request.get_data())
    if not isinstance(document, dict):
        return jsonify(error="expected a YAML mapping"), 400
    return jsonify(keys=sorted(document))


@admin.route("/payments/status", methods=["GET"])
@require_admin
def payments_status() -> Any:
    """Ask the payment provider whether it is up, with TLS verification on."""
    reply = requests.get(current_app.config["PAYMENTS_URL"] + "/status", timeout=5)
    return jsonify(status=reply.status_code)


@internal.route("/metrics", methods=["GET"])
def metrics() -> Any:
    """Expose counters to the scraper that presents the metrics bearer token."""
    expected = current_app.config["METRICS_TOKEN"]
    if not bearer_matches(request.headers.get("Authorization"), expected):
        return jsonify(error="unauthorized"), 401
    return jsonify(up=1)


@internal.route("/healthz", methods=["GET"])
def healthz() -> Any:
    """Answer the container and kubelet health probes."""
    return jsonify(status="ok")
