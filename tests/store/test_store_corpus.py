"""On the real corpus (../shared/data/corpus): kill -9 during ingest, and the Suruç bombing as one incident.

Slow: both run the whole pipeline on hundreds of articles.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasd.store import Filters, open_store

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"
SURUC_SPELLINGS = ("سروج", "سوروج", "سوروتش")
SURUC = (36.9761, 38.4253)


def _corpus_lines(keep, limit: int) -> list[str]:  # noqa: ANN001 - a predicate on the line
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not available")
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if keep(line):
                out.append(line)
                if len(out) == limit:
                    break
    return out


def _ingest(path: Path, db: str, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-c", "from rasd.cli import main; main()", "ingest", str(path), "--db", db,
               "--no-progress", "--format", "json", *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)  # its own process group: kill the workers with it


def _articles(db: str) -> int:
    try:
        with open_store(db) as store:
            return store.stats()["articles"]
    except Exception:  # noqa: BLE001 - the database may not exist yet
        return 0


@pytest.mark.slow
def test_kill_9_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    lines = _corpus_lines(lambda line: True, 1500)
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    records = [json.loads(line) for line in lines]
    unique = {r["id"] for r in records if (r.get("text") or "").strip()}  # lines without text are quarantined
    db = f"sqlite:///{tmp_path / 'rasd.db'}"
    process = _ingest(path, db, "--workers", "2")
    deadline = time.monotonic() + 120
    while _articles(db) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
    time.sleep(1.5)  # kill in the middle of a later batch
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored_at_kill = _articles(db)
    assert 0 < stored_at_kill < len(unique)
    for _ in range(2):
        rerun = _ingest(path, db, "--workers", "2")
        out, _ = rerun.communicate(timeout=1800)
        assert rerun.returncode in (0, 2), out  # 2: some article failed analysis (quarantined, kept)
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["stored"] == 0 and summary["updated"] == 0
    with open_store(db) as store:
        ids = [row["id"] for row in store._fetch("SELECT id FROM articles")]  # type: ignore[attr-defined]
        failed = {q["article_id"] for q in store.iter_quarantined()} - {None}
        assert len(ids) == len(set(ids)) and set(ids) | failed == unique and not set(ids) & failed
        assert summary["unchanged"] == len(ids)
        assert summary["quarantined"] == store.stats()["quarantined"] == len(lines) - len(unique) + len(failed)
        events = store._fetch("SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM events")  # type: ignore[attr-defined]
        assert events[0]["n"] == events[0]["d"]
        members = store._fetch(  # type: ignore[attr-defined]
            "SELECT COUNT(*) AS n FROM events e LEFT JOIN incident_members m ON m.event_id = e.id"
            " WHERE m.event_id IS NULL AND e.modality IN ('asserted', 'reported', 'claimed')")
        assert members[0]["n"] == 0  # every happened event is in exactly one incident


@pytest.mark.slow
def test_suruc_bombing_is_one_incident(tmp_path: Path) -> None:
    lines = _corpus_lines(lambda line: any(s in line for s in SURUC_SPELLINGS), 200)
    path = tmp_path / "suruc.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'rasd.db'}"
    process = _ingest(path, db)
    out, _ = process.communicate(timeout=1800)
    assert process.returncode == 0, out
    with open_store(db) as store:
        nearby = store.query_events(Filters(near=(*SURUC, 30), date_from="2015-07-19", date_to="2015-07-21",
                                            types=("Explosions/Remote violence",)), limit=5000)
        events = [e for e in nearby if e["location"]["name"] in SURUC_SPELLINGS]
        incidents = {e["incident_id"] for e in events}
        main = max(incidents, key=lambda i: sum(e["incident_id"] == i for e in events))
        in_main = [e for e in events if e["incident_id"] == main]
        assert len(in_main) >= 0.8 * len(events)
        assert len({e["location"]["name"] for e in in_main}) >= 2  # several spellings, one incident
        # the car bomb in Kobani (Syria, 10 km away) the same day is another incident
        assert not [e for e in nearby if e["incident_id"] == main and e["location"]["country"] != "TR"]
        incident = next(i for i in store.query_incidents(Filters(near=(*SURUC, 30)), limit=500) if i["id"] == main)
        assert incident["n_articles"] >= 20 and len(incident["outlets"]) >= 4
        assert 27 <= incident["fatalities"] <= 33  # 32 to 33 were killed; early reports said 27 to 30
        far = [e for e in store.query_events(limit=5000) if e["incident_id"] == main and e["location"]
               and e["location"]["lat"] is not None and abs(e["location"]["lat"] - SURUC[0]) > 2]
        assert not far  # Ankara, Istanbul, Brussels... stay out
