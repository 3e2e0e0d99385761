"""A free local TCP port from a given range, for starting a Streamlit server beside others.

Each caller (the benchmark, the browser tests, the newcomer test) owns its own range so they never take
each other's port on a shared machine; the search itself is the same everywhere.
"""

from __future__ import annotations

import socket


def free_port(ports: range) -> int:
    """The first port of `ports` that can be bound on 127.0.0.1 right now."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")
