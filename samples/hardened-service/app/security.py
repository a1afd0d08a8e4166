"""Password hashing, constant-time checks, the admin guard and the response headers."""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

import bcrypt
from flask import Response, jsonify, session

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def hash_password(password: str) -> bytes:
    """Hash a password with bcrypt and a fresh salt."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12))


def verify_password(password: str, stored_hash: bytes) -> bool:
    """Check a password against its bcrypt hash."""
    return bcrypt.checkpw(password.encode(), stored_hash)


def bearer_matches(authorization: str | None, expected_token: str) -> bool:
    """Check an "Authorization: Bearer ..." header against the expected token in constant time."""
    if not expected_token or not authorization or not authorization.startswith("Bearer "):
        return False
    presented = authorization.removeprefix("Bearer ")
    return hmac.compare_digest(presented.encode(), expected_token.encode())


def apply_security_headers(response: Response) -> Response:
    """Add the security headers to every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def require_admin(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a request through only when its signed session belongs to an admin."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if "user_id" not in session:
            return jsonify(error="authentication required"), 401
        if session.get("role") != "admin":
            return jsonify(error="admin role required"), 403
        return view(*args, **kwargs)

    return guarded
