FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
WORKDIR /app
COPY . .
# ruleid: gates.docker.debug-enabled
ENV FLASK_ENV=development
# ruleid: gates.docker.debug-enabled
ENV FLASK_DEBUG=1
# ruleid: gates.docker.debug-enabled
ENV PYTHONUNBUFFERED=1 DJANGO_DEBUG=True
# ok: gates.docker.debug-enabled
ENV FLASK_DEBUG=0
# ok: gates.docker.debug-enabled
ENV FLASK_APP=main.py
# ok: gates.docker.debug-enabled
ENV DEBUG_TOOLBAR_ENABLED=false
USER app
# ruleid: gates.docker.debug-enabled
CMD ["flask", "run", "--debug", "--port=8080"]
