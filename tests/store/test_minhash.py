"""The near-duplicate fingerprints: what they compute, that they find copies of real articles, that
they are the same in every process, and that a store signed under the old scheme is migrated."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import old_minhash
import pytest
from store_docs import has_table, old_bands, restore_lsh_table

from rasd.dedup import minhash
from rasd.doc import Doc
from rasd.store import open_store
from rasd.store.search import terms_of_doc
from rasd.text.normalize import normalize, normalize_key, normalize_long_text

DATELINE = "الرياض - واس:"
MASK64 = (1 << 64) - 1


def _records(dev_input_path) -> list[dict]:  # noqa: ANN001
    with open(dev_input_path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _texts(dev_input_path) -> list[str]:  # noqa: ANN001
    records = _records(dev_input_path)[:40]
    marked = "قالَ الشاهدُ: «أُصيبَ ٣ أشخاص» ـ في إدلب\u200f، و۱۲ آخرون، ـــ يوم الأحد ٢٠١٥. F-16 ÉTÉ"
    return [r["text"] for r in records] + [marked, "", "كلمة", "_ _"]


def _docs(dev_input_path) -> list[Doc]:  # noqa: ANN001
    return [Doc(id=r["id"], title=r["title"], body=r["text"], source=r["source"]) for r in _records(dev_input_path)]


def _edited(doc: Doc, doc_id: str) -> Doc:
    """Another outlet's copy: a dateline added before the body, its shortest middle paragraph dropped."""
    paragraphs = [p for p in doc.body.split("\n") if p.strip()]
    dropped = min(range(1, len(paragraphs) - 1), key=lambda i: len(paragraphs[i].split()))
    kept = paragraphs[:dropped] + paragraphs[dropped + 1 :]
    return Doc(id=doc_id, title=doc.title, body=DATELINE + " " + "\n".join(kept), source="copy")


def _exact(a: str, b: str) -> float:
    x, y = minhash.shingles(a), minhash.shingles(b)
    return len(x & y) / len(x | y)


def test_key_words_are_the_words_of_normalize_key(dev_input_path) -> None:  # noqa: ANN001
    for text in _texts(dev_input_path):
        assert normalize_long_text(text) == normalize(text)
        assert minhash.key_words(text) == normalize_key(text).split()


def test_key_words_split_like_the_word_regex_on_awkward_text() -> None:
    # Chunks that are not one alphanumeric run: punctuation inside, underscores, Arabic
    # comma and question mark, tatweel, separators that str.split() treats as whitespace
    # (U+001C, NBSP) and ones it does not (U+200B); each must split exactly as the regex does.
    text = ("قال_المتحدث: «الحشد»،والجيش؟ 1,000 قتيل—و25٪ جرحى ISIS-K\u001cداعش\u00a0بغداد"
            "\u200bالموصل  ـالرماديـ a_b __ ١٢٣ د.ع  U.S.A ابو\u200cبكر")
    assert minhash.key_words(text) == minhash._WORD.findall(normalize_long_text(text))
    assert minhash.key_words(text) == normalize_key(text).split()
    words = minhash.key_words(text)
    assert {"بغداد", "الموصل", "الرمادي", "123", "ابوبكر"} <= set(words)  # U+200B splits, ZWNJ is dropped


def _fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


def _reference_hash(gram: bytes) -> int:
    """The documented shingle hash, one byte at a time in Python integers."""
    h, power = 0, 1
    for byte in gram:
        h = (h + byte * power) & MASK64
        power = (power * minhash._BASE) & MASK64
    return _fmix64(h) >> 32


def test_signature_is_the_documented_scheme(dev_input_path) -> None:  # noqa: ANN001
    """The numpy prefix-sum hashes are the per-shingle definition; the signature is the affine min over them."""
    a = [int(v) for v in minhash._A.ravel()]
    b = [int(v) for v in minhash._B.ravel()]
    compared = 0
    for text in _texts(dev_input_path):
        words = minhash.key_words(text)
        grams = [" ".join(words[i : i + minhash.SHINGLE]).encode() for i in range(len(words) - minhash.SHINGLE + 1)]
        assert minhash.shingle_hashes(words).tolist() == [_reference_hash(g) for g in grams]
        signature = minhash.signature(text)
        joined = " ".join(words).encode()  # as `prepare` passes the words it also hashes whole
        assert minhash.shingle_hashes(words, joined).tolist() == minhash.shingle_hashes(words).tolist()
        assert str(minhash.signature(words, joined)) == str(signature)
        if len(set(grams)) < minhash.MIN_SHINGLES:
            assert signature is None
            continue
        hashes = {_reference_hash(g) for g in grams}
        assert signature is not None and signature.dtype == np.uint64
        assert signature.tolist() == [min((ak * h + bk) & 0xFFFFFFFF for h in hashes) for ak, bk in zip(a, b, strict=True)]
        weights = [int(w) for w in minhash._ROW]
        buckets = [sum(w * int(v) for w, v in zip(weights, signature[i : i + minhash.ROWS], strict=True)) & MASK64
                   for i in range(0, minhash.NUM_PERM, minhash.ROWS)]
        step = int(minhash._BAND_STEP)
        assert minhash.band_keys(signature).tolist() == [(k + band * step) & MASK64 for band, k in enumerate(buckets)]
        compared += 1
    assert compared >= 30


def test_signature_values_are_pinned() -> None:
    """Stored signatures are compared with new ones for ever: a change to these values needs a migration."""
    text = "قتل 32 شخصا في تفجير انتحاري استهدف مركزا ثقافيا في بلدة سروج التركية قرب الحدود السورية"
    signature = minhash.signature(text)
    assert signature is not None
    assert signature[:6].tolist() == PINNED_VALUES


PINNED_VALUES = [71685292, 297627336, 76814305, 337781138, 68196283, 699682407]


def test_signatures_are_the_same_in_other_processes(dev_input_path) -> None:  # noqa: ANN001
    """Not Python's per-process string hash: what one process stores, another compares."""
    texts = [r["title"] + "\n\n" + r["text"] for r in _records(dev_input_path)[:8]]
    here = [minhash.to_bytes(minhash.signature(t)).hex() for t in texts]
    script = ("import json, sys\nfrom rasd.dedup import minhash\n"
              "texts = json.load(sys.stdin)\n"
              "print(json.dumps([minhash.to_bytes(minhash.signature(t)).hex() for t in texts]))")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True,
                              env=env, check=True, timeout=120)
        assert json.loads(done.stdout) == here


def test_copies_of_real_articles_share_a_bucket_and_unrelated_ones_do_not(dev_input_path) -> None:  # noqa: ANN001
    docs = _docs(dev_input_path)
    edited = 0
    for doc in docs:
        original = minhash.signature(doc.text)
        assert original is not None
        assert minhash.similarity(original, minhash.signature(doc.text)) == 1.0  # a verbatim copy
        if sum(1 for p in doc.body.split("\n") if p.strip()) < 4:
            continue
        copy = _edited(doc, "copy").text
        assert _exact(doc.text, copy) >= 0.6  # the edit is light: a near copy by the exact measure
        signature = minhash.signature(copy)
        assert minhash.similarity(original, signature) >= minhash.NEAR_DUPLICATE
        assert set(minhash.band_keys(original).tolist()) & set(minhash.band_keys(signature).tolist())
        edited += 1
    assert edited >= 12
    signatures = [minhash.signature(doc.text) for doc in docs]
    for (i, a), (j, b) in itertools.combinations(enumerate(signatures), 2):  # different stories
        assert _exact(docs[i].text, docs[j].text) < 0.1
        assert minhash.similarity(a, b) < 0.2
        assert not set(minhash.band_keys(a).tolist()) & set(minhash.band_keys(b).tolist())


def _sign_old(store) -> None:  # noqa: ANN001 - a SQLStore
    """Make `store` a version-7 store: old-scheme signatures and bands, as earlier versions wrote them."""
    restore_lsh_table(store)
    with store._transaction():
        store._execute("DELETE FROM lsh_bands")
        for row in store._fetch("SELECT id, title, body FROM articles"):
            signature = old_minhash.signature(Doc(id=row["id"], title=row["title"], body=row["body"]).text)
            store._execute("UPDATE articles SET minhash = ? WHERE id = ?",  # 8 bytes a value, as then
                           [signature.astype("<u8").tobytes(), row["id"]])
            store._executemany("INSERT INTO lsh_bands (band, bucket, article_id) VALUES (?, ?, ?)",
                               [[band, bucket, row["id"]] for band, bucket in old_minhash.bands(signature)])
        store._execute("DELETE FROM schema_version WHERE version >= 8")


def _signatures(store) -> dict[str, bytes]:  # noqa: ANN001
    return {r["id"]: bytes(r["minhash"]) for r in store._fetch("SELECT id, minhash FROM articles")}


def _links(store) -> list[tuple]:  # noqa: ANN001
    rows = store._fetch("SELECT article_id, duplicate_of, kind, similarity FROM article_duplicates")
    return sorted((r["article_id"], r["duplicate_of"], r["kind"], r["similarity"]) for r in rows)


def test_an_old_scheme_store_is_resigned_and_links_a_new_copy(db_url: str, dev_input_path) -> None:  # noqa: ANN001
    docs = [d for d in _docs(dev_input_path) if sum(1 for p in d.body.split("\n") if p.strip()) >= 4][:6]
    with open_store(db_url) as store:
        store.add_docs(docs)
        store.add_docs([Doc(id="again", title=docs[0].title, body=docs[0].body, source="copy")])  # an exact link
        _sign_old(store)
        links = _links(store)
        assert [link[:3] for link in links] == [("again", docs[0].id, "exact")]
        assert store.schema_version() < 8
    copy = _edited(docs[1], "copy-1")
    old_signature = old_minhash.signature(docs[1].text)
    # why the migration is needed: under the new scheme the copy matches no old-scheme value or bucket
    assert minhash.similarity(old_signature, minhash.signature(copy.text)) < 0.1
    assert not set(old_minhash.bands(old_signature)) & set(old_bands(minhash.signature(copy.text)))
    with open_store(db_url) as store:
        assert store.schema_version() >= 8
        rows = store._fetch("SELECT id, minhash FROM articles ORDER BY id")
        # signed as the store signs since step 12: its full-text terms
        expected = {d.id: minhash.signature_of_joined(terms_of_doc(d).encode()) for d in docs}
        expected["again"] = expected[docs[0].id]
        assert {r["id"]: minhash.from_bytes(r["minhash"]).tolist() for r in rows} == \
            {k: v.tolist() for k, v in expected.items()}
        assert not has_table(store, "lsh_bands")  # step 13: the LSH index is built in memory
        assert _links(store) == links  # links already made stay
        summary = store.add_docs([copy])
        assert summary.duplicates == 1
        link = store._fetch("SELECT duplicate_of, kind, similarity FROM article_duplicates WHERE article_id = ?",
                            ["copy-1"])
        assert [(r["duplicate_of"], r["kind"]) for r in link] == [(docs[1].id, "near")]
        assert link[0]["similarity"] >= minhash.NEAR_DUPLICATE


def test_a_store_with_an_lsh_table_drops_it_and_links_a_new_copy_from_memory(tmp_path, dev_input_path) -> None:  # noqa: ANN001
    """A version-9 SQLite store (`lsh_bands` keyed by text id) goes through step 10's rekeying and
    step 13's drop; its articles are then found through the in-memory index."""
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    docs = [d for d in _docs(dev_input_path) if sum(1 for p in d.body.split("\n") if p.strip()) >= 4][:6]
    with open_store(url) as store:
        store.add_docs(docs)
        restore_lsh_table(store)
        with store._transaction():
            store._execute("DELETE FROM schema_version WHERE version >= 10")
    with open_store(url) as store:
        assert store.schema_version() >= 13
        assert not has_table(store, "lsh_bands")
        summary = store.add_docs([_edited(docs[1], "copy-1")])
        assert summary.duplicates == 1
        link = store._fetch("SELECT duplicate_of, kind FROM article_duplicates WHERE article_id = ?", ["copy-1"])
        assert [(r["duplicate_of"], r["kind"]) for r in link] == [(docs[1].id, "near")]
        assert len(store._band_index(without="")) == (len(docs) + 1) * minhash.BANDS


def test_signatures_are_stored_in_4_bytes_a_value_and_8_byte_ones_still_read(dev_input_path) -> None:  # noqa: ANN001
    for doc in _docs(dev_input_path)[:5]:
        signature = minhash.signature(doc.text)
        assert signature is not None
        stored = minhash.to_bytes(signature)
        assert len(stored) == 4 * minhash.NUM_PERM
        assert minhash.from_bytes(stored).tolist() == signature.tolist()
        assert minhash.from_bytes(signature.astype("<u8").tobytes()).tolist() == signature.tolist()
        assert minhash.band_keys(minhash.from_bytes(stored)).tolist() == minhash.band_keys(signature).tolist()


@pytest.mark.parametrize("words", [["كلمة"] * 3, ["قال", "الشاهد", "ان"] * 4])
def test_too_few_distinct_shingles_have_no_signature(words: list[str]) -> None:
    assert minhash.signature(words) is None


def _with_conjunction(doc: Doc, doc_id: str) -> Doc:
    """A copy-desk edit: و put before each كان/قال that lacks it, the Arabic commas dropped."""
    body = doc.body
    for word in ("كان", "قال"):
        body = body.replace(f" {word} ", f" و{word} ")
    return Doc(id=doc_id, title=doc.title, body=body.replace("،", ""), source="copy")


def test_the_store_signs_its_full_text_terms_and_a_clitic_edit_is_an_exact_copy(db_url: str, dev_input_path) -> None:  # noqa: ANN001
    docs = [d for d in _docs(dev_input_path) if " قال " in d.body or " كان " in d.body][:4]
    assert len(docs) == 4
    copy = _with_conjunction(docs[0], "copy-0")
    assert minhash.key_words(copy.text) != minhash.key_words(docs[0].text)  # not the same words by key_words
    with open_store(db_url) as store:
        store.add_docs(docs)
        rows = {r["id"]: r for r in store._fetch("SELECT id, terms, text_hash, minhash FROM articles")}
        for doc in docs:
            terms = rows[doc.id]["terms"].encode()
            assert rows[doc.id]["text_hash"] == minhash.text_hash(terms)
            assert minhash.from_bytes(rows[doc.id]["minhash"]).tolist() == minhash.signature_of_joined(terms).tolist()
        assert store.add_docs([copy]).duplicates == 1
        link = store._fetch("SELECT duplicate_of, kind, similarity FROM article_duplicates WHERE article_id = ?",
                            ["copy-0"])
        assert [(r["duplicate_of"], r["kind"], r["similarity"]) for r in link] == [(docs[0].id, "exact", 1.0)]


def test_a_store_signed_from_key_words_is_resigned_from_its_terms(db_url: str, dev_input_path) -> None:  # noqa: ANN001
    docs = [d for d in _docs(dev_input_path) if " قال " in d.body or " كان " in d.body][:4]
    with open_store(db_url) as store:
        store.add_docs(docs)
        expected = _signatures(store)
        restore_lsh_table(store)
        with store._transaction():  # as steps 8 to 11 left it: hashes and signatures of key_words
            for doc in docs:
                words = minhash.key_words(doc.text)
                joined = " ".join(words).encode()
                signature = minhash.signature(words, joined)
                store._execute("UPDATE articles SET text_hash = ?, minhash = ? WHERE id = ?",
                               [minhash.text_hash(joined), minhash.to_bytes(signature), doc.id])
            store._execute("DELETE FROM schema_version WHERE version >= 12")
        assert _signatures(store) != expected
    with open_store(db_url) as store:
        assert store.schema_version() >= 13
        assert _signatures(store) == expected
        assert store.add_docs([_with_conjunction(docs[1], "copy-1")]).duplicates == 1
        link = store._fetch("SELECT duplicate_of, kind FROM article_duplicates WHERE article_id = ?", ["copy-1"])
        assert [(r["duplicate_of"], r["kind"]) for r in link] == [(docs[1].id, "exact")]


def test_the_in_memory_index_follows_another_connections_articles(db_url: str, dev_input_path) -> None:  # noqa: ANN001
    """Two writers on one store: each finds the copies of what the other stored since its index was built."""
    docs = [d for d in _docs(dev_input_path) if sum(1 for p in d.body.split("\n") if p.strip()) >= 4][:3]
    with open_store(db_url) as first, open_store(db_url) as second:
        first.add_docs([docs[0]])  # builds its index
        assert second.add_docs([docs[1]]).stored == 1  # another connection: `first` has not seen it
        summary = first.add_docs([_edited(docs[1], "copy-1")])
        assert summary.duplicates == 1
        link = first._fetch("SELECT duplicate_of, kind FROM article_duplicates WHERE article_id = ?", ["copy-1"])
        assert [(r["duplicate_of"], r["kind"]) for r in link] == [(docs[1].id, "near")]
        # and the other way round: `second` (its index built before copy-1) finds copy-1's copy
        assert second.add_docs([Doc(id="copy-2", title="", body=_edited(docs[1], "x").body, source="c")]).duplicates == 1
        assert {r["duplicate_of"] for r in second._fetch(
            "SELECT duplicate_of FROM article_duplicates WHERE article_id = ?", ["copy-2"])} == {docs[1].id, "copy-1"}


def test_a_rolled_back_batch_leaves_nothing_in_the_index(db_url: str, dev_input_path) -> None:  # noqa: ANN001
    docs = [d for d in _docs(dev_input_path) if sum(1 for p in d.body.split("\n") if p.strip()) >= 4][:2]
    with open_store(db_url) as store:
        store.add_docs([docs[0]])

        def failing() -> Iterator[Doc]:
            yield docs[1]
            raise RuntimeError("the batch fails after its first article")

        with pytest.raises(RuntimeError):
            store.add_docs(failing())
        assert store.stats()["articles"] == 1
        # docs[1] was rolled back: its copy is not linked to it, and storing it again links nothing
        assert store.add_docs([_edited(docs[1], "copy-1")]).duplicates == 0
        assert len(store._band_index(without="")) == 2 * minhash.BANDS


def test_the_band_index_finds_what_a_scan_finds_across_merges_and_removals(dev_input_path, monkeypatch) -> None:  # noqa: ANN001
    """Real articles and their edited copies, added, replaced and looked up around the index's merges."""
    monkeypatch.setattr(minhash.BandIndex, "MERGE_AT", 3 * minhash.BANDS)  # a merge every third article
    docs = [d for d in _docs(dev_input_path) if sum(1 for p in d.body.split("\n") if p.strip()) >= 4][:16]
    signed = {d.id: minhash.signature(d.text) for d in docs}
    signed.update({f"{d.id}-copy": minhash.signature(_edited(d, "x").text) for d in docs[:8]})
    live = dict(list(signed.items())[:5])
    index = minhash.BandIndex.of([list(live.items())])
    for did, sig in list(signed.items())[5:]:
        index.add(did, minhash.band_keys(sig))
        live[did] = sig
    for did in [d.id for d in docs[:8:3]]:  # replaced by the text of another article
        index.remove(did, minhash.band_keys(live[did]))
        live[did] = signed[docs[-1].id]
        index.add(did, minhash.band_keys(live[did]))
    for merged in (False, True):  # removed keys still in the arrays, then dropped by a merge
        if merged:
            index._merge()
        for probe in list(signed.values()):
            keys = set(minhash.band_keys(probe).tolist())
            scan = {did for did, sig in live.items() if keys & set(minhash.band_keys(sig).tolist())}
            assert index.candidates(minhash.band_keys(probe)) == scan
        assert len(index) == len(live) * minhash.BANDS
    assert {docs[1].id, f"{docs[1].id}-copy"} <= index.candidates(minhash.band_keys(signed[docs[1].id]))
