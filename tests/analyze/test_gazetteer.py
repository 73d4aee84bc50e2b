"""The gazetteer: loading, name index, resolution with context, and the GeoNames build."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.analyze.gazetteer import (
    Gazetteer,
    ResolveContext,
    default_gazetteer,
    haversine_km,
    name_keys,
)
from rasd.cli.gazetteer import gazetteer as gazetteer_cli
from rasd.doc import Place

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


# (Arabic, country, lat, lon): the largest towns of Iraq, Syria and Yemen.
TOWNS = [
    ("بغداد", "IQ", 33.34, 44.40), ("الموصل", "IQ", 36.34, 43.13), ("البصرة", "IQ", 30.51, 47.81),
    ("أربيل", "IQ", 36.19, 44.01), ("كركوك", "IQ", 35.47, 44.39), ("النجف", "IQ", 32.03, 44.35),
    ("كربلاء", "IQ", 32.62, 44.02), ("السليمانية", "IQ", 35.56, 45.44), ("الناصرية", "IQ", 31.06, 46.26),
    ("الحلة", "IQ", 32.48, 44.43),
    ("حلب", "SY", 36.20, 37.16), ("دمشق", "SY", 33.51, 36.29), ("حمص", "SY", 34.73, 36.72),
    ("حماة", "SY", 35.13, 36.76), ("اللاذقية", "SY", 35.52, 35.79), ("دير الزور", "SY", 35.34, 40.14),
    ("الرقة", "SY", 35.95, 39.01), ("الحسكة", "SY", 36.50, 40.75), ("القامشلي", "SY", 37.05, 41.23),
    ("إدلب", "SY", 35.93, 36.63),
    ("صنعاء", "YE", 15.35, 44.21), ("عدن", "YE", 12.78, 45.04), ("تعز", "YE", 13.58, 44.02),
    ("الحديدة", "YE", 14.80, 42.95), ("إب", "YE", 13.97, 44.18), ("ذمار", "YE", 14.54, 44.41),
    ("المكلا", "YE", 14.54, 49.12), ("عمران", "YE", 15.66, 43.94), ("سيئون", "YE", 15.94, 48.79),
    ("زنجبار", "YE", 13.13, 45.38),
]


@pytest.mark.parametrize(("name", "country", "lat", "lon"), TOWNS)
def test_largest_towns_resolve_to_the_right_place(gaz: Gazetteer, name: str, country: str, lat: float,
                                                   lon: float) -> None:
    place = gaz.resolve(name)
    assert place is not None
    assert place.country == country
    assert haversine_km((place.lat, place.lon), (lat, lon)) < 25
    assert place.geo_precision == 1
    assert place.name == name  # the Arabic as written


GOVERNORATES = [
    ("محافظة نينوى", "IQ", "Nineveh"), ("الأنبار", "IQ", "Anbar"), ("صلاح الدين", "IQ", "Salah al-Din"),
    ("ديالى", "IQ", "Diyala"), ("محافظة حلب", "SY", "Aleppo"), ("محافظة إدلب", "SY", "Idlib"),
    ("ريف دمشق", "SY", "Rural Damascus"), ("أبين", "YE", "Abyan"), ("مأرب", "YE", "Marib"),
    ("شبوة", "YE", "Shabwah"), ("محافظة تعز", "YE", "Taizz"), ("حضرموت", "YE", "Hadramawt"),
]


@pytest.mark.parametrize(("name", "country", "admin1"), GOVERNORATES)
def test_governorates_resolve_to_admin1_with_precision_3(gaz: Gazetteer, name: str, country: str,
                                                          admin1: str) -> None:
    place = gaz.resolve(name)
    assert place is not None
    assert (place.feature, place.country, place.admin1, place.geo_precision) == ("admin1", country, admin1, 3)


def test_ambiguous_names_follow_the_article_context(gaz: Gazetteer) -> None:
    tyre = gaz.resolve("صور", ResolveContext(countries={"LB"}))
    sur = gaz.resolve("صور", ResolveContext(countries={"OM"}))
    assert (tyre.name_en, tyre.country) == ("Tyre", "LB")
    assert (sur.name_en, sur.country) == ("Sur", "OM")
    assert gaz.resolve("طرابلس", ResolveContext(countries={"LB"})).country == "LB"
    assert gaz.resolve("طرابلس", ResolveContext(countries={"LY"})).country == "LY"
    assert gaz.resolve("عمان", ResolveContext(countries={"JO"})).name_en == "Amman"
    assert gaz.resolve("عمان").country == "OM"  # the country, with no context
    # Coordinates of places already resolved in the article count too.
    near_tyre = gaz.resolve("صور", ResolveContext(points=[(33.56, 35.37)]))  # Sidon
    assert near_tyre.country == "LB"
    # Arabic admin1 names in the context are understood.
    assert gaz.resolve("أريحا", ResolveContext(admin1s={"إدلب"})).country == "SY"


def test_green_zone_and_landmarks(gaz: Gazetteer) -> None:
    place = gaz.resolve("المنطقة الخضراء")
    assert (place.admin1, place.country, place.geo_precision) == ("Baghdad", "IQ", 1)
    assert haversine_km((place.lat, place.lon), (33.3066, 44.3886)) < 1
    assert gaz.resolve("مخيم اليرموك").country == "SY"
    assert gaz.resolve("قاعدة عين الأسد").admin1 == "Anbar"
    assert gaz.resolve("الشرق الأوسط").geo_precision == 3


def test_countries_and_variants(gaz: Gazetteer) -> None:
    for name, code in [("الولايات المتحدة", "US"), ("أمريكا", "US"), ("السعودية", "SA"),
                       ("المملكة العربية السعودية", "SA"), ("سورية", "SY"), ("سوريا", "SY"),
                       ("الاردن", "JO"), ("بريطانيا", "GB"), ("الكويت", "KW")]:
        place = gaz.resolve(name)
        assert (place.feature, place.country, place.geo_precision) == ("country", code, 3), name
    assert gaz.resolve("واشنطن").admin1 == "District of Columbia"


def test_cue_words_and_spelling_variants(gaz: Gazetteer) -> None:
    assert gaz.resolve("مدينة الموصل").name_en == "Mosul"
    assert gaz.resolve("موصل").name_en == "Mosul"  # without ال
    assert gaz.resolve("ادلب").country == "SY"  # hamza folded
    assert gaz.resolve("حماه").country == "SY"  # ta marbuta folded
    assert gaz.resolve("سروج").country == "TR"
    assert gaz.resolve("Mosul").country == "IQ"
    assert gaz.resolve("لا يوجد مكان بهذا الاسم") is None


def test_name_index_for_the_recogniser(gaz: Gazetteer) -> None:
    index = gaz.name_index()
    assert "دير الزور" in index and "بغداد" in index and "موصل" in index
    assert "الشعب" not in index  # a common word; still a candidate on request
    assert gaz.candidates("الشعب")
    # صور is also "pictures": Tyre (a big town) keeps the key, Sur (Oman, minor) is left to
    # resolution, which always weighs every candidate.
    assert "صور" in index
    assert {rec.country for rec in gaz.candidates("صور")} >= {"LB", "OM"}
    assert name_keys("الموصل") == ["الموصل", "موصل"]


def test_place_is_the_doc_model(gaz: Gazetteer) -> None:
    place = gaz.resolve("الرقة")
    assert isinstance(place, Place)
    assert place.place_id and place.to_dict()["country"] == "SY"
    assert Place.from_dict(place.to_dict()) == place


def test_loads_fast_and_small() -> None:
    start = time.process_time()  # CPU time: wall time swings on a busy CI machine
    gaz = Gazetteer.load()
    gaz.name_index()
    assert time.process_time() - start < 1.0
    assert len(gaz) > 20_000


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_memory_of_a_fresh_process() -> None:
    # VmHWM (peak RSS, KiB) of a new process: ru_maxrss would carry over pytest's own peak.
    code = ("import re; from rasd.analyze.gazetteer import Gazetteer; g = Gazetteer.load(); g.name_index(); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert int(out.stdout.strip()) < 100 * 1024


def test_env_var_selects_the_gazetteer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tiny.tsv"
    result = CliRunner().invoke(gazetteer_cli, ["build", "--geonames", str(FIXTURE), "--out", str(out),
                                                "--no-curated"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("RASD_GAZETTEER", str(out))
    assert len(Gazetteer.load()) == 10


def test_build_cli_on_geonames_fixture(tmp_path: Path) -> None:
    out = tmp_path / "world.tsv.gz"
    result = CliRunner().invoke(gazetteer_cli, ["build", "--geonames", str(FIXTURE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert gzip.open(out, "rt", encoding="utf-8").readline().startswith("id\tname_en\tnames_ar")
    gaz = Gazetteer.load(out)
    ids = {rec.id for rec in gaz.records}
    assert {"geonames:98182", "geonames:99072", "geonames:267008", "geonames:286245"} <= ids
    assert "geonames:4999999" not in ids  # population 300 < 1,000
    assert "geonames:99500" in ids  # ... but a village of the region with an Arabic name is kept
    assert "geonames:4409896" not in ids  # no Arabic name, outside the region
    assert "geonames:300075" in ids  # no Arabic name, but in the region
    assert gaz.resolve("صور", ResolveContext(countries={"OM"})).name_en == "Sur"
    assert gaz.resolve("صور", ResolveContext(countries={"LB"})).name_en == "Tyre"
    assert gaz.resolve("الموصل").admin1 == "Nineveh"
    assert gaz.resolve("ناشفيل").admin1 == "Tennessee"  # admin1 names from admin1CodesASCII.txt
    assert gaz.resolve("تينيسي").feature == "admin1"
    assert gaz.resolve("المنطقة الخضراء").country == "IQ"  # curated rows are included
    # historic alternate names are left out
    assert not gaz.candidates("صور القديمة")


def test_lookup_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(gazetteer_cli, ["lookup", "صور", "--country", "OM"])
    assert result.exit_code == 0, result.output
    assert "resolved: Sur" in result.output
    result = CliRunner().invoke(gazetteer_cli, ["lookup", "طرابلس", "--json", "--country", "LB"])
    assert '"country": "LB"' in result.output
    result = CliRunner().invoke(gazetteer_cli, ["lookup", "لا يوجد مكان بهذا الاسم"])
    assert result.exit_code != 0


def test_hand_written_tsv_without_keys_column(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("id\tname_en\tnames_ar\tfeature\tcountry\tadmin1\tlat\tlon\n"
                    "mine:1\tAl-Qusayr\tالقصير|القصير الجديدة\tcity\tSY\tHoms\t34.5090\t36.5800\n", encoding="utf-8")
    gaz = Gazetteer.load(path)
    assert gaz.resolve("قصير").name_en == "Al-Qusayr"  # keys made at load time, ال optional
    assert "القصير الجديده" in gaz.name_index()


def test_a_place_said_to_lie_by_another_is_the_one_near_it() -> None:
    """"حصيبة شرقي الرمادي" is Husaybah al-Sharqiyah by Ramadi, not the border town (Al Qa'im)
    230 km away; a name with no place near its anchor keeps no coordinates ("اليرموك غربي
    بعقوبة" is no quarter of Damascus)."""
    import rasd

    doc = rasd.analyze("عنوان\n\nصدت القوات هجوما شنه التنظيم في حصيبة شرقي الرمادي.", published="2015-07-31")
    husaybah = next(e for e in doc.entities if e.text == "حصيبة")
    assert husaybah.place is not None and haversine_km((husaybah.place.lat, husaybah.place.lon), (33.42, 43.31)) < 20
    doc = rasd.analyze("عنوان\n\nانفجرت عبوة ناسفة في حي اليرموك الثانية غربي بعقوبة.", published="2015-07-31")
    assert all(e.place is None or e.place.country == "IQ" for e in doc.entities)
    # far from its anchor but in its country, the likeliest place stands (Taiz is 200 km south of Sanaa)
    doc = rasd.analyze("عنوان\n\nقتل 20 شخصا في اشتباكات عنيفة في مدينة تعز جنوب صنعاء.", published="2015-07-26")
    assert next(e for e in doc.entities if e.text == "تعز").place.name_en == "Taiz"


def test_curated_towns_attach_only_to_the_same_town(tmp_path: Path) -> None:
    """towns.tsv names go to the GeoNames town at the point only when it is that town (same
    name); الزهراء is a town of its own 2 km from Nubl."""
    from rasd.gazetteer_build import Row, attach_towns

    nubl = Row("geonames:166331", "Nubl", ["نبل"], "city", "SY", "Aleppo", 36.3787, 36.9929, 25546)
    mexmur = Row("geonames:93818", "Mexmur", ["مخمور"], "city", "IQ", "Erbil", 35.7762, 43.5797)
    towns = tmp_path / "towns.tsv"
    towns.write_text("SY\tAleppo\tAl-Zahraa\tالزهراء\t36.3620\t37.0030\n"
                     "IQ\tErbil\tMakhmour\tمخمور\t35.7761\t43.5797\n", encoding="utf-8")
    new = attach_towns([nubl, mexmur], towns)
    assert [r.name_en for r in new] == ["Al-Zahraa"] and nubl.names_ar == ["نبل"]


def test_a_front_names_its_place() -> None:
    """"بجبهة صرواح", "في جبهات الجدعان": جبهة is a place cue (صرواح is also a common word), and
    الجدعان in Marib is Madghal al-Jid'an."""
    import rasd

    doc = rasd.analyze("عنوان\n\nتصدت المقاومة لهجمات في جبهات الجدعان شمالي محافظة مأرب، وفي مواقع بجبهة صرواح.",
                       published="2015-07-21")
    places = {e.text: e.place for e in doc.entities if e.place is not None}
    assert places["صرواح"].admin1 == "Marib" and places["الجدعان"].admin1 == "Marib"


def test_a_metropolis_is_what_its_name_means_without_context(gaz: Gazetteer) -> None:
    """"مقتل 15 في تفجير الشاحنة المفخخة في كابول" (SaudiNewsNet, 2015-08-07): Kabul, the
    capital of Afghanistan, not the Galilee village of the same Arabic name."""
    assert gaz.resolve("كابول").country == "AF"
    assert gaz.resolve("كابل").country == "AF"


def test_mali_places_named_in_the_news(gaz: Gazetteer) -> None:
    """"هجوم على فندق في مدينة سيفاري (وسط مالي)" (SaudiNewsNet, 2015-08-09): the town and the
    direction regions of a country whose name is also a word (مالي, "financial")."""
    assert (gaz.resolve("سيفاري").country, gaz.resolve("سيفاري").geo_precision) == ("ML", 1)
    assert gaz.resolve("وسط مالي").name_en == "Central Mali"
    assert gaz.resolve("شمال مالي").name_en == "Northern Mali"


@pytest.mark.parametrize(("sentence", "place_id"), [
    # SaudiNewsNet (Asharq al-Awsat, 2015-07-21): the Quetta bombing
    ("قتل شخصان في تفجير انتحاري في مدينة كويتا عاصمة إقليم بلوشستان جنوب شرقي باكستان.", "admin1:PK.02"),
    # SaudiNewsNet: a letter from Zahedan
    ("وجه ناشطون في زاهدان عاصمة بلوشستان بإيران رسالة إلى الأمم المتحدة.", "admin1:IR.04"),
])
def test_balochistan_is_pakistans_or_irans_as_the_article_says(sentence: str, place_id: str) -> None:
    from rasd.doc import Article
    from rasd.pipeline import default_pipeline

    doc = default_pipeline()(Article(id="b", text="خبر\n\n" + sentence, published="2015-07-21"))
    (province,) = [e for e in doc.entities if e.place and e.place.feature == "admin1"]
    assert province.place.place_id == place_id
