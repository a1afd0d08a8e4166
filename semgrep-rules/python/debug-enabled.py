import os

from fastapi import FastAPI
from flask import Flask

app = Flask(__name__)

# ruleid: gates.python.debug-enabled
DEBUG = True

# ruleid: gates.python.debug-enabled
DEBUG = os.environ.get("DJANGO_DEBUG", "True")

# ruleid: gates.python.debug-enabled
DEBUG = os.getenv("DEBUG", "1") == "1"

# ok: gates.python.debug-enabled
DEBUG = False

# ok: gates.python.debug-enabled
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"

# ok: gates.python.debug-enabled
TEMPLATE_DEBUG_HINT = True

# ruleid: gates.python.debug-enabled
app.debug = True

# ruleid: gates.python.debug-enabled
app.config["DEBUG"] = True

# ruleid: gates.python.debug-enabled
api = FastAPI(debug=True)

# ok: gates.python.debug-enabled
api2 = FastAPI(title="service")

if __name__ == "__main__":
    # ruleid: gates.python.debug-enabled
    app.run(host="0.0.0.0", port=5000, debug=True)
    # ok: gates.python.debug-enabled
    app.run(host="127.0.0.1", port=5000, debug=os.environ.get("FLASK_DEBUG") == "1")


def configure(settings):
    # assignments inside functions are not module configuration
    # ok: gates.python.debug-enabled
    DEBUG = True
    return DEBUG


class DevelopmentConfig:
    SQLALCHEMY_ECHO = True
    # ok: gates.python.debug-enabled
    DEBUG = True


class ProductionConfig:
    # ruleid: gates.python.debug-enabled
    DEBUG = True
