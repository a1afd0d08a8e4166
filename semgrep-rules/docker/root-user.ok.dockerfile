# Near misses: the final stage runs unprivileged. No rule of root-user.yaml may report
# anything in this file.
FROM python:3.12-slim AS build
RUN pip wheel -w /wheels flask
FROM python:3.12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
RUN useradd --uid 10001 --no-create-home app
USER 10001
CMD ["python", "-m", "app"]
