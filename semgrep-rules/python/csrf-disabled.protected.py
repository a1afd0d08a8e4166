# Near misses: apps with CSRF protection, or without a cookie session. No rule of
# csrf-disabled.yaml may report anything in this file.
import os

from flask import Flask, jsonify
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
csrf = CSRFProtect(app)


@app.route("/transfer", methods=["POST"])
def transfer():
    return "ok"


csrf_late = CSRFProtect()
factory_app = Flask("factory")
factory_app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
csrf_late.init_app(factory_app)


@factory_app.route("/x", methods=["POST"])
def x():
    return "ok"


api = Flask("api")


@api.route("/items", methods=["POST"])
def items():
    return jsonify([])
