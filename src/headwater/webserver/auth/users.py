"""Where users and their tokens are kept: a YAML file (``--auth tokens.yaml``), the
instance (``headwater webserver user add``), or both.

Only a token's SHA-256 is stored: a token is 32 random bytes, so a fast hash is as good as
a slow one, and a leaked file or database gives no usable token. The file may also hold a
plain ``token:`` (handy for a test setup); it is hashed when read.

The file looks like::

    users:
      alice: {role: admin, token_sha256: 5e88...}
      ci-bot: {role: launcher, token_sha256: 9f86...}

In the instance, the users are one JSON document under the key ``USERS_KEY``, updated by
compare-and-set so two ``user add`` commands cannot lose each other's user.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from headwater.storage import Instance
from headwater.webserver.auth.roles import Role, User

__all__ = [
    "USERS_KEY",
    "InstanceUsers",
    "TokenFile",
    "Users",
    "hash_token",
    "new_token",
]

USERS_KEY = "headwater/webserver/users"
_CACHE_SECONDS = 2.0  # how long a removed user's token may still work


def new_token() -> str:
    """A fresh random token (shown once, never stored)."""
    return "hw_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _entries(raw: Any, where: str) -> dict[str, tuple[Role, str]]:
    """name -> (role, token hash), from the ``users:`` mapping of a file or the instance."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: 'users' must be a mapping of user name to role and token")
    out: dict[str, tuple[Role, str]] = {}
    for name, entry in raw.items():
        place = f"{where}, user {name!r}"
        if not isinstance(entry, Mapping) or "role" not in entry:
            raise ValueError(f"{place}: give {{role: ..., token_sha256: ...}}")
        role = Role.parse(entry["role"], where=place)
        if isinstance(entry.get("token_sha256"), str):
            digest = entry["token_sha256"].strip().lower()
        elif isinstance(entry.get("token"), str):
            digest = hash_token(entry["token"])
        else:
            raise ValueError(f"{place}: give token_sha256 (or token) as a string")
        out[str(name)] = (role, digest)
    return out


class TokenFile:
    """Users read from a YAML file, read again whenever the file changes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._stamp: tuple[float, int] | None = None
        self._users: dict[str, tuple[Role, str]] = {}
        self._lock = threading.Lock()
        self.users()  # a broken file fails at start, not at the first request

    def users(self) -> dict[str, tuple[Role, str]]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise ValueError(
                f"--auth {self.path}: no such file; create it with "
                f"'headwater webserver user add NAME --role ROLE --auth {self.path}'"
            ) from None
        with self._lock:
            if self._stamp != (stat.st_mtime, stat.st_size):
                self._users = _entries(self._read().get("users"), str(self.path))
                self._stamp = (stat.st_mtime, stat.st_size)
            return self._users

    def _read(self) -> dict[str, Any]:
        import yaml

        data = yaml.safe_load(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ValueError(f"{self.path}: expected a mapping with a 'users:' key")
        return data

    def add(self, name: str, role: Role, token: str) -> None:
        import yaml

        data = self._read()
        users = dict(data.get("users") or {})
        users[name] = {"role": role.label, "token_sha256": hash_token(token)}
        data["users"] = users
        self.path.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
        self.path.chmod(0o600)

    def remove(self, name: str) -> bool:
        import yaml

        data = self._read()
        users = dict(data.get("users") or {})
        if users.pop(name, None) is None:
            return False
        data["users"] = users
        self.path.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
        return True


class InstanceUsers:
    """Users kept in the instance's key-value store, cached for a couple of seconds."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self._cached: tuple[float, dict[str, tuple[Role, str]]] | None = None
        self._lock = threading.Lock()

    def _raw(self) -> tuple[str | None, dict[str, Any]]:
        text = self.instance.kv_get([USERS_KEY]).get(USERS_KEY)
        return text, (json.loads(text) if text else {})

    def users(self) -> dict[str, tuple[Role, str]]:
        with self._lock:
            now = time.monotonic()
            if self._cached is None or now - self._cached[0] > _CACHE_SECONDS:
                self._cached = (now, _entries(self._raw()[1], "the instance's users"))
            return self._cached[1]

    def _update(self, change: Any) -> Any:
        while True:  # compare-and-set: retry if another writer got in first
            text, users = self._raw()
            result = change(users)
            if self.instance.kv_compare_and_set(USERS_KEY, text, json.dumps(users)):
                self._cached = None
                return result

    def add(self, name: str, role: Role, token: str) -> None:
        def put(users: dict[str, Any]) -> None:
            users[name] = {"role": role.label, "token_sha256": hash_token(token)}

        self._update(put)

    def remove(self, name: str) -> bool:
        return bool(self._update(lambda users: users.pop(name, None) is not None))


class Users:
    """Every source of users a server reads; ``authenticate`` finds a token's user."""

    def __init__(self, file: TokenFile | None, stored: InstanceUsers | None) -> None:
        self.file = file
        self.stored = stored

    def all(self) -> dict[str, tuple[Role, str]]:
        merged = dict(self.stored.users()) if self.stored else {}
        merged.update(self.file.users() if self.file else {})
        return merged

    @property
    def enabled(self) -> bool:
        """Auth is on: a token file was given, or the instance holds users."""
        return self.file is not None or bool(self.stored and self.stored.users())

    def authenticate(self, token: str) -> User | None:
        digest = hash_token(token)
        for name, (role, stored) in self.all().items():
            if secrets.compare_digest(digest, stored):
                return User(name=name, role=role)
        return None
