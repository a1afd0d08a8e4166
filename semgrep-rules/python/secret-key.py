import enum
import base64
import json
import os
import uuid
import secrets

import jwt
from cryptography.fernet import Fernet
from decouple import config
from fastapi import FastAPI
from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from starlette.middleware.sessions import SessionMiddleware

app = Flask(__name__)
# ruleid: gates.python.hardcoded-secret-key
app.secret_key = "your-secret-key-here"
# ruleid: gates.python.hardcoded-secret-key
app.config["SECRET_KEY"] = "aaaaaaa"
# ruleid: gates.python.hardcoded-secret-key
app.config["SECRET_KEY"] = os.getenv("FLASK_SECRET_KEY", "changeme")
# ruleid: gates.python.hardcoded-secret-key
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or "dev"
# ruleid: gates.python.hardcoded-secret-key
app.config.update(SECRET_KEY="123aa8a93bdde342c871564a62282af857bda14b3359fde95d0c5e4b321610c1")
# ok: gates.python.hardcoded-secret-key
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
# ok: gates.python.hardcoded-secret-key
app.secret_key = os.getenv("FLASK_SECRET_KEY")
# a key generated at start-up is not hard-coded (sessions just do not survive restarts)
# ok: gates.python.hardcoded-secret-key
app.secret_key = secrets.token_hex(32)
# ok: gates.python.hardcoded-secret-key
app.config["SESSION_COOKIE_NAME"] = "session"

# Django settings and module constants
# ruleid: gates.python.hardcoded-secret-key
SECRET_KEY = "django-insecure-lr66%-a!$km5ed@n5ug!tya5bv"
# ruleid: gates.python.hardcoded-secret-key
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-default")
# ruleid: gates.python.hardcoded-secret-key
SECRET_COOKIE_KEY = "PYGOAT"
# ruleid: gates.python.hardcoded-secret-key
secret = "MYSUPERSECRETKEY"
# ruleid: gates.python.hardcoded-secret-key
JWT_SECRET = config("JWT_SECRET", default="insecure-jwt-secret")
# ruleid: gates.python.hardcoded-secret-key
SECRET_KEY = (
    "a-literal-split-over-lines"
)
# ruleid: gates.python.hardcoded-secret-key
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-default"
)
# ok: gates.python.hardcoded-secret-key
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# ok: gates.python.hardcoded-secret-key
SECRET_KEY = config("DJANGO_SECRET_KEY")
# ok: gates.python.hardcoded-secret-key
SECRET_NAME = "prod/db/password"
# an empty default fails closed (Flask and Django refuse to sign with it)
# ok: gates.python.hardcoded-secret-key
SECRET_KEY = os.getenv("SECRET_KEY", "")


class Config:
    # ruleid: gates.python.hardcoded-secret-key
    SECRET_KEY = "dev"


api = FastAPI()
# ruleid: gates.python.hardcoded-secret-key
api.add_middleware(SessionMiddleware, secret_key="some-random-string")
# ok: gates.python.hardcoded-secret-key
api.add_middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"])


def issue(payload):
    # ruleid: gates.python.hardcoded-secret-key
    return jwt.encode(payload, "csrf_vulneribility", algorithm="HS256")


def check(token):
    # ruleid: gates.python.hardcoded-secret-key
    return jwt.decode(token, "csrf_vulneribility", algorithms=["HS256"])


def check_ok(token):
    # ok: gates.python.hardcoded-secret-key
    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])


def local_variable(secret):
    # assignments inside functions are not configuration
    # ok: gates.python.hardcoded-secret-key
    secret = "placeholder"
    return secret


# ruleid: gates.python.hardcoded-secret-key
fernet = Fernet("JHtM1wEt1I1J9N_Evjwqr3yYauXIqSxYzFnRhcf0ZG0=")
# ok: gates.python.hardcoded-secret-key
fernet_ok = Fernet(os.environ["FERNET_KEY"])
cookie_key = "JHtM1wEt1I1J9N_Evjwqr3yYauXIqSxYzFnRhcf0ZG0="
# ruleid: gates.python.hardcoded-key-variable
cookie_fernet = Fernet(cookie_key)
env_key = os.environ["COOKIE_KEY"]
# ok: gates.python.hardcoded-key-variable
env_fernet = Fernet(env_key)


def sign(claims, key):
    # ok: gates.python.hardcoded-key-variable
    return jwt.encode(claims, key, algorithm="HS256")


# ruleid: gates.python.hardcoded-secret-key
SIGNING_SECRET = "already-reported-where-it-is-assigned"


def sign_with_module_secret(claims):
    # ok: gates.python.hardcoded-key-variable
    return jwt.encode(claims, SIGNING_SECRET, algorithm="HS256")


def sign_with_local(claims):
    local = "not-a-secret-at-all"
    # ruleid: gates.python.hardcoded-key-variable
    return jwt.encode(claims, local, algorithm="HS256")
# ruleid: gates.python.hardcoded-secret-key
serializer = URLSafeTimedSerializer("not-so-secret")


class FindingKind(enum.Enum):
    CODE = "code"
    # ok: gates.python.hardcoded-secret-key
    SECRET = "secret"


def set_session(response, username):
    session = base64.b64encode(json.dumps({"username": username}).encode())
    # ruleid: gates.python.unsigned-session-cookie
    response.set_cookie("vulpy_session", session)
    return response


def set_userid(response, obj):
    # ruleid: gates.python.unsigned-session-cookie
    response.set_cookie("userid", obj.userid, max_age=31449600)


def set_admin(html):
    # ruleid: gates.python.unsigned-session-cookie
    html.set_cookie("admin", "1", max_age=200)


def set_signed(response, payload):
    cookie = jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")
    # ok: gates.python.unsigned-session-cookie
    response.set_cookie(key="auth_cookie", value=cookie)


def set_random(response):
    token = str(uuid.uuid4())
    # ok: gates.python.unsigned-session-cookie
    response.set_cookie("session_id", token)


def set_encrypted(response, username):
    # ok: gates.python.unsigned-session-cookie
    response.set_cookie("vulpy_session", fernet_ok.encrypt(username.encode()))


def clear(response):
    # ok: gates.python.unsigned-session-cookie
    response.set_cookie("session_id", None)


def set_theme(response):
    # ok: gates.python.unsigned-session-cookie
    response.set_cookie("theme", "dark")
