"""The pipeline and the data model: stage order, workers, SCHEMA.md round trip."""

from __future__ import annotations

import gc
import json

import pytest

import rasd
from rasd.doc import Article, Doc, Quarantined
from rasd.errors import RasdError
from rasd.ingest import read_paths
from rasd.pipeline import Pipeline, PipelineConfig, analyze_many


def test_python_api_on_the_seed(seed_path):
    doc = rasd.analyze_file(seed_path)
    assert doc.title.startswith("سقوط صاروخ قرب السفارة الأمريكية ببغداد")
    assert doc.text.startswith(doc.title + "\n\n")
    for token in doc.tokens:
        assert doc.text[token.start : token.end] == token.text
    for entity in doc.entities:
        for mention in entity.mentions:
            assert doc.text[mention.start : mention.end] == mention.text


def test_schema_round_trip(seed_path):
    doc = rasd.analyze_file(seed_path)
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert {"id", "title", "body", "entities", "events"} <= set(data)
    again = Doc.from_dict(data)
    assert again.to_dict() == doc.to_dict()


def test_workers_give_the_same_results_in_order(dev_input_path):
    articles = list(read_paths([dev_input_path]))[:20]
    one = [d.to_dict() for d in analyze_many(articles, workers=1)]
    two = [d.to_dict() for d in analyze_many(articles, workers=2)]
    assert [d["id"] for d in one] == [a.id for a in articles]
    assert one == two


def _doc_id(doc, article):
    return doc.id


def test_batches_in_flight_keep_input_order_and_read_the_input_in_the_caller(dev_input_path, monkeypatch):
    import threading

    from rasd import pipeline

    monkeypatch.setattr(pipeline, "BATCH", 4)  # several batches, the next always queued before one is handed out
    articles = list(read_paths([dev_input_path]))[:14]
    items = [*articles[:5], Quarantined(path="feed.jsonl", line=3, reason="unreadable line"), *articles[5:]]
    readers = set()

    def source():
        for item in items:
            readers.add(threading.get_ident())  # `rasd ingest`'s input queries the store: the caller's thread only
            yield item

    results = list(analyze_many(source(), workers=2, finish=_doc_id))
    assert readers == {threading.get_ident()}
    assert results[:5] == [a.id for a in articles[:5]]
    assert results[5] is items[5]
    assert results[6:] == [a.id for a in articles[5:]]


def test_the_pool_does_not_wake_for_every_result(dev_input_path, monkeypatch):
    """CPython's Pool woke its maintenance thread whenever a result was waiting to be read:
    hundreds of times for these articles (thousands on a corpus), CPU taken from the workers."""
    import multiprocessing.pool

    wakeups = []
    wait = multiprocessing.pool.Pool._wait_for_updates

    def counted(sentinels, change_notifier, timeout=None):
        wakeups.append(len(sentinels))
        return wait(sentinels, change_notifier, timeout)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_wait_for_updates", staticmethod(counted))
    articles = list(read_paths([dev_input_path]))[:40]
    results = list(analyze_many(articles, workers=2, finish=_doc_id))
    assert results == [a.id for a in articles]
    assert len(wakeups) <= 5


def test_a_failing_article_is_quarantined_not_fatal():
    class Exploding:
        name, requires, assigns = "boom", ("text",), ()

        def __call__(self, doc):
            if "انفجار" in doc.body:
                raise RuntimeError("stage failed")
            return doc

    pipeline = Pipeline(PipelineConfig(stages=("tokens",)))
    pipeline.stages.append(Exploding())
    from rasd.pipeline import _safe_analyse

    good = _safe_analyse(pipeline, Article(id="ok", text="عنوان\nخبر عادي."))
    bad = _safe_analyse(pipeline, Article(id="bad", text="عنوان\nوقع انفجار.", path="feed.jsonl:7"))
    assert isinstance(good, Doc)
    assert isinstance(bad, Quarantined) and "stage failed" in bad.reason and bad.path == "feed.jsonl:7"


def test_workers_that_cannot_start_fail_the_run_with_a_message(monkeypatch):
    """A pipeline that cannot be built (a lexicon missing, a broken install) used to make the pool
    start worker after worker, each failing, and the run hang without a word."""
    import signal

    import rasd.pipeline as pipeline_module
    from rasd.errors import ResourceError

    def broken(*args, **kwargs):
        raise ResourceError("lexicon triggers.tsv not found")

    monkeypatch.setattr(pipeline_module, "Pipeline", broken)  # the forked workers inherit it
    articles = [Article(id=f"a{i}", text="عنوان\nقتل ثلاثة مدنيين في انفجار ببغداد.") for i in range(4)]
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the run hung"))
    signal.alarm(60)
    try:
        with pytest.raises(ResourceError, match="could not start in a worker process.*triggers.tsv"):
            list(analyze_many(articles, workers=2))
    finally:
        signal.alarm(0)


def test_stage_order_is_checked():
    from rasd.pipeline import STAGES

    with pytest.raises(RasdError, match="requires"):
        Pipeline(PipelineConfig(stages=("entities", "tokens")))
    assert {"tokens", "entities"} <= set(STAGES)


def test_analyze_file_raises_a_clear_error_for_bad_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    with pytest.raises(RasdError, match="empty.txt: empty file"):
        rasd.analyze_file(path)


def test_public_analyze_is_callable_after_stage_modules_are_imported():
    import rasd.analyze.entities  # noqa: F401 - importing a stage rebinds rasd.analyze to the package

    doc = rasd.analyze("انفجار في بغداد\n\nقتل ثلاثة أشخاص في انفجار ببغداد.", published="2015-07-20")
    assert doc.title == "انفجار في بغداد" and doc.published == "2015-07-20"
    assert any(e.name_en == "Baghdad" for e in doc.entities)


def test_loaded_resources_leave_the_garbage_collectors_sight_after_the_first_article():
    pipeline = Pipeline()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    doc = pipeline(Article(id="gc", text="مقتل 3 جنود بهجوم للحوثيين في تعز\n\nقالت مصادر محلية إن الهجوم وقع أمس."))
    assert doc.events  # the article went through every stage
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the KB, gazetteer, lexicons and the model's tables
    pipeline(Article(id="gc2", text="تظاهرة في بغداد\n\nتظاهر المئات في بغداد أمس."))
    assert gc.get_freeze_count() <= frozen  # frozen once, not at every article (refcounting may still free some)
