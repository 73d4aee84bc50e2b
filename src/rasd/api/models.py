"""Request and response shapes of the REST API (they make the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_TEXT_CHARS = 500_000  # one article; the body size limit applies on top of this


class ListPage(BaseModel):
    """One page of a listing: `total` matches the filters, `items` has at most `limit` of them."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class ErrorBody(BaseModel):
    error: str
    detail: Any = None


class ArticleIn(BaseModel):
    """An article to analyse: plain `text` (first line is the headline unless `title` is given)
    or a whole `html` page (its main text is extracted). Exactly one of the two."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=MAX_TEXT_CHARS)
    html: str | None = Field(None, max_length=MAX_TEXT_CHARS)
    title: str | None = Field(None, max_length=2_000)
    published: dt.date | None = None
    source: str | None = Field(None, max_length=300)
    url: str | None = Field(None, max_length=2_000)

    @model_validator(mode="after")
    def _one_input(self) -> ArticleIn:
        # NUL characters carry nothing in an article and PostgreSQL text cannot hold them.
        for name in ("text", "html", "title", "source", "url"):
            value = getattr(self, name)
            if value is not None and "\x00" in value:
                setattr(self, name, value.replace("\x00", ""))
        given = [name for name in ("text", "html") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text' or 'html'")
        content = self.text if self.text is not None else self.html
        if not (content or "").strip():
            raise ValueError(f"'{given[0]}' is empty")
        return self


class ArticleCreate(ArticleIn):
    """An article to analyse and store. Without `id`, one is derived from the content."""

    id: str | None = Field(None, min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:\-]+$")


class StoredArticle(BaseModel):
    id: str
    summary: dict[str, int]
    events: int
    url: str
