import jinja2
from django.utils.safestring import mark_safe
from flask import Flask
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

app = Flask(__name__)

# ruleid: gates.python.autoescape-off
env = Environment(loader=FileSystemLoader("templates"))
# ruleid: gates.python.autoescape-off
env_off = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=False)
# ok: gates.python.autoescape-off
env_ok = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
# ruleid: gates.python.autoescape-off
app.jinja_env.autoescape = False


def greet(name):
    # ruleid: gates.python.mark-safe-dynamic
    return mark_safe(f"<p>Hello {name}</p>")


def comment_html(comment):
    # ruleid: gates.python.mark-safe-dynamic
    return Markup(comment.body)


def badge():
    # ok: gates.python.mark-safe-dynamic
    return mark_safe("<span class='badge'>new</span>")


def escaped(name):
    # ok: gates.python.mark-safe-dynamic
    return Markup("<b>{}</b>").format(name)
