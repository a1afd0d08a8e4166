# Near misses: apps that install a header policy. No rule of
# security-headers-missing.yaml may report anything in this file.
from fastapi import FastAPI
from flask import Flask
from flask_talisman import Talisman

app = Flask(__name__)
Talisman(app, content_security_policy={"default-src": "'self'"})


@app.route("/")
def index():
    return "ok"


hooked = Flask("hooked")


@hooked.after_request
def headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@hooked.route("/")
def hooked_index():
    return "ok"


api = FastAPI()


@api.middleware("http")
async def add_headers(request, call_next):
    response = await call_next(request)
    response.headers["X-Frame-Options"] = "DENY"
    return response


@api.get("/")
async def api_index():
    return {}


library_app = Flask("no-routes-here")
