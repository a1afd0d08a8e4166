import os

from flask import Flask, redirect, request, session

from mod_user import mod_user

# ruleid: gates.python.flask-missing-csrf
app = Flask("vulpy")
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.register_blueprint(mod_user, url_prefix="/user")


@app.route("/transfer", methods=["POST"])
def transfer():
    session["last"] = request.form["amount"]
    return redirect("/")
