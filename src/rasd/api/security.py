"""Security plumbing of the web app: response headers, request size limit, the write API key.

Everything here is plain ASGI or a FastAPI dependency, so it applies to every route,
the static files and the error responses alike.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024  # one article with its HTML fits easily


def tile_origin(tiles: str | None) -> str | None:
    """The CSP source for a Leaflet tile URL template ("https://{s}.tile.x.org/{z}/{x}/{y}.png")."""
    if not tiles:
        return None
    parts = urlsplit(tiles)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    if "{s}" in parts.netloc or host.startswith("{s}."):
        host = "*." + host.split(".", 1)[1]
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def content_security_policy(tiles: str | None, *, docs: bool = False) -> str:
    """`default-src 'self'`; images also from the tile server; no inline script anywhere.

    The API docs page (Swagger UI, served from our own static files) gets inline styles,
    which Swagger UI's components set; its scripts stay `'self'` only.
    """
    img = ["'self'", "data:"]
    origin = tile_origin(tiles)
    if origin:
        img.append(origin)
    style = "'self' 'unsafe-inline'" if docs else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {style}",
            f"img-src {' '.join(img)}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """Adds CSP, nosniff, frame and referrer headers to every HTTP response."""

    def __init__(self, app: ASGIApp, *, tiles: str | None) -> None:
        self.app = app
        self.csp = content_security_policy(tiles).encode()
        self.docs_csp = content_security_policy(tiles, docs=True).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.docs_csp if scope.get("path") == "/docs" else self.csp

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                headers += [
                    (b"content-security-policy", csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_OURS = {
    b"content-security-policy",
    b"x-content-type-options",
    b"x-frame-options",
    b"referrer-policy",
    b"cross-origin-opener-policy",
}


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, whether Content-Length says so or not.

    The body is read here (bounded) and replayed to the app, so a chunked upload that
    never announces its size is cut off at the limit too.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _json_response(send, 400, "bad_request", "Content-Length is not a number")
                return
            if int(declared) > self.max_bytes:
                await self._too_large(send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _json_response(
            send, 413, "payload_too_large", f"request body over the limit of {self.max_bytes} bytes"
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


async def _json_response(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The server's RASD_API_KEY; needed by the write endpoints."
)


def require_api_key(request: Request, given: Annotated[str | None, Security(api_key_header)] = None) -> None:
    """Dependency of every write route: `X-API-Key` must equal the server's key.

    No key configured on the server: 503 (writes are off). Header missing: 401.
    Wrong key: 403. The comparison takes constant time.
    """
    configured: str | None = request.app.state.api_key
    if not configured:
        raise HTTPException(503, "writes are disabled: the server has no RASD_API_KEY set")
    if not given:
        raise HTTPException(401, "missing X-API-Key header", headers={"WWW-Authenticate": "X-API-Key"})
    if not hmac.compare_digest(given.encode("utf-8", "replace"), configured.encode("utf-8")):
        raise HTTPException(403, "wrong API key")
