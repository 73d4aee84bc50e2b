"""Near-duplicate articles: MinHash signatures over normalised word shingles, banded for LSH.

The same wire story runs in several outlets with a different headline, a dropped
paragraph or an added dateline; some outlets publish it twice. Articles are compared
by the Jaccard similarity of their sets of word 3-grams. `signature` of a text takes
the words of `normalize_key` (hamza/alef/ya/ta marbuta folded, punctuation dropped);
the store signs each article's full-text terms instead (`signature_of_joined`): the same
folding, with clitics stripped too (والحشد and للحشد are one word), and computed once.
A signature has `NUM_PERM` MinHash values; it is cut into `BANDS` bands of `ROWS` values,
and each band is hashed into a key (`band_keys`). The store keeps the signatures and
builds a `BandIndex` of their keys in memory when it first needs it; candidates sharing a
key are confirmed by the signature's Jaccard estimate (`NEAR_DUPLICATE`).

Scheme (`SCHEME`): a shingle's 32-bit hash is the high half of the MurmurHash3 64-bit
finalizer of the polynomial hash (mod 2^64) of its UTF-8 bytes, so word order matters;
MinHash value k is the minimum over the shingles of `a_k * h + b_k mod 2^32` (`a_k` odd:
a bijection), as datasketch's "affine32". All of it runs in numpy over whole arrays (the
shingles' polynomial hashes come from prefix sums of the joined text), several times
cheaper than a SHA-1 per shingle. The constants come from a fixed SplitMix64 stream, not
from Python's randomised `hash` or a library's generator: stored signatures stay comparable
across processes, machines and versions. Changing any of it changes every signature: add a
store migration that recomputes them (as `rasd.store.schema` steps 8 and 12 did).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice

import numpy as np

from rasd.text.normalize import normalize_long_text

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 x 4 = 128; pairs at Jaccard 0.5 share a bucket with p = 0.87, at 0.3 with p = 0.23
SHINGLE = 3  # words per shingle: long enough that two unrelated articles share few
NEAR_DUPLICATE = 0.5  # estimated Jaccard at or above which two articles are the same story
MIN_SHINGLES = 8  # shorter texts (a headline alone) say too little to call a duplicate
# Stored signatures are only comparable under one scheme: its name says what it computes.
SCHEME = "utf8-poly64-fmix64-trigrams-affine32"


def _splitmix64(state: int) -> Iterator[int]:
    """SplitMix64 (Steele et al. 2014): the fixed stream the scheme's constants are drawn from."""
    mask = (1 << 64) - 1
    while True:
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        yield z ^ (z >> 31)


def _constants() -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The shingle polynomial's base, the (a, b) permutation columns, the band's per-row weights."""
    draws = _splitmix64(0x5241_5344)  # "RASD"
    base = next(draws) | 1  # odd: invertible mod 2^64
    pairs = list(islice(draws, NUM_PERM))
    a = np.array([(d >> 32) | 1 for d in pairs], dtype=np.uint32).reshape(-1, 1)
    b = np.array([d & 0xFFFFFFFF for d in pairs], dtype=np.uint32).reshape(-1, 1)
    row = np.array([d | 1 for d in islice(draws, ROWS)], dtype=np.uint64)
    return base, a, b, row


_BASE, _A, _B, _ROW = _constants()
_POWERS_KEPT = 1 << 20  # bytes of text whose powers stay cached (16 MB); a longer text computes its own
_powers_cache: list[tuple[np.ndarray, np.ndarray]] = []  # the longest (powers, inverses) computed so far


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(P^j, P^-j mod 2^64) for j < at least n, P = `_BASE` (odd, so invertible mod 2^64)."""
    if _powers_cache and len(_powers_cache[0][0]) >= n:
        return _powers_cache[0]
    size = max(1 << 15, 1 << (n - 1).bit_length())
    powers = []
    for base in (_BASE, pow(_BASE, -1, 1 << 64)):
        steps = np.full(size, base, dtype=np.uint64)
        steps[0] = 1
        powers.append(np.cumprod(steps, dtype=np.uint64))  # wraps: exactly mod 2^64
    out = (powers[0], powers[1])
    if size <= _POWERS_KEPT:
        _powers_cache[:] = [out]
    return out


def _fmix64(h: np.ndarray) -> None:
    """MurmurHash3's 64-bit finalizer, in place: every input bit reaches every output bit."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)


_WORD = re.compile(r"[^\W_]+")


def key_words(text: str) -> list[str]:
    """The words of `normalize_key(text)` (same result, several times faster on whole articles).

    A word is a maximal run of `str.isalnum` characters (what `[^\\W_]` matches). Most
    whitespace-separated chunks of an article are one such run: they are kept whole, and
    only the others (with punctuation, digits' separators...) go through the regex, which
    alone costs a third of a millisecond on a 4,000-character article.
    """
    words: list[str] = []
    keep = words.append
    for chunk in normalize_long_text(text).split():  # whitespace is never alphanumeric
        if chunk.isalnum():
            keep(chunk)
        else:
            words += _WORD.findall(chunk)
    return words


def shingles(text: str | list[str]) -> set[bytes]:
    """Word `SHINGLE`-grams of the normalised text (or of its `key_words`), as UTF-8 bytes.

    The set whose Jaccard similarity `signature` estimates (used to check it, not to compute it).
    """
    words = key_words(text) if isinstance(text, str) else text
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    encoded = " ".join(words).encode().split(b" ")  # no word holds a space
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(SHINGLE)), strict=False)))  # n-grams end with the text


def shingle_hashes(words: list[str], joined: bytes | None = None) -> np.ndarray:
    """The 32-bit hashes of the word `SHINGLE`-grams of `words`, in text order (uint32, repeats kept).

    A shingle's hash is the high half of `_fmix64` of the polynomial hash (base `_BASE`, mod
    2^64) of the same UTF-8 bytes `shingles` gives. All shingles are hashed at once from the
    prefix sums of the joined text (`joined`: `" ".join(words).encode()`, if the caller has it).
    """
    joined = joined if joined is not None else " ".join(words).encode()
    if len(words) >= SHINGLE and joined.count(b" ") != len(words) - 1:  # (shorter: no shingle to hash)
        raise ValueError("a word holds a space: pass key_words")
    return _shingle_hashes(len(words), joined)


def _shingle_hashes(n_words: int, joined: bytes) -> np.ndarray:
    """`shingle_hashes` of the `n_words` words in `joined`, single-space separated."""
    count = n_words - SHINGLE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    data = np.frombuffer(joined, dtype=np.uint8)
    spaces = np.flatnonzero(data == 32)
    powers, inverses = _powers(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(data * powers[: len(data)], out=prefix[1:])  # prefix[j] = sum of byte_i * P^i, i < j
    starts = np.concatenate(([0], spaces[: count - 1] + 1))  # of shingle i: its first word's first byte
    ends = np.concatenate((spaces[SHINGLE - 1 :], [len(data)]))  # its last word's end
    h = (prefix[ends] - prefix[starts]) * inverses[starts]  # sum of byte_i * P^(i - start), mod 2^64
    _fmix64(h)
    return (h >> np.uint64(32)).astype(np.uint32)


def signature(text: str | list[str], joined: bytes | None = None) -> np.ndarray | None:
    """The MinHash signature (`NUM_PERM` uint64) of `text` (or its `key_words`, and then optionally
    `joined`, their UTF-8 bytes joined by spaces); None when too short."""
    words = key_words(text) if isinstance(text, str) else text
    if len(words) < SHINGLE + MIN_SHINGLES - 1:  # fewer than MIN_SHINGLES shingles, however distinct
        return None
    return _minhash(shingle_hashes(words, joined if not isinstance(text, str) else None))


def signature_of_joined(joined: bytes) -> np.ndarray | None:
    """`signature` of words that are already normalised, given joined by single spaces as UTF-8:
    the store signs its full-text terms so, without a second pass over the article's text."""
    n_words = joined.count(b" ") + 1 if joined else 0
    if n_words < SHINGLE + MIN_SHINGLES - 1:
        return None
    return _minhash(_shingle_hashes(n_words, joined))


def _minhash(hashes: np.ndarray) -> np.ndarray | None:
    hashes.sort()  # a repeated shingle changes no minimum, but must not count twice
    if np.count_nonzero(hashes[1:] != hashes[:-1]) + 1 < MIN_SHINGLES:
        return None
    # one row per permutation: the min is then a reduction along contiguous memory (3x faster)
    permuted = _A * hashes.reshape(1, -1)  # uint32: the wraparound is the mod 2^32
    permuted += _B
    return permuted.min(axis=1).astype(np.uint64)


def text_hash(joined: bytes) -> str:
    """The exact-copy key of words joined as `signature_of_joined` takes them: equal for two texts
    with the same words in the same order."""
    return hashlib.sha256(joined).hexdigest()


def to_bytes(sig: np.ndarray) -> bytes:
    """4 bytes a value: every value is a minimum of 32-bit hashes."""
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    """A stored signature: 4 bytes a value, or 8 as they were stored before (same values)."""
    raw = bytes(data)
    return np.frombuffer(raw, dtype="<u4" if len(raw) == 4 * NUM_PERM else "<u8").astype(np.uint64)


_BAND_STEP = np.uint64(0x9E3779B97F4A7C15)  # odd: each band's buckets are shifted apart


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """The LSH keys of one signature (`BANDS` uint64) or of a matrix of them (one row each).

    A band's bucket is the sum of its `ROWS` values weighted by odd 64-bit constants, mod 2^64:
    two bands differing in one value never share it. The band number times an odd constant is
    added, so that one sorted array holds every band. Two different bands share a key with
    p ~ 2^-64: a shared key only costs a signature comparison. No mixing: only equality
    matters. The keys are never stored: the index is built from the signatures.
    """
    rows = sigs.astype(np.uint64).reshape(*sigs.shape[:-1], BANDS, ROWS)
    return rows @ _ROW + np.arange(BANDS, dtype=np.uint64) * _BAND_STEP  # wraps: mod 2^64


class BandIndex:
    """The LSH buckets of the stored articles, in memory: which articles have each band key.

    Most keys sit in two parallel sorted numpy arrays (key, article number: 12 bytes a key,
    384 an article); the latest ones in a dict of tuples, merged into the arrays every
    `MERGE_AT` keys with one linear pass. Articles are numbered as they are added; a removed
    key still in the arrays is remembered (`_removed`) until the next merge drops it.
    Neither the dict's ints and tuples nor the arrays are walked by the cyclic collector.
    """

    MERGE_AT = 1 << 17  # keys (4,096 articles) held in the dict before a merge

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._owners = np.empty(0, dtype=np.int32)
        self._recent: dict[int, tuple[int, ...]] = {}
        self._n_recent = 0
        self._removed: set[tuple[int, int]] = set()  # (key, article number) still in the arrays
        self._ids: list[str] = []
        self._numbers: dict[str, int] = {}

    @classmethod
    def of(cls, batches: Iterable[list[tuple[str, np.ndarray]]]) -> BandIndex:
        """The index of (article id, signature) pairs, given in batches (one sort at the end)."""
        index, keys, owners = cls(), [], []
        for batch in batches:
            if batch:
                numbers = [index._number(did) for did, _ in batch]
                keys.append(band_keys(np.stack([sig for _, sig in batch])).ravel())
                owners.append(np.repeat(np.array(numbers, dtype=np.int32), BANDS))
        if keys:
            all_keys, all_owners = np.concatenate(keys), np.concatenate(owners)
            order = np.argsort(all_keys, kind="stable")
            index._keys, index._owners = all_keys[order], all_owners[order]
        return index

    def __len__(self) -> int:
        """Keys held (`BANDS` an article)."""
        return len(self._keys) + self._n_recent - len(self._removed)

    def add(self, article_id: str, keys: np.ndarray) -> None:
        number = self._number(article_id)
        recent = self._recent
        for key in keys.tolist():
            recent[key] = recent.get(key, ()) + (number,)
        self._n_recent += len(keys)
        if self._n_recent >= self.MERGE_AT:
            self._merge()

    def remove(self, article_id: str, keys: np.ndarray) -> None:
        number = self._numbers.get(article_id)
        if number is None:
            return
        for key in keys.tolist():
            held = self._recent.get(key, ())
            if number in held:
                rest = tuple(n for n in held if n != number)
                if rest:
                    self._recent[key] = rest
                else:
                    del self._recent[key]
                self._n_recent -= 1
            else:
                self._removed.add((key, number))

    def candidates(self, keys: np.ndarray) -> set[str]:
        """The ids of the articles sharing at least one key with `keys`."""
        found: set[int] = set()
        for key in keys.tolist():
            found.update(self._recent.get(key, ()))
        if len(self._keys):
            starts = np.searchsorted(self._keys, keys, side="left").tolist()
            ends = np.searchsorted(self._keys, keys, side="right").tolist()
            removed = self._removed
            for key, start, end in zip(keys.tolist(), starts, ends, strict=True):
                if start < end:
                    owners = self._owners[start:end].tolist()
                    found.update([n for n in owners if (key, n) not in removed] if removed else owners)
        return {self._ids[n] for n in found}

    def _number(self, article_id: str) -> int:
        number = self._numbers.get(article_id)
        if number is None:
            number = self._numbers[article_id] = len(self._ids)
            self._ids.append(article_id)
        return number

    def _merge(self) -> None:
        """Move the dict's keys into the sorted arrays (dropping the removed ones there)."""
        if self._removed:
            keep = np.ones(len(self._keys), dtype=bool)
            for key, number in self._removed:
                start = int(np.searchsorted(self._keys, np.uint64(key), side="left"))
                end = int(np.searchsorted(self._keys, np.uint64(key), side="right"))
                keep[start:end] &= self._owners[start:end] != number
            self._keys, self._owners = self._keys[keep], self._owners[keep]
            self._removed.clear()
        if self._recent:
            counts = [len(numbers) for numbers in self._recent.values()]
            keys = np.repeat(np.fromiter(self._recent, dtype=np.uint64, count=len(counts)), counts)
            owners = np.fromiter(chain.from_iterable(self._recent.values()), dtype=np.int32,
                                 count=len(keys))
            order = np.argsort(keys, kind="stable")
            keys, owners = keys[order], owners[order]
            at = np.searchsorted(self._keys, keys, side="right")
            self._keys, self._owners = np.insert(self._keys, at, keys), np.insert(self._owners, at, owners)
        self._recent.clear()
        self._n_recent = 0


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)
