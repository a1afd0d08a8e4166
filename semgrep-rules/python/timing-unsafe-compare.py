import hashlib
import hmac
import os
import secrets

from flask import abort, request

API_KEY = os.environ["API_KEY"]


def check_password(user, password):
    # ruleid: gates.python.timing-unsafe-compare
    if password == user.password:
        return True
    return False


def check_api_key():
    # ruleid: gates.python.timing-unsafe-compare
    if request.headers.get("X-API-Key") != API_KEY:
        abort(401)


def check_token(session):
    token = request.form["csrf_token"]
    # ruleid: gates.python.timing-unsafe-compare
    return token == session["csrf_token"]


def check_row(USERS, username, password):
    password = hashlib.sha256(password.encode()).hexdigest()
    # ruleid: gates.python.timing-unsafe-compare
    return USERS[username]["password"] == password


def check_signature(body, signature, key):
    # ruleid: gates.python.timing-unsafe-compare
    return hmac.new(key, body, hashlib.sha256).hexdigest() == signature


def check_expected(token, expected_token):
    # ruleid: gates.python.timing-unsafe-compare
    return token != expected_token


def check_settings(settings, api_key):
    # ruleid: gates.python.timing-unsafe-compare
    return api_key == settings.API_KEY


def ok_compare_digest(user, password):
    # ok: gates.python.timing-unsafe-compare
    return hmac.compare_digest(password, user.password)


def ok_secrets(token, expected_token):
    # ok: gates.python.timing-unsafe-compare
    return secrets.compare_digest(token, expected_token)


def ok_confirmation(password, password_again):
    # two values typed by the same user: no secret to leak
    # ok: gates.python.timing-unsafe-compare
    return password != password_again


def ok_leaked_list(password, leaked):
    for candidate in leaked:
        # ok: gates.python.timing-unsafe-compare
        if password == candidate:
            return True
    return False


def ok_literals(token, user):
    # ok: gates.python.timing-unsafe-compare
    if token == "":
        return False
    # ok: gates.python.timing-unsafe-compare
    if user.api_key == None:
        return False
    # ok: gates.python.timing-unsafe-compare
    if len(user.password) == 0:
        return False
    # ok: gates.python.timing-unsafe-compare
    return user.token_type == user.expected_type


def ok_file_digest(data, expected_sha256):
    # integrity of a download, not a secret
    # ok: gates.python.timing-unsafe-compare
    return hashlib.sha256(data).hexdigest() == expected_sha256


def login_by_hash(body, row):
    # ruleid: gates.python.timing-unsafe-hash-compare
    if hash_password(body["password"]) == row[2]:
        return True
    # ruleid: gates.python.timing-unsafe-hash-compare
    return row[3] != sign_token(body["token"])


def ok_hash_compare(body, row, path, expected):
    # ok: gates.python.timing-unsafe-hash-compare
    if hmac.compare_digest(hash_password(body["password"]), row[2]):
        return True
    # ok: gates.python.timing-unsafe-hash-compare
    return hash_file(path) == expected


def hard_coded(request):
    password = request.POST["password"]
    # ruleid: gates.python.timing-unsafe-compare
    if password == "admin_pass":
        return True
    # ok: gates.python.timing-unsafe-compare
    if request.headers.get("Authorization", "").split(" ")[0] == "Bearer":
        return False
    # ok: gates.python.timing-unsafe-compare
    return password != "null"
