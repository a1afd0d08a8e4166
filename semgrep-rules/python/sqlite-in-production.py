import os
import sqlite3

import dj_database_url
from flask import Flask, g
from sqlalchemy import create_engine

app = Flask(__name__)

DATABASES = {
    "default": {
        # ruleid: gates.python.sqlite-in-production
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join("/srv", "db.sqlite3"),
    }
}

# ruleid: gates.python.sqlite-in-production
DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}

# ruleid: gates.python.sqlite-in-production
SQLALCHEMY_DATABASE_URI = "sqlite:///app.db"

# ruleid: gates.python.sqlite-in-production
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL", "sqlite:///app.db")

# ruleid: gates.python.sqlite-in-production
engine = create_engine("sqlite:///users.sqlite")


def get_db():
    # ruleid: gates.python.sqlite-in-production
    g.db = sqlite3.connect("users.sqlite")
    return g.db


def scratch():
    # ok: gates.python.sqlite-in-production
    return sqlite3.connect(":memory:")


# ok: gates.python.sqlite-in-production
SQLALCHEMY_DATABASE_URI_OK = os.environ["DATABASE_URL"]
# ok: gates.python.sqlite-in-production
engine_ok = create_engine("postgresql+psycopg://app@db/app")
# ok: gates.python.sqlite-in-production
DATABASES_OK = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
