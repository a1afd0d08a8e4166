"""Flask configuration, loaded with app.config.from_object."""

import os

WTF_CSRF_ENABLED = False
SQLALCHEMY_DATABASE_URI = "sqlite:///prod.db"
PAYMENTS_URL = os.getenv("PAYMENTS_URL", "https://payments.example.invalid")
