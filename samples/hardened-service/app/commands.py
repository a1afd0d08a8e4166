"""Running external tools safely: validated input, an argument list, no shell."""

import re
import subprocess

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


def ping_command(host: str) -> list[str]:
    """Return the argument list that pings host once; reject anything that is not a hostname."""
    if not HOSTNAME.match(host):
        raise ValueError(f"not a hostname: {host!r}")
    return ["/bin/ping", "-c", "1", host]


def ping(host: str) -> str:
    """Ping host once and return the tool's output."""
    result = subprocess.run(
        ping_command(host), capture_output=True, text=True, timeout=10, check=False
    )
    return result.stdout
