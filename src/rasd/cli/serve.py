"""`rasd serve`: the REST API and the analyst's dashboard over a store."""

from __future__ import annotations

import os

import click

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@click.command()
@click.option("--db", "db_url", default=None, envvar="RASD_DB", show_envvar=True,
              help="Store URL (sqlite:///path.db or postgresql://...); default: the embedded SQLite.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--tiles", default=DEFAULT_TILES, show_default=True,
              help="Leaflet tile URL template; 'none' for the built-in country outlines only.")
@click.option("--tiles-attribution", default="© OpenStreetMap contributors", show_default=True)
@click.option("--max-body", default=2 * 1024 * 1024, show_default=True, type=click.IntRange(1),
              help="Largest request body accepted, in bytes (larger: 413).")
def serve(db_url: str | None, host: str, port: int, tiles: str, tiles_attribution: str, max_body: int) -> None:
    """Serve the JSON API under /api/ and the dashboard (map, timeline, evidence) at /.

    \b
    Writes (POST /api/analyze, POST /api/articles) need the header X-API-Key equal to
    $RASD_API_KEY; without RASD_API_KEY they are refused (503). OpenAPI: /openapi.json,
    docs: /docs.

    \b
    Examples:
      rasd ingest corpus.jsonl && rasd serve          then open http://127.0.0.1:8000/
      rasd serve --db postgresql://localhost/rasd --tiles none
      RASD_API_KEY=secret rasd serve --host 0.0.0.0 --port 8080
    """
    try:
        import uvicorn

        from rasd.api import create_app
    except ModuleNotFoundError as error:
        raise click.ClickException(f"{error.name} is missing: pip install 'rasd[server]'") from None
    from rasd.store import default_url

    db_url = db_url or default_url()
    if tiles.lower() in ("none", "off", ""):
        tiles = ""
    app = create_app(db_url, tiles=tiles, tiles_attribution=tiles_attribution, max_body_bytes=max_body)
    from rasd.api.pages import dashboard_built

    if not dashboard_built():
        click.echo("The dashboard is not built (run scripts/build_frontend.sh): only the API is served.", err=True)
    if not os.environ.get("RASD_API_KEY"):
        click.echo("RASD_API_KEY is not set: the write endpoints are disabled.", err=True)
    click.echo(f"rasd: http://{host}:{port}/  (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


commands = [serve]
