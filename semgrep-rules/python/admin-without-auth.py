from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, user_passes_test
from fastapi import APIRouter, Depends, FastAPI
from flask import Blueprint, Flask, abort, jsonify
from flask_login import current_user, login_required as flask_login_required

app = Flask(__name__)
api = FastAPI()


@app.route("/admin/users", methods=["GET"])
# ruleid: gates.python.admin-without-auth
def list_all_users():
    return jsonify(all_users())


@app.route("/internal/metrics")
# ruleid: gates.python.admin-without-auth
def metrics():
    return jsonify(collect())


@app.route("/api/v1/admin/reset-db", methods=["POST"])
# ruleid: gates.python.admin-without-auth
def reset_db():
    return drop_all()


@api.get("/admin/stats")
# a database session is not authentication
# ruleid: gates.python.admin-without-auth
async def stats(db=Depends(get_db)):
    return db.stats()


@app.route("/admin/users", methods=["GET"])
@flask_login_required
# ok: gates.python.admin-without-auth
def list_all_users_protected():
    return jsonify(all_users())


@app.route("/admin/settings")
@require_admin
# ok: gates.python.admin-without-auth
def settings_page():
    return "settings"


@app.route("/admin/audit")
# ok: gates.python.admin-without-auth
def audit():
    if not current_user.is_admin:
        abort(403)
    return "audit"


@api.get("/admin/stats2")
# ok: gates.python.admin-without-auth
async def stats_protected(user=Depends(get_current_admin_user)):
    return user


@app.route("/administration-guide")
# a public page whose path only starts like "admin"
# ok: gates.python.admin-without-auth
def guide():
    return "docs"


@app.route("/users/<int:uid>")
# ok: gates.python.admin-without-auth
def user_profile(uid):
    return jsonify(uid)


# Django function views
# ruleid: gates.python.admin-without-auth
def debug(request):
    return render_log(request)


# ruleid: gates.python.admin-without-auth
def all_users_data_view(request):
    return dump_users()


# authentication alone does not authorize an admin page
# ruleid: gates.python.admin-without-auth
def broken_access_lab_secret(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return render_secret(request)


@staff_member_required
# ok: gates.python.admin-without-auth
def admin_dashboard(request):
    return render_dashboard(request)


@login_required
@user_passes_test(lambda u: u.is_superuser)
# ok: gates.python.admin-without-auth
def admin_export(request):
    return export()


# ok: gates.python.admin-without-auth
def admin_report(request):
    if not request.user.is_staff:
        raise PermissionDenied
    return report()


# ok: gates.python.admin-without-auth
def profile(request):
    return render_profile(request)
