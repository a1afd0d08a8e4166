import jwt
from jose import jwt as jose_jwt


def claims_v1(token):
    # ruleid: gates.python.jwt-unverified
    return jwt.decode(token, verify=False)


def claims_v2(token):
    # ruleid: gates.python.jwt-unverified
    return jwt.decode(token, options={"verify_signature": False})


def claims_none(token, key):
    # ruleid: gates.python.jwt-unverified
    return jwt.decode(token, key, algorithms=["HS256", "none"])


def claims_opts(token):
    opts = {"verify_signature": False, "verify_exp": True}
    # ruleid: gates.python.jwt-unverified
    return jwt.decode(token, options=opts)


def claims_jose(token):
    # ruleid: gates.python.jwt-unverified
    return jose_jwt.get_unverified_claims(token)


def claims_ok(token, key):
    # ok: gates.python.jwt-unverified
    return jwt.decode(token, key, algorithms=["HS256"])


def header_for_key_lookup(token):
    # reading the header to choose the verification key is fine
    # ok: gates.python.jwt-unverified
    return jwt.get_unverified_header(token)["kid"]
