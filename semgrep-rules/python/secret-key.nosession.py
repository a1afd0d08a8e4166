# Near misses: no rule of secret-key.yaml may report anything in this file.
# A Flask API that never uses sessions does not need a secret key.
from flask import Flask, jsonify

app = Flask(__name__)

@app.route("/health")
def health():
    return jsonify(status="ok")
