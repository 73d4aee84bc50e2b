"""The gazetteer: place names to coordinates, and the resolver that picks one place.

The data is one gzip TSV built by `rasd.gazetteer_build` (columns `id, name_en,
names_ar, feature, country, admin1, lat, lon, population, precision`). The loader
reads, in order of preference: an explicit path, `$RASD_GAZETTEER`, the packaged
`rasd/data/gazetteer/places.tsv.gz`.

Matching goes through `normalize_key`, and every name is indexed with and without
its leading ال, so the recogniser can look up token n-grams directly in
`Gazetteer.name_index()`. `Gazetteer.resolve()` chooses among same-named places
(صور: Tyre in Lebanon or Sur in Oman) by what else the article mentions, then by
feature and population.

    >>> gaz = default_gazetteer()
    >>> gaz.resolve("صور", ResolveContext(countries={"OM"})).name_en
    'Sur'
"""

from __future__ import annotations

import gc
import gzip
import math
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rasd.analyze.lexicon import read_tsv
from rasd.doc import Place
from rasd.text.normalize import normalize_key

ENV_VAR = "RASD_GAZETTEER"
PACKAGED = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "places.tsv.gz"
CUED_NAMES = PACKAGED.with_name("cued_names.tsv")
_AL = "ال"

# The countries whose news rasd mostly reads: a small prior for their places.
REGION = frozenset("IQ SY YE LB PS IL JO LY EG TR IR SA KW BH QA AE OM".split())

# Base score by feature. Countries win over the same-named capital (الكويت، الجزائر),
# governorates over small towns of the same name (مأرب، شبوة), big towns over
# governorates (حلب، الرقة): a town's score grows with log10(population).
_BASE = {"country": 40.0, "admin1": 29.0, "region": 26.0, "landmark": 27.0, "district": 27.0,
         "city": 20.0, "subdistrict": 17.0}
_YEMEN_DISTRICT = 22.0
# A city of a million people is what its name means far more often than a namesake village,
# even one in the region rasd reads most (كابول: Kabul, not the Galilee village).
METROPOLIS, _METROPOLIS_BONUS = 1_000_000, 5.0  # yemen-info districts: often the same name as their main town

# Words that announce the kind of place ("محافظة نينوى", "مدينة الموصل"); keys normalised.
_PREFIX_FEATURES: dict[str, tuple[str, ...]] = {
    "محافظه": ("admin1",), "ولايه": ("admin1", "city"), "اقليم": ("admin1", "region"),
    "مقاطعه": ("admin1",), "امانه": ("admin1",), "منطقه": ("admin1", "region", "district", "landmark"),
    "مدينه": ("city",), "بلده": ("city",), "قريه": ("city", "subdistrict"), "مركز": ("city",),
    "حي": ("district",), "قضاء": ("district", "city"), "ناحيه": ("district", "city", "subdistrict"),
    "مديريه": ("district",), "عزله": ("subdistrict",), "مخيم": ("landmark",), "مطار": ("landmark",),
    "قاعده": ("landmark",), "معبر": ("landmark",), "منفذ": ("landmark",), "جبل": ("region", "landmark"),
    "جبال": ("region",), "ريف": ("region", "admin1"),
}

# Normalised keys that are ordinary words far more often than place names; kept for
# `candidates()` but left out of `name_index()` so the recogniser does not tag them.
STOP_KEYS = frozenset(normalize_key(w) for w in """
الشعب شعب الحريه حريه العامل عامل الميدان ميدان المنصور الدوره دوره الاقصي اقصي السلام سلام النصر نصر
الوحده وحده الثوره ثوره الجمهوريه العاصمه الشمال الجنوب الشرق الغرب الوسطي المركز المملكه
الجزيره جزيره الامل امل البلد بلد المدينه مدينه القريه قريه الساحه ساحه الدوله دوله النور نور
الحق حق العرب عرب الاسلام اسلام الفتح فتح الامام امام الشهداء اب ان الي هي له بن بلا شهداء الحرس الجيش جيش الامن امن
قال قالت اكد اكدت بعد قبل يوم اليوم امس غدا عام العام شهر خلال بين عند حتي منذ الذي التي هذا هذه
ذلك تلك كان كانت وقد لقد انه انها مصدر مصادر وزير الوزير رئيس الرئيس قوات القوات مقتل قتل قتلي
جرحي هجوم الهجوم غاره الغاره صاروخ قصف القصف اطلاق انفجار تفجير عمليه العمليه الحرب حرب نحو اكثر
حيث كما ايضا اخر اخري جديد الجديد كبير الكبير مجلس المجلس حزب الحزب عدد العدد منطقه المنطقه
مسلحين المسلحين عناصر العناصر مقاتلين المقاتلين جنود الجنود طائرات الطائرات امريكي روسي تركي
المعارضه النظام الحكومه حكومه الشرطه شرطه عاجل خبر اخبار الخبر صحيفه وكاله الوكاله
وان كيف سنه سن بانه عين جديده الجديده مسجد يوميا الام ابي بني البني منا الم ليل حر شهيد اشرف كله جوي ورد
طول سير جيد قيام معسكر سلامه جميل العمال خمس طرف الطرف سالم رشيد هويه بشار سلطات يشير تبني شبه عسكري
مبارك دينار وادي صافي زعيم كسب رضي وفره برقيه الاشاره اشاره سحب بنت عذاب زيارات الزياره زياره خارجه
الساحل حارس محلات حكما العجز الحضاريه مايه المايه الشقيق قنوات اسلاميه كريمه الكريمه تحالف التحالف رصد
الفصايل منشاه الفحم ربه الداخليه داخليه الشرقيه الغربيه غربيه الظاهره ظاهره القطاع قطاع السوق سوق
احد الاحد عبر حول دون الان ليس كبيره البلاد بلاد الحالي واحد منه دور لي صاحب نادي سوف كنت اشهر بيان
انا لو جامعه الجمعه طويله صوره الصوره وجه الوجه ادي قدم صباح قوه القوه اطار نايف المدني كره كلمه
المالي مالي الحد علم العلم راس كشف غرفه الغرفه البيت بيت دوري اولا الخميس جون المصدر مكتب المكتب ظهر
قاعده العليا نجاح تحرير التحرير قدره الاسد الحي مرات اولي اشار اس الفندق فندق مبني المبني بنك سيما
محطه معينه الحاضر يد الربع اساس نيسان قوله اتحاد الاتحاد تي جنيه كيري سان رويه الرويه شباب الشريف السجن
سجن وقف شرقي الشرقي غربي الغربي طويل الطويل قيام راي صدر صيف طيبه الطيبه لاول جبل خبراء الخبراء لويس
جيب منا مدرسه قطعه القحطاني الفن نجد الوسط وسط خلفيه صعيد الصعيد اند الرقابه النصره سعوديه الفا معين
الشعراء خيار المساعده مساعده فرع مسار سيف صرف الشعوب دعوه داود ويب عربي شرف الشرف الاشراف قراره برج
السوداء الشيوخ قصير الهجره الحوادث حوادث ميناء خلق روحاني خان لدول جمال الربيعه
""".split())


@dataclass(slots=True)
class PlaceRecord:
    """One gazetteer row."""

    id: str  # geonames:NNN, admin1:IQ.07, country:IQ, landmark:slug, yemen:district:N
    name_en: str
    names_ar: tuple[str, ...]
    feature: str  # country, admin1, region, city, district, subdistrict, landmark
    country: str  # ISO 3166-1 alpha-2, "" for supranational regions
    admin1: str  # English admin1 name, "" when unknown
    lat: float
    lon: float
    population: int = 0
    precision: int | None = None  # set when the row only has its parent's coordinates

    @property
    def geo_precision(self) -> int:
        """ACLED precision of the place itself: 1 a town or site, 3 a province or wider."""
        if self.precision is not None:
            return self.precision
        return 3 if self.feature in ("country", "admin1", "region") else 1

    def to_place(self, name: str | None = None) -> Place:
        """The `Place` for this row, named `name` (the Arabic as written) if given."""
        return Place(
            name=name or (self.names_ar[0] if self.names_ar else self.name_en),
            name_en=self.name_en or None,
            lat=self.lat,
            lon=self.lon,
            admin1=self.admin1 or None,
            country=self.country or None,
            geo_precision=self.geo_precision,
            feature=self.feature,
            place_id=self.id,
            population=self.population or None,
        )


@dataclass(slots=True)
class ResolveContext:
    """What the article says besides the name: used to pick among same-named places.

    `countries`: ISO alpha-2 codes mentioned (or of places already resolved);
    `admin1s`: admin1 names, English or Arabic; `points`: (lat, lon) of places already
    resolved in the article.
    """

    countries: set[str] = field(default_factory=set)
    admin1s: set[str] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)

    def add(self, place: Place | PlaceRecord) -> None:
        """Record a resolved place so later names in the article resolve near it."""
        if place.country:
            self.countries.add(place.country)
        if place.admin1:
            self.admin1s.add(place.admin1)
        if place.lat is not None and place.lon is not None and (place.feature or "") not in ("country", "region"):
            self.points.append((place.lat, place.lon))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    radians, sin = math.radians, math.sin  # called for every place pair of an article
    lat1, lat2 = radians(a[0]), radians(b[0])
    h = sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * sin((radians(b[1]) - radians(a[1])) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _english_key(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return normalize_key(ascii_name)


def name_keys(name: str) -> list[str]:
    """The index keys of one name: its normalised key, and the key without a leading ال."""
    key = normalize_key(name)
    if not key:
        return []
    keys = [key]
    if key.startswith(_AL) and len(key) > 4 and key[2] != " ":
        keys.append(key[2:])
    return keys


def record_keys(names_ar: Iterable[str], name_en: str = "") -> list[str]:
    """Every index key of a record: its Arabic names with and without ال, and its English name.

    The build stores these in the `keys` column so that loading needs no normalising.
    """
    keys: dict[str, None] = {}
    for name in names_ar:
        keys.update(dict.fromkeys(name_keys(name)))
    if name_en:
        keys[_english_key(name_en)] = None
    return [k for k in keys if k]


def default_path() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return PACKAGED


class Gazetteer:
    """Place records with a name index; see the module docstring."""

    def __init__(self, records: Iterable[PlaceRecord], path: Path | None = None) -> None:
        self.records: list[PlaceRecord] = list(records)
        self.path = path
        self._index: dict[str, list[int]] | None = None
        self._recogniser_index: dict[str, list[int]] | None = None
        self._by_id: dict[str, int] | None = None
        self._keys: list[list[str] | None] = []
        self._weak: set[tuple[str, int]] = set()
        self._admin1_cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Read a gazetteer TSV (gzip or plain); None: `$RASD_GAZETTEER` or the packaged one."""
        # ~35k records and 75k index lists allocate nothing cyclic: pausing the cyclic
        # garbage collector saves a third of the load time.
        enabled = gc.isenabled()
        gc.disable()
        try:
            gaz = cls._read(Path(path) if path is not None else default_path())
            gaz.full_index()
        finally:
            if enabled:
                gc.enable()
        return gaz

    @classmethod
    def _read(cls, source: Path) -> Gazetteer:
        """Parse the TSV (index not built)."""
        raw = source.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        lines = raw.decode("utf-8").split("\n")  # one decode + split: far faster than a text stream
        records, keys = [], []
        if lines:
            header = lines[0].rstrip("\r").split("\t")
            col = {name: i for i, name in enumerate(header)}
            get_pop, get_prec, get_keys = col.get("population"), col.get("precision"), col.get("keys")
            for line in lines[1:]:
                c = line.rstrip("\r").split("\t")
                if len(c) < 8 or not c[6]:
                    continue
                c.extend([""] * (len(header) - len(c)))
                pop = c[get_pop] if get_pop is not None else ""
                prec = c[get_prec] if get_prec is not None else ""
                rec = PlaceRecord(c[0], c[1], tuple(c[2].split("|")) if c[2] else (), c[3], c[4], c[5],
                                  float(c[6]), float(c[7]), int(pop) if pop else 0, int(prec) if prec else None)
                records.append(rec)
                # Precomputed keys (built files) save normalising ~50k names at load time.
                keys.append(c[get_keys].split("|") if get_keys is not None and c[get_keys] else None)
        gaz = cls(records, source)
        gaz._keys = keys
        return gaz

    def __len__(self) -> int:
        return len(self.records)

    def _build_index(self) -> None:
        index: dict[str, list[int]] = {}
        weak: set[tuple[str, int]] = set()
        stored = self._keys if len(self._keys) == len(self.records) else [None] * len(self.records)
        for i, (rec, keys) in enumerate(zip(self.records, stored, strict=True)):
            for key in keys if keys is not None else record_keys(rec.names_ar, rec.name_en):
                if key.startswith("~"):
                    key = key[1:]
                    weak.add((key, i))
                index.setdefault(key, []).append(i)
        self._index, self._weak = index, weak

    def full_index(self) -> dict[str, list[int]]:
        """Every key (Arabic with/without ال, and English) -> indexes into `records`."""
        if self._index is None:
            self._build_index()
        assert self._index is not None
        return self._index

    def name_index(self) -> dict[str, list[int]]:
        """Arabic keys for the recogniser's longest match: key -> indexes into `records`.

        Keys are space-separated normalised words. Left out: `STOP_KEYS`, one-letter keys,
        and keys the build flagged as common words for minor places (a key stays for the
        important places that bear it: صور still maps to Tyre). Look those up with
        `candidates()` when a cue such as "محافظة" or "مدينة" says a place name follows.
        """
        if self._recogniser_index is None:
            full, weak = self.full_index(), self._weak
            out: dict[str, list[int]] = {}
            for key, ids in full.items():
                if key in STOP_KEYS or len(key) < 2 or key.isascii():
                    continue
                kept = [i for i in ids if (key, i) not in weak] if weak else ids
                if kept:
                    out[key] = kept
            self._recogniser_index = out
        return self._recogniser_index

    def get(self, place_id: str) -> PlaceRecord | None:
        if self._by_id is None:
            self._by_id = {rec.id: i for i, rec in enumerate(self.records)}
        i = self._by_id.get(place_id)
        return None if i is None else self.records[i]

    def _lookup(self, name: str) -> tuple[list[PlaceRecord], tuple[str, ...]]:
        """Records named `name`, and the features its leading cue word asks for."""
        index = self.full_index()
        key = normalize_key(name)
        if not key:
            return [], ()
        ids: list[int] = []
        for k in (key, _english_key(name)) if name.isascii() else name_keys(name):
            ids.extend(i for i in index.get(k, ()) if i not in ids)
        wanted: tuple[str, ...] = ()
        first, _, rest = key.partition(" ")
        if rest and first in _PREFIX_FEATURES:
            wanted = _PREFIX_FEATURES[first]
            for k in name_keys(rest):
                ids.extend(i for i in index.get(k, ()) if i not in ids)
        return [self.records[i] for i in ids], wanted

    def candidates(self, name: str, context: ResolveContext | None = None) -> list[PlaceRecord]:
        """Every record the name may refer to, best first."""
        records, wanted = self._lookup(name)
        return self.rank(records, context, wanted)

    def rank(self, records: Iterable[PlaceRecord], context: ResolveContext | None = None,
             wanted: tuple[str, ...] = ()) -> list[PlaceRecord]:
        """Same-named `records` (e.g. from `name_index()`), best first for this article.

        `wanted`: features a cue word asks for ("محافظة" -> admin1), ranked first.
        """
        records = list(records)
        ctx = self._expand(context or ResolveContext())
        # A town that shares its name with a governorate elsewhere (صلاح الدين, a resort in
        # Erbil) is rarely what is meant: the governorate is; its own capital still is.
        units = {(r.country, r.name_en) for r in records if r.feature == "admin1"}

        def key(r: PlaceRecord) -> float:
            stray = units and r.feature == "city" and r.population < 100_000 and (r.country, r.admin1) not in units
            return -(self.score(r, ctx, wanted) - (8 if stray else 0))

        return sorted(records, key=key)

    def best(self, records: Iterable[PlaceRecord], context: ResolveContext | None = None) -> PlaceRecord | None:
        """The likeliest of same-named `records`, or None when there are none."""
        ranked = self.rank(records, context)
        return ranked[0] if ranked else None

    def resolve(self, name: str, context: ResolveContext | None = None) -> Place | None:
        """The most likely place for `name` (Arabic as written, clitics removed), or None."""
        best = self.candidates(name, context)
        return best[0].to_place(name) if best else None

    def _expand(self, context: ResolveContext) -> ResolveContext:
        """Admin1 names in the context -> English, as the records store them; their
        countries join the context's countries (a governorate names its country too)."""
        admin1s, countries = set(), {c.upper() for c in context.countries}
        for a in context.admin1s:
            names, codes = self._admin1_unit(a)
            admin1s |= names
            countries |= codes
        return ResolveContext(countries, admin1s, context.points)

    def _admin1_unit(self, name: str) -> tuple[frozenset[str], frozenset[str]]:
        """(casefolded admin1 names, countries) a context admin1 name stands for; memoised,
        since every place of an article is ranked against the same few names."""
        found = self._admin1_cache.get(name)
        if found is None:
            records = [r for r in self._lookup(name)[0] if r.feature == "admin1"]
            found = (frozenset({name.casefold()} | {r.name_en.casefold() for r in records}),
                     frozenset(r.country for r in records))
            self._admin1_cache[name] = found
        return found

    @staticmethod
    def score(rec: PlaceRecord, context: ResolveContext, wanted: tuple[str, ...] = ()) -> float:
        """Higher is likelier: feature and population, then agreement with the article."""
        if rec.id.startswith("yemen:district"):
            score = _YEMEN_DISTRICT
        else:
            score = _BASE.get(rec.feature, 20.0)
        if rec.feature == "city":
            score += 2 * math.log10(rec.population + 1)
            if rec.population >= METROPOLIS:
                score += _METROPOLIS_BONUS
        if wanted and rec.feature in wanted:
            score += 30 - 2 * wanted.index(rec.feature)
        if rec.country in REGION:
            score += 5
        if rec.country and rec.country in context.countries:
            score += 15
        if rec.admin1 and rec.admin1.casefold() in context.admin1s:
            score += 8
        if context.points and rec.feature not in ("country", "region"):
            d = min(haversine_km((rec.lat, rec.lon), p) for p in context.points)
            score += 10 if d < 30 else 6 if d < 150 else 3 if d < 400 else 0
        return score


@dataclass(frozen=True, slots=True)
class CuedName:
    """A `STOP_KEYS` place name taken as the place in given contexts (cued_names.tsv)."""

    places: frozenset[str]  # ids of the places it names (country:ML), not its namesakes
    before: frozenset[str]  # keys of the words that, right before it, make it the place
    headline: bool  # also when it opens a line followed by ":" or a dash


@cache
def cued_names() -> dict[str, CuedName]:
    """Normalised name key -> when it is the place, from cued_names.tsv."""
    out: dict[str, CuedName] = {}
    for row in read_tsv(CUED_NAMES):
        before = frozenset(normalize_key(w) for w in row.get("before", "").split("|") if w)
        places = frozenset(row["place"].split("|"))
        out[normalize_key(row["name"])] = CuedName(places, before, row.get("headline", "") == "yes")
    return out


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer from `$RASD_GAZETTEER` or the package, loaded once per process."""
    return Gazetteer.load()
