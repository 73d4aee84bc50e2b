"""HTML pages: the dashboard at `/` and the API docs at `/docs` (no inline script in either)."""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from string import Template

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@cache
def _template(name: str) -> Template:
    return Template(files("rasd.api").joinpath("templates", name).read_text(encoding="utf-8"))


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request) -> HTMLResponse:
    settings = request.app.state
    page = _template("index.html").substitute(
        tiles=escape(settings.tiles or "", quote=True),
        tiles_attribution=escape(settings.tiles_attribution or "", quote=True),
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(_template("docs.html").template)
