"""The dashboard in headless Chromium (Debian's chromium + chromium-driver), end to end.

Serves the dev set (ingested through the store into a temporary SQLite) plus the
hand-built articles of `samples.py`, then: markers and table, the timeline brush, a click
through incident -> article with highlighted entities, a hostile article that must stay
inert, the English toggle, and screenshots whose map area and layout are checked.

Set RASD_SCREENSHOT_DIR to keep the screenshots (docs/screenshot.png is made that way).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from samples import XSS_SCRIPT, hostile_doc, ramadi_doc
from webdriver import CHROMEDRIVER, CHROMIUM, Browser, free_port, pixel_stats

from rasd.api import create_app
from rasd.store import open_store

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "src" / "rasd" / "api" / "static" / "dist"
DEV_INPUT = REPO.parent / "shared" / "data" / "dev" / "input.jsonl"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium chromium-driver)"),
]


def _ensure_frontend() -> None:
    if (DIST / "app.js").exists() and (DIST / "mena.geojson").exists():
        return
    if shutil.which("npm") is None:
        pytest.fail("the dashboard is not built and npm is missing: run scripts/build_frontend.sh")
    subprocess.run(["bash", str(REPO / "scripts" / "build_frontend.sh")], check=True, timeout=600)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from rasd.ingest import read_paths
    from rasd.store.loader import ingest

    _ensure_frontend()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'dev.db'}"
    with open_store(url) as store:
        if DEV_INPUT.exists():
            for _ in ingest(store, read_paths([DEV_INPUT]), workers=1):
                pass
        store.add_docs([ramadi_doc(), ramadi_doc("test-ramadi-2", source="other-outlet"), hostile_doc(),
                        _untold_toll_doc()])
    app = create_app(url, api_key="k")  # default tiles: unreachable here, the outlines must show
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _untold_toll_doc():
    """The Ramadi strike of another day, with deaths told but no figure."""
    doc = ramadi_doc("test-ramadi-untold", day="2015-06-01")
    doc.events[0].fatalities = None
    return doc


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMEDRIVER.exists():
        pytest.fail("Chromium is installed but not its driver: apt-get install chromium-driver")
    b = Browser()
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keep = os.environ.get("RASD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path_factory.mktemp("shots")


def _rect(browser: Browser, css: str) -> dict[str, float]:
    return browser.run(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width};", css)


def _no_xss(browser: Browser) -> None:
    assert browser.run("return window.__xss === undefined") is True, "a script from the data ran"


def _drag(browser: Browser, css: str, x_from: float, x_to: float) -> None:
    """Press, move and release the mouse across an element (fractions of its width from its left)."""
    browser.run("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", css)
    rect = _rect(browser, css)
    y = round((rect["top"] + rect["bottom"]) / 2)
    x0, x1 = (round(rect["left"] + rect["width"] * f) for f in (x_from, x_to))
    browser.cmd("POST", "/actions", {"actions": [{
        "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "origin": "viewport", "x": x0, "y": y, "duration": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "origin": "viewport", "x": (x0 + x1) // 2, "y": y, "duration": 50},
            {"type": "pointerMove", "origin": "viewport", "x": x1, "y": y, "duration": 50},
            {"type": "pointerUp", "button": 0},
        ],
    }]})
    browser.cmd("DELETE", "/actions")


def test_dashboard_end_to_end(server: str, browser: Browser, shots: Path) -> None:
    browser.get(server + "/")
    # RTL Arabic page with markers and the incident table.
    assert browser.run("return [document.documentElement.dir, document.documentElement.lang]") == ["rtl", "ar"]
    n_markers = browser.wait_for("return document.querySelectorAll('path.incident-marker').length", what="markers")
    n_rows = browser.wait_for("return document.querySelectorAll('#incidents tbody tr[data-id]').length", what="rows")
    assert n_markers >= 2 and n_rows >= 2
    browser.wait_for("return document.querySelectorAll('.leaflet-pane path:not(.incident-marker)').length > 10",
                     what="country outlines")
    assert browser.wait_for("return document.fonts.check('16px \"Noto Naskh Arabic\"', 'رصد')", what="font")
    _no_xss(browser)
    # The hostile incident's actor is shown as text, not as an element.
    assert browser.run("return document.querySelector('#incidents tbody img') === null")
    assert browser.run("return document.querySelector('#incidents').textContent.includes('onerror')")

    # RTL layout: the brand sits at the right edge, the first filter to the right of the last.
    width = browser.run("return document.documentElement.clientWidth")
    brand = _rect(browser, ".brand")
    assert brand["right"] > width - 60, brand
    first, last = _rect(browser, "#filters label:first-child"), _rect(browser, "#filters label:nth-child(5)")
    assert first["left"] > last["left"]

    browser.cmd("POST", "/window/rect", {"width": 1400, "height": 1560})  # the whole dashboard, for docs/
    browser.wait_for("return document.querySelector('#incidents tbody tr[data-id]') !== null")
    time.sleep(0.3)
    browser.screenshot(shots / "dashboard-ar-full.png")
    browser.cmd("POST", "/window/rect", {"width": 1400, "height": 1000})
    time.sleep(0.3)
    png = browser.screenshot(shots / "dashboard-ar.png")
    m = _rect(browser, "#map")
    stats = pixel_stats(png, (int(m["left"]) + 5, int(m["top"]) + 5, int(m["right"]) - 5, int(m["bottom"]) - 5))
    assert stats["colours"] >= 8, stats  # sea, land, borders, markers: not a blank area
    assert stats["saturated"] >= 20, stats  # the coloured markers

    # Brushing the timeline narrows the table (and the map) to the chosen days.
    before = n_rows
    _drag(browser, "#timeline", 0.02, 0.3)
    browser.wait_for("return !document.querySelector('#brush-clear').hidden", what="brush")
    after = browser.run("return document.querySelectorAll('#incidents tbody tr[data-id]').length")
    markers_after = browser.run("return document.querySelectorAll('path.incident-marker').length")
    assert after < before and markers_after <= n_markers
    browser.click("#brush-clear")
    browser.wait_for(f"return document.querySelectorAll('#incidents tbody tr[data-id]').length === {before}")

    # Click through: table row -> incident page -> article page with highlighted entities.
    listed = httpx.get(f"{server}/api/incidents", params={"limit": 1000}).json()["items"]
    ramadi = next(i["id"] for i in listed if "test-ramadi" in i["articles"])
    browser.click(f'#incidents tbody tr[data-id="{ramadi}"] a')
    browser.wait_for("return document.querySelectorAll('#view-incident .report').length >= 2", what="reports")
    assert browser.run("return document.querySelector('#view-incident mark.evt') !== null")
    assert browser.run("return document.querySelector('#view-incident mark.src').textContent.includes('مصدر أمني')")
    browser.screenshot(shots / "incident-ar.png")
    browser.click('#view-incident .report[data-article="test-ramadi"] h3 a')
    browser.wait_for("return document.querySelector('#article-text mark.ent-ORG') !== null", what="article")
    reuters = browser.run(
        "const m = [...document.querySelectorAll('#article-text mark.ent-ORG')]"
        ".find(m => m.textContent.includes('رويترز'));"
        "return m && [m.title, m.dataset.label, m.querySelector('.hl-tag').textContent]")
    assert reuters == ["Reuters", "ORG", "ORG · Reuters"]
    assert browser.run("return document.querySelector('#article-text mark.ent-PER .hl-tag').textContent") \
        == "PER · Saad Maan"
    assert browser.run("return document.querySelector('#article-text mark.ent-LOC.place') !== null")
    browser.screenshot(shots / "article-ar.png")

    # English: dir and lang flip, labels translate, the layout mirrors.
    browser.click("#lang-toggle")
    assert browser.run("return [document.documentElement.dir, document.documentElement.lang]") == ["ltr", "en"]
    assert browser.run("return document.querySelector('[data-i18n=nav_dashboard]').textContent") == "Dashboard"
    browser.get(server + "/#/")
    browser.wait_for("return document.querySelectorAll('path.incident-marker').length", what="markers (en)")
    assert browser.run("return document.documentElement.dir") == "ltr"  # the choice is remembered
    assert _rect(browser, ".brand")["left"] < 60
    header = browser.run("return document.querySelector('#incidents thead th').textContent")
    assert header == "Date"
    browser.screenshot(shots / "dashboard-en.png")
    browser.click("#lang-toggle")  # back to Arabic for the next test
    assert browser.run("return document.documentElement.dir") == "rtl"


def test_hostile_article_renders_inert(server: str, browser: Browser, shots: Path) -> None:
    browser.get(server + "/#/article/test-hostile")
    browser.wait_for("return document.querySelector('#article-text mark') !== null", what="hostile article")
    text = browser.run("return document.querySelector('#article-text').textContent")
    assert XSS_SCRIPT in text and 'onerror="window.__xss = 2"' in text
    assert browser.run("return document.querySelectorAll('#view-article img, #view-article script').length") == 0
    assert browser.run("return document.querySelector('.article-title').textContent").endswith(XSS_SCRIPT)
    # The gloss with markup is a title and text, the javascript: URL is not a link.
    gloss = browser.run("return document.querySelector('#article-text mark.ent-LOC').title")
    assert gloss.startswith('Aleppo"><img')
    hrefs = browser.run("return [...document.querySelectorAll('#view-article a')].map(a => a.getAttribute('href'))")
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    time.sleep(0.5)
    _no_xss(browser)
    severe = [entry for entry in browser.logs() if entry.get("level") == "SEVERE"
              and "Content Security Policy" in entry.get("message", "")]
    assert severe == [], severe  # nothing of ours (or theirs) tried to break the CSP
    browser.screenshot(shots / "hostile-ar.png")
    # And the CSP itself: an inline script slipped into the page does not run.
    browser.run("const s = document.createElement('script'); s.textContent = 'window.__xss = 8';"
                "document.body.append(s);")
    _no_xss(browser)
    assert any("Content Security Policy" in entry.get("message", "") for entry in browser.logs())


def test_api_docs_page_runs_under_the_csp(server: str, browser: Browser, shots: Path) -> None:
    browser.get(server + "/docs")
    browser.wait_for("return document.querySelectorAll('.swagger-ui .opblock').length >= 9", what="Swagger UI")
    assert "/api/events" in browser.run("return document.body.textContent")
    blocked = [entry for entry in browser.logs() if "Content Security Policy" in entry.get("message", "")]
    assert blocked == [], blocked
    browser.screenshot(shots / "docs.png")


def test_an_untold_toll_is_no_zero(server: str, browser: Browser) -> None:
    listed = httpx.get(f"{server}/api/incidents", params={"limit": 1000}).json()["items"]
    untold = next(i for i in listed if "test-ramadi-untold" in i["articles"])
    assert untold["fatalities"] is None
    browser.get(server + "/#/")
    incident_id = untold["id"]
    row = f'#incidents tbody tr[data-id="{incident_id}"]'
    browser.wait_for(f"return document.querySelector('{row}') !== null", what="the untold-toll row")
    cells = browser.run(f"return [...document.querySelectorAll('{row} td.num')].map(td => td.textContent)")
    assert cells[0] == "–"  # fatalities: unknown, not 0
    browser.click(f"{row} a")
    browser.wait_for("return document.querySelector('#view-incident dl') !== null", what="incident page")
    shown = browser.run(
        "const dt = [...document.querySelectorAll('#view-incident dl dt')].find(d => d.textContent === 'القتلى');"
        "return dt && dt.nextElementSibling.textContent")
    assert shown == "–"
