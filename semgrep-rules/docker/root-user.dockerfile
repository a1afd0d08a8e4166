FROM python:3.12-slim AS build
RUN pip wheel -w /wheels flask
# ruleid: gates.docker.root-user
FROM python:3.12-slim
COPY --from=build /wheels /wheels
CMD ["python", "-m", "app"]
