# Near misses: a Limiter with default_limits covers every route of the app, so no rule of
# missing-rate-limit.yaml may report anything in this file.
from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day", "5 per minute"])


@app.route("/login", methods=["POST"])
def login():
    return check(request.form["username"], request.form["password"])
