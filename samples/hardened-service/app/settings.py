"""Settings read from the environment; missing secrets are a hard start-up failure."""

import os
from dataclasses import dataclass


class SettingsError(RuntimeError):
    """A required setting is missing or unsafe."""


@dataclass(frozen=True)
class Settings:
    """The service's runtime settings."""

    secret_key: str
    database_url: str
    payments_url: str
    ratelimit_storage_uri: str
    metrics_token: str


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from environ (default: the process environment)."""
    env = os.environ if environ is None else environ

    secret_key = env.get("SECRET_KEY", "")
    if len(secret_key) < 32:
        raise SettingsError("SECRET_KEY must be set to at least 32 characters")

    database_url = env.get("DATABASE_URL", "")
    if not database_url.startswith(("postgresql://", "postgresql+psycopg://")):
        raise SettingsError("DATABASE_URL must be set to a PostgreSQL URL")

    payments_url = env.get("PAYMENTS_URL", "https://payments.example.invalid")
    if not payments_url.startswith("https://"):
        raise SettingsError("PAYMENTS_URL must use https")

    return Settings(
        secret_key=secret_key,
        database_url=database_url,
        payments_url=payments_url,
        ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI", "memory://"),
        metrics_token=env.get("METRICS_TOKEN", ""),
    )
