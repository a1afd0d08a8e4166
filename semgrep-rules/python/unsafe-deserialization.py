import base64
import json
import marshal
import pickle
import shelve

import dill
import jsonpickle
import torch
import yaml
from django.http import HttpResponse
from fastapi import FastAPI, UploadFile
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/deserialize", methods=["POST"])
def deserialize_data():
    decoded = base64.b64decode(request.form.get("serialized_data", ""))
    # ruleid: gates.python.pickle-request-data, gates.python.unsafe-deserialization
    user = pickle.loads(decoded)
    return user.name


def django_view(request):
    token = request.COOKIES.get("token")
    token = base64.b64decode(token)
    # ruleid: gates.python.pickle-request-data, gates.python.unsafe-deserialization
    admin = pickle.loads(token)
    return HttpResponse(admin)


@api.post("/upload")
async def upload(model: UploadFile):
    blob = await model.read()
    # ruleid: gates.python.pickle-request-data, gates.python.unsafe-deserialization
    return dill.loads(blob)


@app.route("/config", methods=["POST"])
def load_config():
    # ruleid: gates.python.pickle-request-data, gates.python.unsafe-yaml-load
    return yaml.load(request.files["file"], yaml.Loader)


def from_cache(redis_client, key):
    # bytes from a shared cache are not produced by this process
    # ruleid: gates.python.unsafe-deserialization
    return pickle.loads(redis_client.get(key))


def from_jsonpickle(blob):
    # ruleid: gates.python.unsafe-deserialization
    return jsonpickle.decode(blob)


def from_marshal(blob):
    # ruleid: gates.python.unsafe-deserialization
    return marshal.loads(blob)


def from_shelf(name):
    # ruleid: gates.python.unsafe-deserialization
    return shelve.open(name)


def local_state():
    # ok: gates.python.unsafe-deserialization
    with open("state.pkl", "rb") as handle:
        return pickle.load(handle)


def local_shelf():
    # ok: gates.python.unsafe-deserialization
    return shelve.open("cache.db")


def deep_copy(obj):
    # ok: gates.python.unsafe-deserialization
    return pickle.loads(pickle.dumps(obj))


def encode_only(obj):
    # ok: gates.python.unsafe-deserialization
    return jsonpickle.encode(obj)


def yaml_default(stream):
    # ruleid: gates.python.unsafe-yaml-load
    return yaml.load(stream)


def yaml_unsafe(stream):
    # ruleid: gates.python.unsafe-yaml-load
    return yaml.unsafe_load(stream)


def yaml_full(stream):
    # ruleid: gates.python.unsafe-yaml-load
    return yaml.load(stream, Loader=yaml.FullLoader)


def yaml_safe(stream):
    # ok: gates.python.unsafe-yaml-load
    return yaml.safe_load(stream)


def yaml_safe_loader(stream):
    # ok: gates.python.unsafe-yaml-load
    return yaml.load(stream, Loader=yaml.SafeLoader)


def torch_unsafe(path):
    # ruleid: gates.python.torch-load-unsafe
    return torch.load(path)


def torch_safe(path):
    # ok: gates.python.torch-load-unsafe
    return torch.load(path, weights_only=True, map_location="cpu")


@app.route("/import", methods=["POST"])
def import_json():
    # ok: gates.python.pickle-request-data
    return json.loads(request.data)

