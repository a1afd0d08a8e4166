# Near misses: no rule of secret-key.yaml may report anything in this file.
# Flask apps that use sessions and configure the secret key are fine.
import os

from flask import Flask, flash, session

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]

other = Flask("other")
other.config.from_object("settings.Production")

third = Flask("third")
third.secret_key = os.environ["THIRD_SECRET_KEY"]



def view():
    flash("hello")
    return session.get("user")
