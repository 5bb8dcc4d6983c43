"""Reading a request body without trusting its size."""

from __future__ import annotations

from starlette.requests import Request

__all__ = ["BodyTooLarge", "read_body"]


class BodyTooLarge(Exception):
    """The body is over the limit (announced, or found while reading)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing one over ``limit`` bytes before reading it all: a
    ``Content-Length`` over the limit reads nothing, and a chunked body stops at the limit."""
    size = request.headers.get("content-length")
    if size is not None and size.isdigit() and int(size) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
