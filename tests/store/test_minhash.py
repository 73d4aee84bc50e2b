"""The near-duplicate fingerprints: the fast paths give the values stored by earlier versions."""

from __future__ import annotations

import itertools
import json

import numpy as np
from datasketch import MinHash

from rasd.dedup import minhash
from rasd.text.normalize import normalize, normalize_key, normalize_long_text


def _texts(dev_input_path) -> list[str]:  # noqa: ANN001
    with open(dev_input_path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in itertools.islice(lines, 40)]
    marked = "قالَ الشاهدُ: «أُصيبَ ٣ أشخاص» ـ في إدلب\u200f، و۱۲ آخرون، ـــ يوم الأحد ٢٠١٥. F-16 ÉTÉ"
    return [r["text"] for r in records] + [marked, "", "كلمة", "_ _"]


def test_key_words_are_the_words_of_normalize_key(dev_input_path) -> None:  # noqa: ANN001
    for text in _texts(dev_input_path):
        assert normalize_long_text(text) == normalize(text)
        assert minhash.key_words(text) == normalize_key(text).split()


def test_signature_is_datasketch_affine32(dev_input_path) -> None:  # noqa: ANN001
    template = MinHash(num_perm=minhash.NUM_PERM, seed=1, scheme=minhash.SCHEME)
    compared = 0
    for text in _texts(dev_input_path):
        words = normalize_key(text).split()
        grams = {" ".join(words[i : i + minhash.SHINGLE]).encode() for i in range(len(words) - minhash.SHINGLE + 1)}
        if len(words) < minhash.SHINGLE:  # a text shorter than one shingle is one shingle
            grams = {" ".join(words).encode()} if words else set()
        assert minhash.shingles(words) == grams
        signature = minhash.signature(text)
        if len(grams) < minhash.MIN_SHINGLES:
            assert signature is None
            continue
        reference = MinHash(num_perm=minhash.NUM_PERM, seed=1, permutations=template.permutations,
                            scheme=minhash.SCHEME)
        reference.update_batch(list(grams))
        assert signature is not None and signature.dtype == np.uint64
        assert np.array_equal(signature, reference.hashvalues.astype(np.uint64))
        compared += 1
    assert compared >= 30


def test_near_copies_share_buckets_and_unrelated_texts_do_not(dev_input_path) -> None:  # noqa: ANN001
    texts = [t for t in _texts(dev_input_path) if len(t.split()) > 80][:2]
    first, other = texts
    words = first.split()
    copy = " ".join(words[: len(words) // 2] + ["وأضاف", "المصدر"] + words[len(words) // 2 :])  # an added phrase
    a, b, c = minhash.signature(first), minhash.signature(copy), minhash.signature(other)
    assert minhash.similarity(a, b) >= minhash.NEAR_DUPLICATE > minhash.similarity(a, c)
    assert set(minhash.bands(a)) & set(minhash.bands(b))
    assert not set(minhash.bands(a)) & set(minhash.bands(c))
