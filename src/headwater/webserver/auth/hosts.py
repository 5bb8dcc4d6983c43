"""Which ``Host`` names a server without auth answers: its defence against DNS rebinding.

A page on ``evil.example`` can re-point that name at 127.0.0.1 once the browser has loaded
it; its requests are then same-origin to the browser, carry ``Host: evil.example``, and
reach a server on localhost. Only the ``Host`` header tells them apart, so a server without
auth answers just the names it knows:

- the loopback names (``localhost``, ``127.0.0.1``, ``[::1]``), any port;
- the address it binds (``--host``), unless that is a wildcard (``0.0.0.0``, ``::``);
- any IP address literal: a rebinding attack needs a DNS name the attacker controls, so an
  address in ``Host`` cannot be one (this keeps ``http://192.168.1.5:3000`` working for a
  server bound to ``0.0.0.0``);
- the names given with ``--allowed-host`` (a proxy's public name, say); ``*`` allows all.

A request without ``Host`` (HTTP/1.0) is no browser's and passes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

__all__ = ["AllowedHosts", "host_name"]

_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_WILDCARDS = ("", "0.0.0.0", "::")


def host_name(header: str) -> str:
    """The name in a ``Host`` header: its port and a trailing dot dropped, lower-cased,
    IPv6 brackets removed (``[::1]:3000`` → ``::1``)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    name, _, _port = value.partition(":") if value.count(":") == 1 else (value, "", "")
    return name.rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class AllowedHosts:
    """The ``Host`` names a server answers (see the module's docstring)."""

    def __init__(self, names: Iterable[str] = (), *, bind_host: str = "") -> None:
        given = [host_name(n) for n in names]
        bound = host_name(bind_host)
        self.any = "*" in given
        self.names = frozenset([*_LOOPBACK, *given, *([] if bound in _WILDCARDS else [bound])])

    def allows(self, header: str | None) -> bool:
        if header is None or self.any:
            return True
        name = host_name(header)
        return name in self.names or _is_address(name)

    def problem(self, header: str | None) -> str | None:
        """Why a request with this ``Host`` is refused, or ``None``."""
        if self.allows(header):
            return None
        return (
            f"Host {header!r} is not a name this server answers (it has no auth, and answering "
            "any name would let another site's page reach it through DNS rebinding): open it "
            "as localhost or by its address, or start it with '--allowed-host "
            f"{host_name(header or '')}'"
        )
