"""The actor / organisation / person knowledge base: data, loader, lookups and CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.analyze.kb import (
    AL_STRIPPED,
    CLITIC_STRIPPED,
    EXACT,
    KBError,
    KnowledgeBase,
    default_kb,
    read_tsv,
)
from rasd.cli.kb import kb as kb_cli

HEADER = "id\ttype\tkind\tname_en\tacled\taliases_ar\tcountry\tparent\trole\n"


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return default_kb()


def _one(base: KnowledgeBase, name: str):
    found = base.lookup(name)
    assert found, f"no entry for {name}"
    return found[0]


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        ("قاسم سليماني", "Qasem Soleimani"),
        ("رويترز", "Reuters"),
        ("روسيا اليوم", "RT"),
        ("الحشد الشعبي", "Popular Mobilization Forces"),
        ("فيلق القدس", "Quds Force"),
        ("خلية الإعلام الأمني", "Iraqi Security Media Cell"),
        ("خلية الإعلام الحربي", "Iraqi War Media Cell"),
        ("المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights"),
        ("الغارديان", "The Guardian"),
        ("أورينت نت", "Orient Net"),
        ("واس", "Saudi Press Agency (SPA)"),
        ("فرانس برس", "AFP"),
        ("بشار الأسد", "Bashar al-Assad"),
        ("عبدالملك الحوثي", "Abdul-Malik al-Houthi"),  # spacing variant of عبد الملك
        ("حزب العمال الكردستاني", "Kurdistan Workers' Party (PKK)"),
        ("جيش مالي", "Malian Armed Forces"),  # "إن جنديين من جيش مالي قتلا" (SaudiNewsNet, 2015-08-08)
    ],
)
def test_known_names(base: KnowledgeBase, arabic: str, english: str) -> None:
    assert english in [e.name_en for e in base.lookup(arabic)]


def test_spelling_variants_share_an_id(base: KnowledgeBase) -> None:
    isis = {e.id for e in base.lookup("داعش")}
    assert isis == {e.id for e in base.lookup("تنظيم الدولة")} == {e.id for e in base.lookup("الدولة الإسلامية")}
    assert _one(base, "داعش").acled == "Islamic State (ISIS)"
    houthis = _one(base, "الحوثيين")
    assert houthis.id == _one(base, "أنصار الله").id == _one(base, "الحوثيون").id
    assert houthis.acled == "Houthis (Ansar Allah)"
    # Hamza and ta marbuta folding: no separate alias needed.
    assert _one(base, "الدوله الاسلاميه").id == _one(base, "داعش").id


def test_parent_chain(base: KnowledgeBase) -> None:
    quds = _one(base, "فيلق القدس")
    chain = [e.id for e in base.ancestors(quds.id)]
    assert chain[:2] == ["org:irgc", "org:gov-ir"]
    assert base.get("org:gov-ir").country == "IR"
    soleimani = _one(base, "قاسم سليماني")
    assert soleimani.type == "PER" and "Quds Force" in soleimani.role
    assert quds.id in [e.id for e in base.ancestors(soleimani.id)]


def test_state_forces(base: KnowledgeBase) -> None:
    assert _one(base, "الجيش التركي").acled == "Military Forces of Turkey"
    assert _one(base, "الشرطة العراقية").acled == "Police Forces of Iraq"
    assert _one(base, "القوات الأمريكية").acled == "Military Forces of the United States"
    assert "Saudi-led Coalition" in {e.acled for e in base.lookup("التحالف العربي")}


def test_match_kinds(base: KnowledgeBase) -> None:
    (m,) = base.match("رويترز")
    assert m.how == EXACT
    (m,) = base.match("لرويترز")
    assert (m.entry.name_en, m.how, m.key) == ("Reuters", CLITIC_STRIPPED, "رويترز")
    assert base.match("حشد الشعبي")[0].how == AL_STRIPPED
    assert base.match("للحشد الشعبي")[0].entry.id == "org:pmf"  # لل = ل + ال
    assert base.match("وبالحوثيين")[0].entry.id == "org:houthis"
    assert base.lookup("كلمة لا توجد في القاعدة") == []
    assert base.lookup("") == []


def test_coverage_and_alias_index(base: KnowledgeBase) -> None:
    assert len(base) >= 1500
    kinds = {e.kind for e in base.entries.values()}
    assert {"armed_group", "military", "police", "ministry", "outlet", "agency", "person"} <= kinds
    index = base.alias_index()
    assert "org:pmf" in index["الحشد الشعبي"]
    assert all(" " not in k or "  " not in k for k in index)  # single-spaced token keys
    for entry in base.entries.values():
        assert entry.type in ("PER", "ORG") and entry.aliases
        if entry.parent:
            assert base.get(entry.parent) is not None, f"{entry.id}: unknown parent {entry.parent}"


def test_user_dir_adds_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine.tsv").write_text(
        HEADER
        + "org:test-brigade\tORG\tmilitia\tTest Brigade\tTest Brigade (Iraq)\tلواء الاختبار|كتيبة الاختبار\tIQ\torg:pmf\t\n"
        + "media:reuters\tORG\tagency\tReuters News\t\tرويترز\tGB\t\t\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("RASD_KB_DIR", str(tmp_path))
    loaded = KnowledgeBase.load()
    entry = _one(loaded, "بلواء الاختبار")
    assert (entry.id, entry.acled, entry.country) == ("org:test-brigade", "Test Brigade (Iraq)", "IQ")
    assert [e.id for e in loaded.ancestors(entry.id)][0] == "org:pmf"
    assert loaded.get("media:reuters").name_en == "Reuters News"  # user file wins over the package


def test_extra_path_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "extra.tsv"
    good.write_text(HEADER + "per:test-person\tPER\tperson\tTest Person\t\tفلان الفلاني\n", encoding="utf-8")
    assert _one(KnowledgeBase.load([good]), "فلان الفلاني").name_en == "Test Person"

    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "org:ok\tORG\tparty\tOK\t\tحزب ما\n# comment\norg:bad\tXYZ\tparty\tBad\t\tحزب\n",
                   encoding="utf-8")
    with pytest.raises(KBError, match=r"bad\.tsv:4: type must be PER or ORG"):
        read_tsv(bad)
    short = tmp_path / "short.tsv"
    short.write_text(HEADER + "org:x\tORG\tparty\n", encoding="utf-8")
    with pytest.raises(KBError, match=r"short\.tsv:2: expected 9"):
        KnowledgeBase.load([short])
    header = tmp_path / "header.tsv"
    header.write_text("id\tname\n", encoding="utf-8")
    with pytest.raises(KBError, match=r"header\.tsv:1: header"):
        read_tsv(header)
    with pytest.raises(KBError, match="no such KB file"):
        KnowledgeBase.load([tmp_path / "missing.tsv"])


def test_load_is_fast() -> None:
    start = time.perf_counter()
    loaded = KnowledgeBase.load()
    assert time.perf_counter() - start < 0.5
    assert len(loaded) >= 1500


def test_cli_lookup_and_stats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_KB_DIR", str(tmp_path))  # keep the developer's own files out
    runner = CliRunner()
    result = runner.invoke(kb_cli, ["lookup", "فيلق القدس"])
    assert result.exit_code == 0, result.output
    assert "Quds Force" in result.output and "org:irgc" in result.output and "ACLED" in result.output
    result = runner.invoke(kb_cli, ["lookup", "لرويترز"])
    assert result.exit_code == 0 and "Reuters" in result.output and "clitic" in result.output
    result = runner.invoke(kb_cli, ["lookup", "داعش", "--json"])
    assert result.exit_code == 0 and '"acled": "Islamic State (ISIS)"' in result.output
    result = runner.invoke(kb_cli, ["lookup", "لا شيء هنا"])
    assert result.exit_code != 0 and "no KB entry" in result.output
    result = runner.invoke(kb_cli, ["stats"])
    assert result.exit_code == 0 and "by kind" in result.output and "person" in result.output
    assert "Examples" in runner.invoke(kb_cli, ["--help"]).output


def test_generated_state_table_is_up_to_date() -> None:
    """actors_states.tsv must be what scripts/build_kb.py makes now (edit the script, not the file)."""
    import importlib.util

    from rasd.analyze.kb import _package_files

    script = Path(__file__).resolve().parents[2] / "scripts" / "build_kb.py"
    spec = importlib.util.spec_from_file_location("build_kb", script)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    files = {p.name: p for p in _package_files()}
    curated = read_tsv(files["actors_curated.tsv"])
    claimed = {build.normalize_key(a) for e in curated for a in e.aliases}
    rows = build._resolve(build.state_entries(), claimed, {e.id for e in curated})
    shipped = read_tsv(files["actors_states.tsv"])
    assert [(r["id"], r["aliases_ar"]) for r in rows] == [(e.id, "|".join(e.aliases)) for e in shipped]


def test_a_shared_name_means_the_entry_of_the_article_s_theatre() -> None:
    """التحالف is the US-led Coalition over Mosul, the Saudi-led one over Saada (the KB's theatres
    column); الحرس الجمهوري is Saleh's in Yemen, Assad's in Syria."""
    import rasd

    def actors(text: str) -> dict[str, str]:
        doc = rasd.analyze("عنوان\n\n" + text, published="2015-07-25")
        return {e.text: e.kb_id for e in doc.entities if e.kb_id}

    assert actors("شنت طائرات التحالف غارات على مواقع داعش في الموصل وتلعفر.")["طائرات التحالف"] == "org:us-led-coalition"
    assert actors("شنت طائرات التحالف غارات على مواقع الحوثيين في صعدة وحجة.")["طائرات التحالف"] == "org:saudi-led-coalition"
    assert actors("هاجم الحوثيون والحرس الجمهوري مواقع المقاومة في تعز.")["الحرس الجمهوري"] == "org:republican-guard-ye"
    assert actors("قصف الحرس الجمهوري أحياء في دمشق وحمص.")["الحرس الجمهوري"] == "org:republican-guard-sy"


def test_theatres_column_is_optional(tmp_path: Path) -> None:
    path = tmp_path / "kb.tsv"
    path.write_text("id\ttype\tkind\tname_en\tacled\taliases_ar\tcountry\tparent\trole\ttheatres\n"
                    "org:a\tORG\tcoalition\tA\tA\tالتحالف\t\t\t\tIQ, sy\n"
                    "org:b\tORG\tcoalition\tB\tB\tالتحالف\n", encoding="utf-8")
    a, b = read_tsv(path)
    assert a.theatres == {"IQ", "SY"} and b.theatres == frozenset()
