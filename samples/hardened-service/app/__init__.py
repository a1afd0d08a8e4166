"""Orders service, hardened twin of the vulnerable sample: the gate should find nothing here."""

from flask import Flask

from app.extensions import csrf, limiter
from app.security import apply_security_headers
from app.settings import load_settings


def create_app(environ: dict[str, str] | None = None) -> Flask:
    """Build the Flask app; refuse to start without a SECRET_KEY and a PostgreSQL URL."""
    settings = load_settings(environ)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        PAYMENTS_URL=settings.payments_url,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        METRICS_TOKEN=settings.metrics_token,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )

    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(apply_security_headers)

    from app.routes import admin, api, internal

    app.register_blueprint(api)
    app.register_blueprint(admin)
    app.register_blueprint(internal)
    return app
