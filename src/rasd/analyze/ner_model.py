"""Statistical Arabic named-entity tagger: a linear-chain CRF (python-crfsuite).

Tags one sentence of words with BIO labels over PER / ORG / LOC / MISC. The model
(`rasd/data/models/ner.crfsuite`) is built by `scripts/train_ner.py` from ANERcorp
(NewsFANE optional); see `rasd/data/models/README.md` for data, licences and scores.

Speed matters (the whole entity budget is ~2 ms per article), so everything about a
word that does not depend on its context is computed once and memoised: news
vocabulary is Zipfian, and after a few articles almost every word is a cache hit.
`sentence_features` spells the features out as strings (training, reference);
`NerModel` tags with per-word score vectors summed from the same strings.
"""

from __future__ import annotations

import hashlib
import io
import json
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np

from rasd.text.normalize import normalize

# Bump when the features change: a model trained on other features must not load.
FEATURE_VERSION = 1
LABELS = ("PER", "ORG", "LOC", "MISC")
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
DEFAULT_MODEL = MODEL_DIR / "ner.crfsuite"

# Proclitic combinations, longest first: conjunction (و/ف) + preposition (ب/ك/ل)
# + article (ال), plus لل (ل + ال with the alef elided).
_PROCLITICS = sorted(
    {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")}
    | {c + "لل" for c in ("", "و", "ف")},
    key=len,
    reverse=True,
)
_PROCLITICS.remove("")
# ... by first letter (same order): most words start with none of و ف ب ك ل ا.
_PROCLITICS_BY_LETTER: dict[str, list[str]] = {}
for _prefix in _PROCLITICS:
    _PROCLITICS_BY_LETTER.setdefault(_prefix[0], []).append(_prefix)
_PUNCT = set("()[]{}«»\"'،,.:;؛!؟?-–—/\\…%")


def strip_clitics(norm: str) -> str:
    """Strip the longest proclitic run that leaves at least 3 letters (why: وبغداد, لبغداد,
    والعراق and العراق should share evidence)."""
    for prefix in _PROCLITICS_BY_LETTER.get(norm[:1], ()):
        if norm.startswith(prefix) and len(norm) - len(prefix) >= 3:
            return norm[len(prefix) :]
    return norm


def _shape(word: str) -> str:
    if word.isalpha():  # most words; no letter is a digit or in _PUNCT
        return "L" if word.isascii() else "A"
    if word.isdigit():
        return "D"
    if any(ch.isdigit() for ch in word):
        return "d"
    if word.isascii() and any(ch.isalpha() for ch in word):
        return "L"
    if all(ch in _PUNCT for ch in word):
        return "P"
    if any(ch.isalpha() and not ch.isascii() for ch in word):
        return "A"
    return "X"


# The kinds of _Word.own, in its order.
_OWN_KINDS = ("w", "s", "p1", "p2", "p3", "x1", "x2", "x3", "sp2", "sx2", "sh", "len", "cl")


class _Word(NamedTuple):
    norm: str
    stem: str
    own: tuple[str, ...]


def _own_values(word: str) -> tuple[str, ...]:
    """The values of a word's own features, in `_OWN_KINDS` order (its norm and stem first)."""
    norm = normalize(word) or word
    stem = strip_clitics(norm)
    return (
        norm, stem, norm[:1], norm[:2], norm[:3], norm[-1:], norm[-2:], norm[-3:], stem[:2], stem[-2:],
        _shape(word), str(min(len(stem), 9)),
        norm[: len(norm) - len(stem)],  # which clitics were stripped
    )


@lru_cache(maxsize=200_000)
def _word(word: str) -> _Word:
    """Everything about one word that does not depend on its context."""
    values = _own_values(word)
    return _Word(values[0], values[1], tuple(kind + "=" + value for kind, value in zip(_OWN_KINDS, values, strict=True)))


Gazetteer = dict[str, tuple[str, ...]]


def build_gazetteer(sentences: list[list[tuple[str, str]]]) -> Gazetteer:
    """Stem -> features saying how often the stem was inside an entity of each type in
    `sentences` ("g=PER" at >= 50% of its occurrences, "g~PER" at >= 10%). Derived from
    training data only; training uses it jackknifed so the CRF learns how far to trust it."""
    total: dict[str, int] = {}
    inside: dict[str, dict[str, int]] = {}
    for sent in sentences:
        for word, tag in sent:
            stem = _word(word).stem
            total[stem] = total.get(stem, 0) + 1
            if tag != "O":
                per = inside.setdefault(stem, {})
                per[tag[2:]] = per.get(tag[2:], 0) + 1
    gaz: Gazetteer = {}
    for stem, per in inside.items():
        feats = []
        for typ, count in sorted(per.items()):
            share = count / total[stem]
            if share >= 0.5:
                feats.append("g=" + typ)
            elif share >= 0.1:
                feats.append("g~" + typ)
        if feats:
            gaz[stem] = tuple(feats)
    return gaz


def sentence_features(words: list[str], gaz: Gazetteer | None = None) -> list[list[str]]:
    """CRF features for one sentence: own features, neighbours at ±1/±2, one bigram,
    and the training-data gazetteer for the word and its neighbours."""
    info = [_word(w) for w in words]
    g = gaz or {}
    marks = [g.get(w.stem, ()) for w in info]
    n = len(info)
    out: list[list[str]] = []
    for i, cur in enumerate(info):
        feats = list(cur.own)
        feats += marks[i]
        if i > 0:
            feats += ["-1" + m for m in marks[i - 1]]
        if i + 1 < n:
            feats += ["+1" + m for m in marks[i + 1]]
        if i > 0:
            prev = info[i - 1]
            feats += ("-1w=" + prev.norm, "-1s=" + prev.stem, "-1w|w=" + prev.norm + "|" + cur.stem)
            feats += ("-2w=" + info[i - 2].norm, "-2s=" + info[i - 2].stem) if i > 1 else ("-2w=<s>",)
        else:
            feats.append("BOS")
        if i + 1 < n:
            nxt = info[i + 1]
            feats += ("+1w=" + nxt.norm, "+1s=" + nxt.stem, "w|+1w=" + cur.stem + "|" + nxt.norm)
            feats += ("+2w=" + info[i + 2].norm, "+2s=" + info[i + 2].stem) if i + 2 < n else ("+2w=</s>",)
        else:
            feats.append("EOS")
        out.append(feats)
    return out


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans `(start, end_exclusive, label)` from BIO tags (CoNLL rules: an I-
    after O or after another type starts a new entity)."""
    found: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, typ = tag.partition("-")
        if start >= 0 and (kind != "I" or typ != label):
            found.append((start, i, label))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, label = i, typ
    return found


def conll_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """CoNLL entity-level precision/recall/F1 (exact span and type) per type and overall.

    Returns `{type: {"p", "r", "f1", "gold", "pred", "correct"}}` with key "ALL" for micro totals.
    """
    counts: dict[str, list[int]] = {}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = set(spans(g_tags)), set(spans(p_tags))
        for typ in {s[2] for s in g | p} | {"ALL"}:
            c = counts.setdefault(typ, [0, 0, 0])
            gs = g if typ == "ALL" else {s for s in g if s[2] == typ}
            ps = p if typ == "ALL" else {s for s in p if s[2] == typ}
            c[0] += len(gs)
            c[1] += len(ps)
            c[2] += len(gs & ps)
    result: dict[str, dict[str, float]] = {}
    for typ, (n_gold, n_pred, correct) in sorted(counts.items()):
        prec = correct / n_pred if n_pred else 0.0
        rec = correct / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        result[typ] = {"p": prec, "r": rec, "f1": f1, "gold": n_gold, "pred": n_pred, "correct": correct}
    return result


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_weights(tagger: object, out: Path | BinaryIO, model_path: Path) -> None:
    """Write the CRF's weights as `.npz` (labels, transitions, attribute names and their
    label-weight rows) so that `NerModel` can load them in milliseconds; crfsuite's own
    dump (`Tagger.info()`) takes seconds."""
    info = tagger.info()  # type: ignore[attr-defined]
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    index = {lab: i for i, lab in enumerate(labels)}
    trans = np.zeros((len(labels), len(labels)), dtype=np.float64)
    for (a, b), w in info.transitions.items():
        trans[index[a], index[b]] = w
    attrs = sorted({a for a, _ in info.state_features})
    row = {a: i for i, a in enumerate(attrs)}
    state = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (a, lab), w in info.state_features.items():
        state[row[a], index[lab]] = w
    with out.open("wb") if isinstance(out, Path) else nullcontext(out) as handle:
        np.savez_compressed(
            handle,
            labels=np.array(labels),
            transitions=trans,
            attributes=np.array(attrs),
            state=state,
            model_sha256=np.array(_digest(model_path)),
        )


class NerModel:
    """A loaded CRF tagger. Use `default_ner_model()` for the shipped, cached one.

    Tagging does not go through crfsuite: handing it ~35 feature strings per word made
    tagging cost tens of ms per article, mostly string-to-attribute conversion. Instead each word's score
    contributions (its own features, and what it adds to its neighbours at -2..+2) are
    summed once into a 5 x labels array and memoised, so a sentence is a few numpy
    additions, two dict lookups a word for the bigram features, and a Viterbi pass. It
    gives crfsuite's answer (tests/analyze/test_ner_model.py checks).
    """

    _CACHE_MAX = 200_000

    def __init__(
        self,
        weights: dict[str, np.ndarray],
        path: Path,
        meta: dict[str, object],
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.path = path
        self.meta = meta
        self.gazetteer = gazetteer or {}
        self.labels: list[str] = [str(x) for x in weights["labels"]]
        self._trans = weights["transitions"].astype(np.float64)
        self._trans_to_from = np.ascontiguousarray(self._trans.T)  # Viterbi reduces over the last axis
        self._state = weights["state"].astype(np.float64)
        self._attribute_row: dict[str, int] = {a: i for i, a in enumerate(weights["attributes"].tolist())}
        self._weights: dict[str, np.ndarray] = dict(zip(self._attribute_row, self._state, strict=True))
        self._zero = np.zeros(len(self.labels))
        get = self._weights.get
        self._bos, self._eos = get("BOS", self._zero), get("EOS", self._zero)
        self._no_m2, self._no_p2 = get("-2w=<s>", self._zero), get("+2w=</s>", self._zero)
        # Per-word score rows live in one growing table; words map to their row number, so an
        # article's rows are gathered with one fancy index instead of stacking small arrays.
        self._row_of: dict[str, int] = {}
        self._table = np.zeros((1024, 5, len(self.labels)))
        self._rows_used = 1  # rows from here on are still zero
        # Word-pair features (-1w|w, w|+1w) by (previous word, word); most pairs have none.
        self._pairs: dict[tuple[str, str], tuple[np.ndarray | None, np.ndarray | None] | None] = {}
        self._outside = self.labels.index("O") if "O" in self.labels else 0
        # The words (norm, stem) that some neighbour or word-pair feature names: other words
        # add nothing to their neighbours, and lead no pair (most new words are such).
        neighbour_norms: set[str] = set()
        neighbour_stems: set[str] = set()
        pair_norms: set[str] = set()
        pair_stems: set[str] = set()
        for name in self._attribute_row:
            kind, _, value = name.partition("=")
            if kind in ("-1w", "-2w", "+1w", "+2w"):
                neighbour_norms.add(value)
            elif kind in ("-1s", "-2s", "+1s", "+2s"):
                neighbour_stems.add(value)
            elif kind == "-1w|w":
                pair_norms.add(value.partition("|")[0])
            elif kind == "w|+1w":
                pair_stems.add(value.partition("|")[0])
        self._neighbour_norms, self._neighbour_stems = frozenset(neighbour_norms), frozenset(neighbour_stems)
        # A word's own features by kind, value -> attribute row: looked up by the value alone,
        # without spelling out the feature string (the table rows of new words).
        self._own_rows: dict[str, dict[str, int]] = {kind: {} for kind in _OWN_KINDS}
        for name, row in self._attribute_row.items():
            kind, sep, value = name.partition("=")
            if sep and kind in self._own_rows:
                self._own_rows[kind][value] = row
        self._pair_norms, self._pair_stems = frozenset(pair_norms), frozenset(pair_stems)
        # Row number -> whether its word may be the first of a featured pair (row 0: padding).
        self._leads_pair = np.zeros(len(self._table), dtype=bool)
        self.vocabulary_leans: dict[str, float] = {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> NerModel:
        """Load a model file and, from the same folder, its `.json` metadata, exported
        weights and gazetteer (all written by scripts/train_ner.py)."""
        model_path = Path(path) if path is not None else DEFAULT_MODEL
        if not model_path.is_file():
            raise FileNotFoundError(f"NER model not found: {model_path} (build it with scripts/train_ner.py)")
        meta_path = model_path.with_suffix(".json")
        meta: dict[str, object] = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
        version = meta.get("feature_version", FEATURE_VERSION)
        if version != FEATURE_VERSION:
            raise ValueError(
                f"{model_path} was trained with feature version {version}, this code extracts "
                f"version {FEATURE_VERSION}: retrain with scripts/train_ner.py"
            )
        gazetteer: Gazetteer | None = None
        if meta.get("gazetteer"):
            raw = json.loads((model_path.parent / str(meta["gazetteer"])).read_text("utf-8"))
            gazetteer = {stem: tuple(feats.split()) for stem, feats in raw.items()}
        weights_path = model_path.with_name(model_path.stem + "-weights.npz")
        weights: dict[str, np.ndarray] = {}
        if weights_path.is_file():
            with np.load(weights_path) as npz:
                weights = {k: npz[k] for k in npz.files}
        if str(weights.get("model_sha256", "")) != _digest(model_path):
            import pycrfsuite  # slow path (seconds): exported weights missing or stale

            tagger = pycrfsuite.Tagger()
            tagger.open(str(model_path))
            buffer = io.BytesIO()
            export_weights(tagger, buffer, model_path)
            buffer.seek(0)
            with np.load(buffer) as npz:
                weights = {k: npz[k] for k in npz.files}
        model = cls(weights, model_path, meta, gazetteer)
        model.vocabulary_leans = _read_leans(model_path.with_name(model_path.stem + "-leans.npz"), weights)
        return model

    def export_leans(self, keys: list[str], out: Path) -> None:
        """Write the name leans of `keys` (normalised words, e.g. the corpus vocabulary)
        to `out` for `name_leans` to look up, tied to this model by its digest."""
        leans = np.concatenate([self._computed_leans(keys[i : i + 5000]) for i in range(0, len(keys), 5000)])
        np.savez_compressed(
            out,
            keys=np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8),
            leans=leans.astype(np.float16),
            model_sha256=np.array(_digest(self.path)),
        )

    @staticmethod
    def _neighbour_features(norm: str, stem: str, marks: tuple[str, ...]) -> tuple[list[str], ...]:
        """What a word adds to the word after it (as -1), two after (-2), before it (+1) and
        two before (+2), by table row 1-4. Same strings as sentence_features."""
        return (
            ["-1w=" + norm, "-1s=" + stem, *("-1" + m for m in marks)],
            ["-2w=" + norm, "-2s=" + stem],
            ["+1w=" + norm, "+1s=" + stem, *("+1" + m for m in marks)],
            ["+2w=" + norm, "+2s=" + stem],
        )

    def _ensure_rows(self, words: list[str]) -> None:
        """Give every word not yet in the table its five score rows, all new words of the
        call in one numpy pass (new words are most of the tagger's cost on fresh news)."""
        row_of = self._row_of
        new = [w for w in dict.fromkeys(words) if w not in row_of]
        if not new:
            return
        first = len(row_of) + 1  # row 0 stays zero: the padding around sentences
        while first + len(new) > len(self._table):
            self._table = np.concatenate([self._table, np.zeros_like(self._table)])
            self._leads_pair = np.concatenate([self._leads_pair, np.zeros_like(self._leads_pair)])
        get = self._attribute_row.get
        leads_pair, pair_norms, pair_stems = self._leads_pair, self._pair_norms, self._pair_stems
        targets: list[int] = []  # table rows (flat) that get weights
        bounds: list[int] = []  # where each target's run of attributes starts
        attributes: list[int] = []
        own_rows = [self._own_rows[kind].get for kind in _OWN_KINDS]
        for n, word in enumerate(new, start=first):
            row_of[word] = n
            # The word's own features, looked up by value (no feature strings spelled out).
            values = _own_values(word)
            norm, stem = values[0], values[1]
            marks = self.gazetteer.get(stem, ())
            own = [row(value) for row, value in zip(own_rows, values, strict=True)]
            found = [r for r in (*own, *map(get, marks)) if r is not None]
            if found:
                targets.append(5 * n)
                bounds.append(len(attributes))
                attributes += found
            leads_pair[n] = norm in pair_norms or stem in pair_stems
            if not marks and norm not in self._neighbour_norms and stem not in self._neighbour_stems:
                continue  # nothing for its neighbours
            for k, names in enumerate(self._neighbour_features(norm, stem, marks), start=1):
                found = [r for r in map(get, names) if r is not None]
                if found:
                    targets.append(5 * n + k)
                    bounds.append(len(attributes))
                    attributes += found
        flat = self._table.reshape(-1, self._table.shape[2])
        if first < self._rows_used:
            flat[5 * first : 5 * (first + len(new))] = 0.0  # rows reused after a cache clear
        self._rows_used = max(self._rows_used, first + len(new))
        if targets:
            # Each row's weights summed in feature order, as np.add.at into zeros would.
            flat[targets] = np.add.reduceat(self._state[attributes], bounds, axis=0)

    def _row_numbers(self, words: list[str]) -> list[int]:
        if len(self._row_of) + len(words) + 1 > self._CACHE_MAX:
            # News vocabulary: the cache refills with the frequent words at once. Cleared
            # between articles only, so that no row number handed out below goes stale.
            self._row_of.clear()
            self._pairs.clear()
        numbers = list(map(self._row_of.get, words))
        if None in numbers:
            self._ensure_rows(words)
            numbers = list(map(self._row_of.__getitem__, words))
        return numbers

    def name_leans(self, words: list[str], keys: list[str] | None = None) -> np.ndarray:
        """How far each word's own features (context aside) lean to a name: the best name
        label's score minus O's. Strongly negative for ordinary words; a cheap way to choose
        which rare words are worth tagging around.

        `keys` (optional, one per word) are the words' clitic-free normalised forms: those of
        the corpus vocabulary have their lean precomputed (`ner-leans.npz`, written by
        scripts/build_ner_leans.py), which spares featurising them on first sight."""
        leans = np.empty(len(words))
        todo = list(range(len(words)))
        if keys is not None and self.vocabulary_leans:
            known = self.vocabulary_leans.get
            todo = []
            for i, key in enumerate(keys):
                lean = known(key)
                if lean is None:
                    todo.append(i)
                else:
                    leans[i] = lean
        if todo:
            leans[todo] = self._computed_leans([words[i] for i in todo])
        return leans

    def _computed_leans(self, words: list[str]) -> np.ndarray:
        self._ensure_rows(words)
        own = self._table[[self._row_of[w] for w in words], 0]
        outside = own[:, self._outside].copy()
        own[:, self._outside] = -np.inf
        return own.max(axis=1) - outside

    def _pair(self, prev: str, cur: str) -> tuple[np.ndarray | None, np.ndarray | None] | None:
        """(-1w|w weights for `cur`, w|+1w weights for `prev`) of a word pair, or None when
        it has neither (most pairs); cached."""
        p, c = _word(prev), _word(cur)
        get = self._weights.get
        with_prev, with_next = get("-1w|w=" + p.norm + "|" + c.stem), get("w|+1w=" + p.stem + "|" + c.norm)
        found = None if with_prev is None and with_next is None else (with_prev, with_next)
        if len(self._pairs) >= self._CACHE_MAX:
            self._pairs.clear()
        self._pairs[(prev, cur)] = found
        return found

    def _emissions(self, sentences: list[list[str]]) -> np.ndarray:
        """Label scores of the words of non-empty `sentences`, padded: sentences x (longest
        + 1) x labels (the last column and the padding are scratch).

        All sentences are scored in one go (one numpy pass per article, not per sentence).
        Each sentence's rows are gathered between zero rows, so neighbour features stop at
        its ends; the sums run in the order crfsuite's features are listed (own, -1, -2,
        +1, +2, BOS, EOS, -2w=<s>, +2w=</s>, word pairs)."""
        longest = max(len(s) for s in sentences)
        width = longest + 1
        numbers = self._row_numbers([w for s in sentences for w in s])  # may grow the table: index it afterwards
        index: list[int] = []
        i = 0
        for sentence in sentences:
            n = len(sentence)
            index += (0, 0, *numbers[i : i + n], *(0,) * (width + 2 - n))
            i += n
        index_array = np.array(index)
        rows = self._table[index_array].reshape(len(sentences), width + 4, 5, -1)
        emit = rows[:, 2:-2, 0] + rows[:, 1:-3, 1]
        emit += rows[:, :-4, 2]
        emit += rows[:, 3:-1, 3]
        emit += rows[:, 4:, 4]
        lengths = np.array([len(s) for s in sentences])
        batch = np.arange(len(sentences))
        emit[:, 0] += self._bos
        emit[batch, lengths - 1] += self._eos
        emit[:, 1] += self._no_m2  # one-word sentences: the scratch column
        emit[batch, lengths - 2] += self._no_p2  # one-word sentences: -1, the scratch column
        # Word pairs, in text order, from the few words that lead a featured pair.
        pairs = self._pairs
        for p in np.flatnonzero(self._leads_pair[index_array]).tolist():
            if not index[p + 1]:
                continue  # the last word of its sentence
            b, k = divmod(p, width + 4)
            sentence, k = sentences[b], k - 2
            key = (sentence[k], sentence[k + 1])
            found = pairs[key] if key in pairs else self._pair(*key)
            if found is not None:
                with_prev, with_next = found
                if with_prev is not None:
                    emit[b, k + 1] += with_prev
                if with_next is not None:
                    emit[b, k] += with_next
        return emit

    def tag(self, words: list[str]) -> list[str]:
        """BIO tags (`B-PER`, `I-ORG`, `O`, ...) for one sentence of words."""
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tag many sentences (an article) at once: Viterbi runs over all of them in
        parallel, so its Python loop is as long as the longest sentence, not the article."""
        todo = [s for s in sentences if s]
        if not todo:
            return [[] for _ in sentences]
        emit = self._emissions(todo).transpose(1, 0, 2)  # time-major: emit[t] is one step
        batch, longest, size = len(todo), max(len(s) for s in todo), len(self.labels)
        # Time-major buffers, written in place by each step (a few ufunc calls a step).
        back = np.empty((longest, batch, size), dtype=np.intp)
        # Scores of every prefix; a sentence's best path ends at its own last step (steps
        # past it run on over padding and are not read).
        scores = np.empty((longest, batch, size))
        scores[0] = emit[0]
        cand = np.empty((batch, size, size))  # [sentence, to, from]: reduced over the contiguous axis
        best = np.empty((batch, size))
        trans = self._trans_to_from
        for t in range(1, longest):
            np.add(scores[t - 1][:, None, :], trans, out=cand)
            cand.argmax(axis=2, out=back[t])
            cand.max(axis=2, out=best)  # cheaper than gathering by the argmax
            np.add(best, emit[t], out=scores[t])
        lengths = np.array([len(s) for s in todo])
        last = scores[lengths - 1, np.arange(batch)].argmax(axis=1).tolist()
        out: list[list[str]] = []
        labels = self.labels
        b = 0
        for sent in sentences:
            if not sent:
                out.append([])
                continue
            # Only this sentence's rows become Python lists, not the whole padded batch.
            rows = back[: len(sent), b].tolist()
            label = last[b]
            path = [label]
            for t in range(len(sent) - 1, 0, -1):
                label = rows[t][label]
                path.append(label)
            out.append([labels[k] for k in reversed(path)])
            b += 1
        return out


def _read_leans(path: Path, weights: dict[str, np.ndarray]) -> dict[str, float]:
    """Precomputed vocabulary leans, or none if the file is missing or made for another model."""
    if not path.is_file():
        return {}
    with np.load(path) as npz:
        if str(npz["model_sha256"]) != str(weights.get("model_sha256", "")):
            return {}
        keys = npz["keys"].tobytes().decode("utf-8").split("\n")
        return dict(zip(keys, npz["leans"].astype(np.float64).tolist(), strict=True))


@lru_cache(maxsize=1)
def default_ner_model() -> NerModel:
    """The shipped model, loaded once per process."""
    return NerModel.load()
