import hashlib
from hashlib import md5, sha256

import bcrypt
from argon2 import PasswordHasher
from django.contrib.auth.hashers import make_password
from flask import request
from passlib.hash import hex_sha256, md5_crypt, pbkdf2_sha256
from werkzeug.security import check_password_hash, generate_password_hash


def register_sha256(password):
    # ruleid: gates.python.weak-password-hash
    return hashlib.sha256(password.encode()).hexdigest()


def register_md5_imported():
    password = request.form["password"]
    # ruleid: gates.python.weak-password-hash
    return md5(password.encode()).hexdigest()


def register_salted(user, salt):
    # a salt does not make a fast hash slow
    # ruleid: gates.python.weak-password-hash
    return sha256(salt + user.password).hexdigest()


def register_sha512_fstring(pwd, salt):
    # ruleid: gates.python.weak-password-hash
    return hashlib.sha512(f"{salt}:{pwd}".encode()).hexdigest()


def register_new(password):
    # ruleid: gates.python.weak-password-hash
    return hashlib.new("sha1", password.encode()).hexdigest()


def register_update(raw_password):
    h = hashlib.sha1()
    # ruleid: gates.python.weak-password-hash
    h.update(raw_password.encode())
    return h.hexdigest()


def register_subscript(data):
    # ruleid: gates.python.weak-password-hash
    return hashlib.md5(data["password"].encode()).hexdigest()


def ok_pbkdf2(password, salt):
    # ok: gates.python.weak-password-hash
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def ok_scrypt(password, salt):
    # ok: gates.python.weak-password-hash
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def ok_bcrypt(password):
    # ok: gates.python.weak-password-hash
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12))


def ok_argon2(password):
    # ok: gates.python.weak-password-hash
    return PasswordHasher().hash(password)


def ok_file_digest(path):
    with open(path, "rb") as handle:
        # ok: gates.python.weak-password-hash
        return hashlib.sha256(handle.read()).hexdigest()


def ok_reset_token_digest(password_reset_token):
    # a high-entropy token may be stored as a fast digest
    # ok: gates.python.weak-password-hash
    return hashlib.sha256(password_reset_token.encode()).hexdigest()


def ok_cache_key(username):
    # ok: gates.python.weak-password-hash
    return hashlib.md5(username.encode()).hexdigest()


def werkzeug_weak(password):
    # ruleid: gates.python.weak-password-hash-method
    return generate_password_hash(password, method="sha256")


def werkzeug_plain(password):
    # ruleid: gates.python.weak-password-hash-method
    return generate_password_hash(password, "plain")


def werkzeug_ok(password):
    # ok: gates.python.weak-password-hash-method
    return generate_password_hash(password)


def werkzeug_scrypt(password):
    # ok: gates.python.weak-password-hash-method
    return generate_password_hash(password, method="scrypt")


def werkzeug_pbkdf2(password):
    # ok: gates.python.weak-password-hash-method
    return generate_password_hash(password, method="pbkdf2:sha256:600000")


def django_md5(password):
    # ruleid: gates.python.weak-password-hash-method
    return make_password(password, None, "md5")


def django_unsalted(password):
    # ruleid: gates.python.weak-password-hash-method
    return make_password(password, hasher="unsalted_sha1")


def django_default(password):
    # ok: gates.python.weak-password-hash-method
    return make_password(password)


def passlib_weak(password):
    # ruleid: gates.python.weak-password-hash-method
    return md5_crypt.hash(password)


def passlib_hex(password):
    # ruleid: gates.python.weak-password-hash-method
    return hex_sha256.hash(password)


def passlib_ok(password):
    # ok: gates.python.weak-password-hash-method
    return pbkdf2_sha256.hash(password)


PASSWORD_HASHERS = [
    # ruleid: gates.python.django-weak-password-hasher
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def legacy_hashers_last():
    PASSWORD_HASHERS = [
        # ok: gates.python.django-weak-password-hasher
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    return PASSWORD_HASHERS


# --- plain-text storage and comparison -------------------------------------------------


def django_signup(request, Account):
    name = request.POST["username"]
    passwd = request.POST["pass"]
    # ruleid: gates.python.plaintext-password
    Account.objects.create(username=name, password=passwd)


def django_login(request, Account):
    passwd = request.POST.get("password")
    # ruleid: gates.python.plaintext-password
    return Account.objects.filter(username=request.POST["username"], password=passwd).first()


def django_hashed_lookup(request, Account):
    password = request.POST.get("password")
    # ruleid: gates.python.weak-password-hash
    password = md5(password.encode()).hexdigest()
    # the weak hash is reported by weak-password-hash, not as plain text
    # ok: gates.python.plaintext-password
    return Account.objects.filter(password=password).first()


def django_create_user(request, User):
    password = request.POST["password"]
    # ok: gates.python.plaintext-password
    return User.objects.create_user(username="x", password=password)


def flask_store(user):
    # ruleid: gates.python.plaintext-password
    user.password = request.form["password"]


def flask_store_hashed(user):
    # ok: gates.python.plaintext-password
    user.password_hash = generate_password_hash(request.form["password"])


def flask_compare(user):
    password = request.form.get("password")
    # ruleid: gates.python.plaintext-password
    if user.password == password:
        return True
    # ok: gates.python.plaintext-password
    return check_password_hash(user.password_hash, password)


def dict_store(users, username):
    password = request.form.get("password")
    # ruleid: gates.python.plaintext-password
    users[username] = {"password": password, "role": "user"}


def dict_compare(users, username):
    password = request.form.get("password")
    # ruleid: gates.python.plaintext-password
    return users[username]["password"] == password


def sql_store(conn, username, password):
    c = conn.cursor()
    # ruleid: gates.python.plaintext-password
    c.execute("INSERT INTO users (username, password) VALUES (?, ?)", (username, password))


def sql_match(conn, username, password):
    # ruleid: gates.python.plaintext-password
    return conn.execute("SELECT * FROM users WHERE username = '{}' and password = '{}'".format(username, password))


def sql_store_hashed(conn, username, password):
    digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    # ok: gates.python.plaintext-password
    conn.execute("UPDATE users SET password = ? WHERE username = ?", (digest, username))


def sql_other_column(conn, username, password):
    # ok: gates.python.plaintext-password
    conn.execute("SELECT * FROM users WHERE username = ?", (username,))


def confirm_matches(password, password_again):
    # comparing two user inputs is not a stored password
    # ok: gates.python.plaintext-password
    return password == password_again


class Account:
    def __init__(self, password):
        # ok: gates.python.plaintext-password
        self.password = password


def ok_fingerprint(text):
    # an error handler name, not a password
    # ok: gates.python.weak-password-hash
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def hard_coded(request):
    name = request.POST.get("name")
    password = request.POST.get("pass")
    # ruleid: gates.python.plaintext-password
    if name == "jack" and password == "jacktheripper":
        return True
    # an emptiness check is not a comparison with a stored password
    # ok: gates.python.plaintext-password
    return password == ""


def django_raw(request, login):
    password = request.POST.get("pass")
    query = "SELECT * FROM login WHERE password='" + password + "'"
    # ruleid: gates.python.plaintext-password
    return login.objects.raw(query)


async def login_async(username: str, password: str):
    user = await Account.get(username=username)
    # ruleid: gates.python.plaintext-password
    return user.password == password
