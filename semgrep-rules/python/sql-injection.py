import sqlite3

import pandas as pd
from django.db import connection
from sqlalchemy import text


def login(c, username, password):
    # ruleid: gates.python.sql-injection
    return c.execute("SELECT * FROM users WHERE username = '{}' and password = '{}'".format(username, password)).fetchone()


def create(c, username):
    # ruleid: gates.python.sql-injection
    c.execute("INSERT INTO users (username) VALUES ('%s')" % (username,))


def by_id(uid):
    with connection.cursor() as cursor:
        # ruleid: gates.python.sql-injection
        cursor.execute(f"SELECT * FROM orders WHERE id = {uid}")


def django_raw(login, name, password):
    sql_query = "SELECT * FROM introduction_login WHERE user='" + name + "' AND password='" + password + "'"
    # ruleid: gates.python.sql-injection
    return login.objects.raw(sql_query)


def sqlalchemy_text(session, table):
    # ruleid: gates.python.sql-injection
    return session.execute(text("SELECT count(*) FROM " + table))


def pandas_query(conn, name):
    query = f"SELECT * FROM t WHERE name = '{name}'"
    # ruleid: gates.python.sql-injection
    return pd.read_sql(query, conn)


def extra_where(qs, clause):
    # ruleid: gates.python.sql-injection
    return qs.extra(where=["name = '%s'" % clause])


def ok_parameters(c, username):
    # ok: gates.python.sql-injection
    return c.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()


def ok_constant(c):
    # ok: gates.python.sql-injection
    c.execute("CREATE TABLE posts (date date, username text, text text)")


def ok_constant_concat(c):
    # ok: gates.python.sql-injection
    c.execute("SELECT * FROM users " + "ORDER BY id")


def ok_text_params(session, uid):
    # ok: gates.python.sql-injection
    return session.execute(text("SELECT * FROM t WHERE id = :id"), {"id": uid})


def ok_raw_params(model, uid):
    # ok: gates.python.sql-injection
    return model.objects.raw("SELECT * FROM t WHERE id = %s", [uid])
