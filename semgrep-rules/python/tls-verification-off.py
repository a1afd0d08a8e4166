import ssl

import aiohttp
import httpx
import requests


def fetch(url):
    # ruleid: gates.python.tls-verification-off
    return requests.get(url, verify=False, timeout=5)


def post(url, body):
    # ruleid: gates.python.tls-verification-off
    return httpx.post(url, json=body, verify=False)


def session_off():
    s = requests.Session()
    # ruleid: gates.python.tls-verification-off
    s.verify = False
    return s


def context_off():
    ctx = ssl.create_default_context()
    # ruleid: gates.python.tls-verification-off
    ctx.check_hostname = False
    # ruleid: gates.python.tls-verification-off
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def unverified():
    # ruleid: gates.python.tls-verification-off
    return ssl._create_unverified_context()


async def aio(url):
    # ruleid: gates.python.tls-verification-off
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as s:
        return await s.get(url)


def fetch_ok(url):
    # ok: gates.python.tls-verification-off
    return requests.get(url, timeout=5)


def private_ca(url):
    # ok: gates.python.tls-verification-off
    return requests.get(url, verify="/etc/ssl/private-ca.pem", timeout=5)


def context_ok():
    # ok: gates.python.tls-verification-off
    return ssl.create_default_context(cafile="/etc/ssl/private-ca.pem")


async def aio_request(session, url):
    # ruleid: gates.python.tls-verification-off
    return await session.get(url, ssl=False)


def plain_redis(redis):
    # a client that simply does not use TLS is a different question
    # ok: gates.python.tls-verification-off
    return redis.Redis(host="cache", ssl=False)
