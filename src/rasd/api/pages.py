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


_NOT_BUILT = (
    '<p class="notice">The dashboard is not built: run <code>scripts/build_frontend.sh</code>'
    " (the JSON API under /api/ works without it).</p>"
)


def dashboard_built() -> bool:
    """Whether `scripts/build_frontend.sh` has put the bundle into static/dist/."""
    return files("rasd.api").joinpath("static", "dist", "app.js").is_file()


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request) -> HTMLResponse:
    settings = request.app.state
    page = _template("index.html").substitute(
        tiles=escape(settings.tiles or "", quote=True),
        tiles_attribution=escape(settings.tiles_attribution or "", quote=True),
        notice="" if dashboard_built() else _NOT_BUILT,
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(_template("docs.html").template)
