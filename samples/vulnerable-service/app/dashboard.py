"""A second, separate Flask app serving the internal dashboard."""

from flask import Flask, jsonify, session

dashboard = Flask(__name__)


@dashboard.route("/dashboard")
def show_dashboard():
    """Count this visitor's page views in the session cookie."""
    session["views"] = session.get("views", 0) + 1
    return jsonify(views=session["views"])
