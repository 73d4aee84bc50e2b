"""The REST API and the analyst's dashboard: `create_app(store_url)` builds the FastAPI app.

Read endpoints live under `/api/` (events, incidents, articles, entities, search), write
endpoints (`POST /api/analyze`, `POST /api/articles`) need the `X-API-Key` header, and `/`
serves the dashboard built from `frontend/` into `static/dist/`.
"""

from rasd.api.app import DEFAULT_TILES, create_app

__all__ = ["DEFAULT_TILES", "create_app"]
