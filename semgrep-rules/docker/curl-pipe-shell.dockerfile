FROM debian:stable@sha256:3f2a7d9e1c6b5a4f8e0d2c1b9a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f
# ruleid: gates.docker.curl-pipe-shell
RUN curl -fsSL https://get.example.com/install.sh | sh
# ruleid: gates.docker.curl-pipe-shell
RUN wget -qO- https://example.com/setup | sudo -E bash -
# ruleid: gates.docker.curl-pipe-shell
RUN curl -sSL https://example.com/x.sh \
    | bash
# ruleid: gates.docker.curl-pipe-shell
RUN sh -c "$(curl -fsSL https://example.com/install.sh)"
# ruleid: gates.docker.curl-pipe-shell
RUN bash <(curl -s https://example.com/install.sh)
# ok: gates.docker.curl-pipe-shell
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /usr/local/bin
# ok: gates.docker.curl-pipe-shell
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
# ok: gates.docker.curl-pipe-shell
RUN apt-get update && apt-get install -y --no-install-recommends curl bash
# the shell reads echo's output, not the download
# ok: gates.docker.curl-pipe-shell
RUN curl -fsSLo /tmp/x https://example.com/x && echo 'id' | sh
# ruleid: gates.docker.curl-pipe-shell
RUN curl -fsSL https://example.com/x | VERSION=1.2 sh -s -- --yes
USER 10001
