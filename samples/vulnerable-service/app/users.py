"""User profile endpoints."""

from flask import jsonify, request

from app import app, db


@app.route("/api/v1/user", methods=["GET"])
def get_user():
    """Return the profile of the user named in the query string."""
    row = db.find_user(request.args.get("username", ""))
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(user_id=row[0], username=row[1], api_key=row[3])
