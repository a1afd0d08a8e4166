# Near misses: routers and blueprints guarded as a whole. No rule of
# admin-without-auth.yaml may report anything in this file.
from fastapi import APIRouter, Depends
from flask import Blueprint, abort, session

router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])


@router.get("/admin/users")
async def users():
    return []


admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.before_request
def guard():
    if session.get("role") != "admin":
        abort(403)


@admin_bp.route("/admin/purge", methods=["POST"])
def purge():
    return "purged"
