"""Orders service: a deliberately insecure sample used as a scan target by the gate's tests.

Every flaw in this package is planted on purpose and listed in ../README.md.
Never deploy or run this code.
"""

from flask import Flask

from app import settings

app = Flask(__name__)
app.secret_key = "dev-secret"
app.config.from_object(settings)

from app import admin, auth, users  # noqa: E402,F401  (routes register on import)


def main() -> None:
    """Run the development server."""
    app.run(debug=True)
