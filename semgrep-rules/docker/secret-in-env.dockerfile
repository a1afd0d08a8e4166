FROM python:3.12-slim@sha256:3f2a7d9e1c6b5a4f8e0d2c1b9a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f
# ruleid: gates.docker.secret-in-env
ENV API_KEY="k8s-goat-cf658c56a501385205cc6d2dafee8fc1"
# ruleid: gates.docker.secret-in-env
ENV PYTHONUNBUFFERED=1 DB_PASSWORD=postgres
# ruleid: gates.docker.secret-in-env
ARG GITHUB_TOKEN=ghp_exampleexampleexample
# ok: gates.docker.secret-in-env
ENV API_KEY_FILE=/run/secrets/api_key
# ok: gates.docker.secret-in-env
ARG GITHUB_TOKEN
# ok: gates.docker.secret-in-env
ENV DB_PASSWORD=${DB_PASSWORD}
# ok: gates.docker.secret-in-env
ENV LOG_LEVEL=info
USER 10001
