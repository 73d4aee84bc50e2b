"""Write endpoints, behind the API key: analyse an article, or analyse and store it."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from rasd.api.models import ArticleCreate, ArticleIn, ErrorBody, StoredArticle
from rasd.api.security import require_api_key
from rasd.doc import Article, Doc
from rasd.errors import InputError, RasdError
from rasd.ingest.readers import article_from_html
from rasd.pipeline import default_pipeline
from rasd.store.base import Store

router = APIRouter(prefix="/api", tags=["write"], dependencies=[Depends(require_api_key)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 413, 422, 503)
}


def _article(body: ArticleIn, article_id: str) -> Article:
    if body.html is not None:
        try:
            page = article_from_html(body.html, article_id)
        except InputError as error:
            raise HTTPException(422, str(error).removeprefix("HTML: ")) from None
        return Article(
            id=article_id,
            text=page.text,
            title=body.title or page.title or None,
            published=body.published.isoformat() if body.published else page.published,
            source=body.source or page.source,
            url=body.url or page.url,
            format="html",
        )
    return Article(
        id=article_id,
        text=body.text or "",
        title=body.title,
        published=body.published.isoformat() if body.published else None,
        source=body.source,
        url=body.url,
    )


def _analyse(article: Article) -> Doc:
    try:
        return default_pipeline()(article)
    except RasdError as error:
        raise HTTPException(422, str(error)) from None


@router.post("/analyze", responses=_ERRORS, summary="Analyse one article (text or HTML); nothing is stored")
async def analyze(body: ArticleIn) -> dict[str, Any]:
    article = await run_in_threadpool(_article, body, "text")
    doc = await run_in_threadpool(_analyse, article)
    out = doc.to_dict()
    out["text"] = doc.text
    return out


@router.post("/articles", status_code=201, response_model=StoredArticle, responses=_ERRORS,
             summary="Analyse one article and store it (same id and content: left unchanged)")
async def create_article(request: Request, response: Response, body: ArticleCreate) -> StoredArticle:
    store: Store = request.app.state.store
    content = body.text if body.text is not None else body.html or ""
    article_id = body.id or "api-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    article = await run_in_threadpool(_article, body, article_id)
    doc = await run_in_threadpool(_analyse, article)
    summary = store.add_docs([doc], {doc.id: article})
    stored = store.get_article(doc.id)
    stored_id = stored["id"] if stored else doc.id
    response.headers["Location"] = f"/api/articles/{stored_id}"
    return StoredArticle(
        id=stored_id, summary=summary.to_dict(), events=len(doc.events), url=f"/api/articles/{stored_id}"
    )


