# A Flask app that uses sessions without any secret key configured.
from flask import Flask, redirect, request, session

# ruleid: gates.python.missing-secret-key
app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["username"]
    return redirect("/")
