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


def free_ports(ports: range, count: int) -> list[int]:
    """`count` distinct ports of `ports` free right now (each is held while the next is found, so a group
    of servers started together never gets the same port twice)."""
    held: list[socket.socket] = []
    try:
        for port in ports:
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                sock.close()
                continue
            held.append(sock)
            if len(held) == count:
                return [s.getsockname()[1] for s in held]
    finally:
        for sock in held:
            sock.close()
    raise RuntimeError(f"fewer than {count} free ports in {ports.start}-{ports.stop - 1}")
