from django_ratelimit.decorators import ratelimit
from fastapi import Depends, FastAPI
from fastapi_limiter.depends import RateLimiter
from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from rest_framework.decorators import api_view, throttle_classes

app = Flask(__name__)
bp = Blueprint("user", __name__)
limiter = Limiter(get_remote_address, app=app)
api = FastAPI()


@app.route("/api/v1/login", methods=["POST"])
# ruleid: gates.python.missing-rate-limit
def login():
    return check(request.form["username"], request.form["password"])


@bp.route("/create", methods=["GET", "POST"])
# ruleid: gates.python.missing-rate-limit
def do_create():
    return create(request.form.get("username"), request.form.get("password"))


@bp.route("/key", methods=["POST"])
# ruleid: gates.python.missing-rate-limit
def do_key_create():
    return keygen(request.get_json())


@app.route("/forgot")
# ruleid: gates.python.missing-rate-limit
def forgot_password():
    return send_reset(request.args.get("email"), request.form.get("email"))


@api.post("/token")
# ruleid: gates.python.missing-rate-limit
async def issue(form_data):
    return await token_for(form_data)


@app.route("/api/v1/login", methods=["POST"])
@limiter.limit("5 per minute")
# ok: gates.python.missing-rate-limit
def login_limited():
    return check(request.form["username"], request.form["password"])


@app.route("/login")
# a GET-only page that only renders the form accepts no guesses
# ok: gates.python.missing-rate-limit
def login_page():
    return "<form method=post></form>"


@app.route("/api/v1/posts", methods=["POST"])
# ok: gates.python.missing-rate-limit
def create_post():
    return save(request.get_json())


@api.post("/token", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
# ok: gates.python.missing-rate-limit
async def issue_limited(form_data):
    return await token_for(form_data)


@api.post("/items")
# ok: gates.python.missing-rate-limit
async def create_item(item):
    return item


# ruleid: gates.python.missing-rate-limit
def login_view(request):
    if request.method == "POST":
        return authenticate_form(request.POST)
    return render_login(request)


# ruleid: gates.python.missing-rate-limit
def Otp(request):
    return check_otp(request.GET.get("email"), request.POST.get("otp"))


@ratelimit(key="ip", rate="5/m", block=True)
# ok: gates.python.missing-rate-limit
def signup_view(request):
    return register_form(request.POST)


@api_view(["POST"])
@throttle_classes([LoginThrottle])
# ok: gates.python.missing-rate-limit
def login_api(request):
    return authenticate_form(request.data)


# ok: gates.python.missing-rate-limit
def login_otp(request):
    # only renders the page
    return render_login(request)


# ok: gates.python.missing-rate-limit
def posts_view(request):
    return save(request.POST)


# ok: gates.python.missing-rate-limit
def admin_login(request):
    user = find(request.POST["username"])
    if user.is_locked and user.lockout_cooldown > now():
        return locked()
    return check(user, request.POST["password"])
