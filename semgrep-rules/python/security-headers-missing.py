from fastapi import FastAPI
from flask import Flask

from mod_user import mod_user

# ruleid: gates.python.security-headers-missing
app = Flask("vulpy")
app.register_blueprint(mod_user, url_prefix="/user")

# ruleid: gates.python.security-headers-missing
api = FastAPI()


@api.get("/items")
async def items():
    return []


# ruleid: gates.python.django-security-middleware-missing
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]


def other_settings():
    # ok: gates.python.django-security-middleware-missing
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    return MIDDLEWARE
