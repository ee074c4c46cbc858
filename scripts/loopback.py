"""A loopback port for a server a test or script starts: below the kernel's ephemeral range.

Why not any free port: a client that polls a port nothing listens on yet can be
given that very port as its own source port (Linux picks source ports from
net.ipv4.ip_local_port_range), and then it connects to itself (TCP
simultaneous open) and reads back its own request: "GET /healthz HTTP/1.1" as
the status line. The server then cannot bind the port either. A port below the
ephemeral range is never anyone's source port, so this cannot happen.
"""
import random
import socket


def ephemeral_range():
    """The kernel's range of source ports, (low, high); Linux's default when it cannot be read."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(part) for part in f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def unused_port(rng=random):
    """A TCP port on 127.0.0.1 below the ephemeral range that nothing listens on now."""
    low = ephemeral_range()[0]
    for _ in range(200):
        port = rng.randint(10000, low - 1)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no unused loopback port between 10000 and {low - 1}")
