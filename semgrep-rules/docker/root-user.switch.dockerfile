FROM python:3.12-slim
RUN useradd --uid 10001 app
USER 10001
RUN echo build-step
# ruleid: gates.docker.root-user
USER root
CMD ["python", "-m", "app"]
