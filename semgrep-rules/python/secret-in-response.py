import secrets

from django.contrib import messages
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, flash, jsonify
from pydantic import BaseModel, Field, SecretStr
from rest_framework import serializers

app = Flask(__name__)
api = FastAPI()


class UserResponse:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@app.route("/api/v1/user", methods=["GET"])
def get_user(user):
    return jsonify(
        UserResponse(
            user_id=user.id,
            username=user.username,
            # ruleid: gates.python.secret-in-response
            api_key=user.api_key,
        )
    )


@app.route("/api/v1/me")
def me(user):
    # ruleid: gates.python.secret-in-response
    return jsonify({"id": user.id, "password_hash": user.password_hash})


@app.route("/api/v1/profile")
def profile(user):
    # Flask serializes a returned dict
    # ruleid: gates.python.secret-in-response
    return {"id": user.id, "token": user.id, "refresh_token": user.refresh_token}


@app.route("/api/v1/public")
def public_profile(user):
    # ok: gates.python.secret-in-response
    return jsonify({"id": user.id, "username": user.username, "has_api_key": bool(user.api_key)})


@app.route("/api/v1/keys", methods=["POST"])
def create_key():
    key = secrets.token_urlsafe(32)
    # a freshly created key is shown once, by design
    # ok: gates.python.secret-in-response
    return jsonify({"api_key": key}), 201


@app.route("/api/v1/login", methods=["POST"])
def login():
    # the token endpoint returns a new access token, by design
    # ok: gates.python.secret-in-response
    return jsonify({"access_token": make_token(), "token_type": "bearer"})


@app.route("/api/v1/masked")
def masked(user):
    # ok: gates.python.secret-in-response
    return jsonify({"api_key": "****" + user.api_key_last4})


def api_data_view(request):
    user_data = load(request.user)
    data = {
        "username": request.user.username,
        # ruleid: gates.python.secret-in-response
        "api_key": user_data.api_key,
    }
    return JsonResponse(data)


def all_users(request):
    rows = []
    for row in load_all():
        # ruleid: gates.python.secret-in-response
        rows.append({"username": row["username"], "api_key": row["api_key"]})
    return JsonResponse({"users": rows})


def settings_page(request):
    # ok: gates.python.secret-in-response
    return JsonResponse({"theme": request.user.theme, "secret_santa": True})


def not_a_handler(user):
    # internal helper building a DB record, not a response
    # ok: gates.python.secret-in-response
    return {"password_hash": user.password_hash}


class UserOut(BaseModel):
    id: int
    username: str
    # ruleid: gates.python.secret-in-response-model
    api_key: str
    # ruleid: gates.python.secret-in-response-model
    hashed_password: str = ""


class UserPublicResponse(BaseModel):
    id: int
    username: str
    # ok: gates.python.secret-in-response-model
    password: SecretStr
    # ok: gates.python.secret-in-response-model
    api_key: str = Field(default="", exclude=True)


class UserCreate(BaseModel):
    username: str
    # inbound models carry the password by design
    # ok: gates.python.secret-in-response-model
    password: str


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = object
        # ruleid: gates.python.secret-in-serializer
        fields = ["id", "username", "password"]


class SignupSerializer(serializers.ModelSerializer):
    class Meta:
        model = object
        # ok: gates.python.secret-in-serializer
        fields = ["id", "username", "password"]
        extra_kwargs = {"password": {"write_only": True}}


class PublicSerializer(serializers.ModelSerializer):
    class Meta:
        model = object
        # ok: gates.python.secret-in-serializer
        fields = ("id", "username")


@app.route("/reset-password", methods=["POST"])
def reset_password(email):
    token = secrets.token_urlsafe()
    # ruleid: gates.python.secret-in-message
    flash(f"Password reset link: /reset/{token}")
    # ok: gates.python.secret-in-message
    flash(f"A reset link was sent to {email}")


def django_reset(request):
    reset_token = secrets.token_urlsafe()
    # ruleid: gates.python.secret-in-message
    messages.info(request, f"Use {reset_token} to reset")


def make_token():
    return secrets.token_urlsafe()


def load(user):
    return user


def load_all():
    return []


USERS = {}


@app.route("/register", methods=["POST"])
def register_in_memory(form):
    password = form["password"]
    # a record kept on the server is not a response
    # ok: gates.python.secret-in-response
    USERS[form["username"]] = {"password": password, "email": form["email"]}
    # ok: gates.python.secret-in-response
    app.state_cache = {"password": password}
    # ruleid: gates.python.secret-in-response
    body = {"username": form["username"], "password": password}
    return jsonify(body)
