# ruleid: gates.docker.unpinned-base-image
FROM alpine:latest AS build
RUN echo build > /out
# ruleid: gates.docker.unpinned-base-image
FROM python:3.12-slim
# ruleid: gates.docker.unpinned-base-image
FROM nginx
# ok: gates.docker.unpinned-base-image
FROM python:3.12-slim@sha256:3f2a7d9e1c6b5a4f8e0d2c1b9a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f
# ok: gates.docker.unpinned-base-image
FROM build
# ok: gates.docker.unpinned-base-image
FROM scratch
COPY --from=build /out /out
USER 65532
