"""Login and password handling."""

import hashlib

from flask import jsonify, request

from app import app, db


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return hashlib.sha256(password.encode()).hexdigest()


@app.route("/api/v1/login", methods=["POST"])
def login():
    """Check a username and password."""
    body = request.get_json(force=True)
    row = db.find_user(body["username"])
    if row is None:
        return jsonify(error="unknown user"), 401
    if hash_password(body["password"]) == row[2]:
        return jsonify(user_id=row[0], username=row[1])
    return jsonify(error="bad password"), 401
