"""The FastAPI application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasd.api import pages, read, write
from rasd.api.security import DEFAULT_MAX_BODY_BYTES, BodySizeLimit, SecurityHeaders
from rasd.store.base import Store

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILES_ATTRIBUTION = "© OpenStreetMap contributors"
log = logging.getLogger("rasd.api")

_ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "payload_too_large", 422: "invalid_request",
                503: "unavailable"}


def create_app(
    store_url: str | None = None,
    *,
    store: Store | None = None,
    api_key: str | None = None,
    tiles: str | None = DEFAULT_TILES,
    tiles_attribution: str | None = DEFAULT_TILES_ATTRIBUTION,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """Build the app over a store: an open `store`, or one opened from `store_url` at startup.

    `api_key` guards the write endpoints (default: the `RASD_API_KEY` environment variable;
    none means writes answer 503). `tiles` is a Leaflet tile URL template, or None/"" for
    the built-in country outlines only.
    """
    if store is None and store_url is None:
        raise ValueError("create_app needs a store_url or a store")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Opened in the event loop's thread: every endpoint uses the store from there.
        owned = app.state.store is None
        if owned:
            from rasd.store import open_store

            app.state.store = open_store(store_url)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()
                app.state.store = None

    app = FastAPI(
        title="rasd",
        summary="Arabic news in, a geocoded, source-attributed record of political violence out",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.api_key = api_key if api_key is not None else os.environ.get("RASD_API_KEY") or None
    app.state.tiles = tiles or ""
    app.state.tiles_attribution = tiles_attribution or ""

    app.include_router(read.router)
    app.include_router(write.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("rasd.api").joinpath("static"))), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": _ERROR_CODES.get(exc.status_code, "error"), "detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid_request", "detail": _clean_errors(exc.errors())}, 422)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": "internal", "detail": "internal server error"}, 500)

    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders, tiles=tiles)
    return app


def _clean_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without the echoed input (it may be a whole article) or exception objects."""
    out = []
    for error in errors:
        item = {k: error.get(k) for k in ("type", "loc", "msg")}
        item["loc"] = [str(p) for p in item.get("loc") or []]
        out.append(item)
    return out


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("rasd")
    except Exception:  # noqa: BLE001 - an uninstalled checkout still serves
        return "0"


__all__ = ["DEFAULT_TILES", "create_app"]
