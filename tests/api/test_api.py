"""The REST API on SQLite and PostgreSQL: reads, filters, paging, writes, limits, errors, headers."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from samples import API_KEY, XSS_IMG, XSS_SCRIPT

from rasd.api import create_app

AUTH = {"X-API-Key": API_KEY}


def test_events_listing_with_totals_and_paging(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 3 and body["limit"] == 50 and body["offset"] == 0
    assert {e["article_id"] for e in body["items"]} == {"test-ramadi", "test-ramadi-2", "test-hostile"}
    first = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == 3 and len(first["items"]) == 1 and first["offset"] == 1
    beyond = client.get("/api/events", params={"offset": 10}).json()
    assert beyond["total"] == 3 and beyond["items"] == []


@pytest.mark.parametrize(
    ("params", "articles"),
    [
        ({"type": "Battles"}, {"test-hostile"}),
        ({"type": "Air/drone strike"}, {"test-ramadi", "test-ramadi-2"}),
        ({"type": "Battles,Air/drone strike"}, {"test-hostile", "test-ramadi", "test-ramadi-2"}),
        ({"country": "iq"}, {"test-ramadi", "test-ramadi-2"}),
        ({"admin1": "al anbar"}, {"test-ramadi", "test-ramadi-2"}),
        ({"near": "36.2,37.1,50"}, {"test-hostile"}),
        ({"from": "2015-07-28"}, {"test-hostile"}),
        ({"to": "2015-07-28"}, {"test-ramadi", "test-ramadi-2"}),
        ({"actor": "coalition"}, {"test-ramadi", "test-ramadi-2"}),
        ({"country": "YE"}, set()),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, str], articles: set[str]) -> None:
    body = client.get("/api/events", params=params).json()
    assert {e["article_id"] for e in body["items"]} == articles
    assert body["total"] == len(articles)


@pytest.mark.parametrize(
    "params",
    [
        {"near": "abc"},
        {"near": "1,2"},
        {"near": "95,0,10"},
        {"near": "nan,0,10"},
        {"country": "IRQ"},
        {"from": "2015-13-01"},
        {"from": "2015-08-01", "to": "2015-07-01"},
        {"limit": "0"},
        {"limit": "100000"},
        {"offset": "-1"},
        {"limit": "ten"},
        {"actor": "\x00"},
        {"type": "Battles\x00"},
        {"admin1": "a\x00b"},
    ],
)
def test_bad_filters_are_422_with_json(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


def test_incidents_merge_outlets_and_incident_page(client: TestClient) -> None:
    body = client.get("/api/incidents").json()
    assert body["total"] == 2
    ramadi = next(i for i in body["items"] if i["event_type"] == "Explosions/Remote violence")
    assert set(ramadi["articles"]) == {"test-ramadi", "test-ramadi-2"}
    assert ramadi["location"]["lat"] == pytest.approx(33.4258)
    detail = client.get(f"/api/incidents/{ramadi['id']}").json()
    assert {r["article"]["id"] for r in detail["reports"]} == {"test-ramadi", "test-ramadi-2"}
    report = detail["reports"][0]
    assert report["events"] and report["events"][0]["evidence_span"]["start"] >= report["excerpt"]["start"]
    assert "مقتل خمسة مدنيين" in report["excerpt"]["text"]
    assert [a["source_ar"] for a in report["attributions"]] == ["مصدر أمني"]
    assert all(r["merged_because"] for r in detail["reports"])  # why each report joined the incident
    filtered = client.get("/api/incidents", params={"country": "SY"}).json()
    assert filtered["total"] == 1 and filtered["items"][0]["location"]["country"] == "SY"


def test_nul_characters_never_reach_the_database(client: TestClient) -> None:
    assert client.get("/api/articles/a%00b").status_code == 422
    assert client.get("/api/search", params={"q": "\x00"}).status_code == 422
    assert client.get("/api/entities", params={"q": "\x00"}).status_code == 422
    text = "انفجار في بغداد\x00\nقتل شخصان في انفجار عبوة ناسفة في بغداد."
    response = client.post("/api/articles", json={"id": "nul-1", "text": text}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert "\x00" not in client.get("/api/articles/nul-1").json()["text"]


def test_unknown_ids_are_404_json(client: TestClient) -> None:
    for path in ("/api/articles/nope", "/api/incidents/nope", "/api/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_article_has_clean_text_and_every_span(client: TestClient) -> None:
    doc = client.get("/api/articles/test-ramadi").json()
    text = doc["text"]
    assert text.startswith(doc["title"] + "\n\n")
    assert "raw" not in doc
    entities = {e["name_en"]: e for e in doc["entities"]}
    assert set(entities) >= {"Ramadi", "Reuters", "Saad Maan"}
    for entity in doc["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    event = doc["events"][0]
    span = event["evidence_span"]
    assert text[span["start"] : span["end"]] == span["text"]
    assert doc["attributions"][0]["span"]["text"] == "مصدر أمني"


def test_entities_and_search(client: TestClient) -> None:
    everything = client.get("/api/entities").json()
    assert everything["total"] >= 5
    orgs = client.get("/api/entities", params={"type": "ORG"}).json()
    assert orgs["items"] and all(e["type"] == "ORG" for e in orgs["items"])
    reuters = client.get("/api/entities", params={"q": "Reuters"}).json()
    assert [e["name_en"] for e in reuters["items"]] == ["Reuters"]
    assert client.get("/api/entities", params={"type": "XYZ"}).status_code == 422
    hits = client.get("/api/search", params={"q": "الرمادي"}).json()
    assert {h["article_id"] for h in hits["items"]} == {"test-ramadi", "test-ramadi-2"}
    assert hits["total"] == 2
    in_syria = client.get("/api/search", params={"q": "", "country": "SY"}).json()
    assert [h["article_id"] for h in in_syria["items"]] == ["test-hostile"]
    assert client.get("/api/stats").json()["articles"] == 3


def test_writes_need_the_api_key(client: TestClient) -> None:
    article = {"text": "انفجار في بغداد\nقتل شخصان في انفجار عبوة ناسفة في بغداد.", "published": "2015-07-30"}
    for path in ("/api/analyze", "/api/articles"):
        missing = client.post(path, json=article)
        assert missing.status_code == 401 and missing.json()["error"] == "unauthorized"
        wrong = client.post(path, json=article, headers={"X-API-Key": "wrong"})
        assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden"


def test_writes_are_off_without_a_configured_key(filled_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASD_API_KEY", raising=False)
    with TestClient(create_app(filled_url)) as client:
        response = client.post("/api/analyze", json={"text": "x"}, headers={"X-API-Key": "anything"})
        assert response.status_code == 503
        assert client.get("/api/events").status_code == 200


def test_analyze_returns_the_analysis_and_stores_nothing(client: TestClient) -> None:
    text = "انفجار في بغداد\nقال مصدر في الشرطة إن شخصين قتلا في انفجار عبوة ناسفة في بغداد اليوم."
    response = client.post("/api/analyze", json={"text": text, "published": "2015-07-30"}, headers=AUTH)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["title"] == "انفجار في بغداد"
    assert doc["text"].startswith("انفجار في بغداد\n\n")
    assert doc["published"] == "2015-07-30"
    assert client.get("/api/stats").json()["articles"] == 3


def test_analyze_html(client: TestClient) -> None:
    html = (
        "<html><head><title>انفجار في بغداد</title></head><body><article><h1>انفجار في بغداد</h1>"
        + "<p>قال مصدر في الشرطة العراقية إن شخصين قتلا وأصيب خمسة آخرون في انفجار عبوة ناسفة "
        "استهدفت سوقاً شعبية في منطقة الدورة جنوبي العاصمة بغداد صباح اليوم الخميس.</p>" * 3
        + "</article></body></html>"
    )
    response = client.post("/api/analyze", json={"html": html}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert "عبوة ناسفة" in response.json()["body"]


def test_ingest_stores_the_article(client: TestClient) -> None:
    article = {
        "id": "api-test-1",
        "text": "انفجار في بغداد\nقال مصدر في الشرطة إن شخصين قتلا في انفجار عبوة ناسفة في بغداد.",
        "published": "2015-07-30",
        "source": "api-test",
    }
    response = client.post("/api/articles", json=article, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "api-test-1"
    assert response.headers["location"] == "/api/articles/api-test-1"
    stored = client.get("/api/articles/api-test-1").json()
    assert stored["source"] == "api-test" and "عبوة ناسفة" in stored["text"]
    again = client.post("/api/articles", json=article, headers=AUTH)
    assert again.status_code == 201 and again.json()["summary"]["unchanged"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": "a", "html": "<p>a</p>"},
        {"text": "a", "published": "yesterday"},
        {"text": "a", "unknown": 1},
        {"text": 5},
        {"html": "<html><body></body></html>"},
    ],
)
def test_bad_write_bodies_are_422(client: TestClient, body: dict) -> None:
    response = client.post("/api/analyze", json=body, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert client.post("/api/articles", json={**body, "id": "x"}, headers=AUTH).status_code == 422


def test_bad_ids_and_json_are_client_errors(client: TestClient) -> None:
    bad_id = client.post("/api/articles", json={"text": "a\nb", "id": "../etc/passwd"}, headers=AUTH)
    assert bad_id.status_code == 422
    not_json = client.post("/api/analyze", content=b"{not json", headers={**AUTH, "content-type": "application/json"})
    assert not_json.status_code == 422
    binary = client.post("/api/analyze", content=b"\xff\xfe\x00", headers={**AUTH, "content-type": "application/json"})
    assert binary.status_code in (400, 422) and binary.json()["error"] in ("bad_request", "invalid_request")


def test_body_size_limit_is_413(empty_client: TestClient) -> None:
    big = {"text": "ا" * 100_000}
    response = empty_client.post("/api/analyze", json=big, headers=AUTH)
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"
    # Without a Content-Length (chunked), the limit still holds.
    chunks = (b'{"text": "' + b"a" * 10_000 for _ in range(10))
    streamed = empty_client.post("/api/analyze", content=chunks, headers={**AUTH, "content-type": "application/json"})
    assert streamed.status_code == 413


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/events", "/api/articles/nope", "/openapi.json", "/docs", "/static/docs.js"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'", path
        assert "https://tile.openstreetmap.org" in directives["img-src"]
        assert "frame-ancestors 'none'" in csp


def test_dashboard_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<html dir="rtl" lang="ar">' in page
    assert 'src="/static/dist/app.js"' in page and 'href="/static/dist/app.css"' in page
    assert "<script>" not in page and " on" + "click=" not in page  # no inline script or handler
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page


def test_tile_url_is_escaped_into_the_page(filled_url: str) -> None:
    app = create_app(filled_url, api_key=API_KEY, tiles='https://t.example/{z}/{x}/{y}.png"><script>x</script>')
    with TestClient(app) as client:
        page = client.get("/").text
        assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_hostile_article_is_inert_at_the_api(client: TestClient) -> None:
    response = client.get("/api/articles/test-hostile")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    doc = response.json()
    # The text is data: kept exactly, escaped by JSON, never interpreted by the server.
    assert XSS_SCRIPT in doc["title"] and XSS_IMG in doc["body"]
    assert "<script>" not in response.text.replace("\\u003c", "<").split('"title"')[0]
    incidents = client.get("/api/incidents", params={"country": "SY"})
    assert incidents.headers["content-type"] == "application/json"
    assert json.loads(incidents.text)["items"][0]["actor1"].startswith("<img")
    # Nothing of the article reaches the HTML page itself.
    assert "__xss" not in client.get("/").text


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/events", "/api/incidents", "/api/incidents/{incident_id}", "/api/articles/{article_id}",
            "/api/entities", "/api/search", "/api/analyze", "/api/articles"} <= paths
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "country", "admin1", "near", "from", "to", "actor", "limit", "offset"} <= params


@pytest.mark.parametrize(
    ("tiles", "origin"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_tile_origin_for_the_csp(tiles: str | None, origin: str | None) -> None:
    from rasd.api.security import content_security_policy, tile_origin

    assert tile_origin(tiles) == origin
    img = next(d for d in content_security_policy(tiles).split("; ") if d.startswith("img-src"))
    assert img == " ".join(["img-src", "'self'", "data:", *([origin] if origin else [])])


def test_dashboard_says_when_it_is_not_built(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.api import pages

    monkeypatch.setattr(pages, "dashboard_built", lambda: False)
    assert "scripts/build_frontend.sh" in client.get("/").text
    monkeypatch.setattr(pages, "dashboard_built", lambda: True)
    assert "scripts/build_frontend.sh" not in client.get("/").text
