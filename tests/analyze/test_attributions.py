"""Reported speech and sourcing patterns, with chains (RT ← unnamed sources)."""

from __future__ import annotations

import pytest
from _docs import make_doc

from rasd.analyze.attributions import AttributionFinder, cited_names

REUTERS = ("رويترز", "ORG", "Reuters", "agency")
RT = ("روسيا اليوم", "ORG", "RT", "outlet")
CELL = ("خلية الإعلام الأمني العراقي", "ORG", "Iraqi Security Media Cell", "agency")
SOHR = ("المرصد السوري لحقوق الإنسان|لمرصد السوري لحقوق الإنسان", "ORG", "Syrian Observatory for Human Rights", "monitor")
MOI = ("وزارة الداخلية التركية", "ORG", "Ministry of Interior (Turkey)", "ministry")


def _attributions(body: str, entities: list[tuple]):
    doc = make_doc("عنوان", body, entities)
    return AttributionFinder()(doc).attributions


def test_said_to_an_outlet_is_the_outlet_citing_the_speakers() -> None:
    body = "وقال مصدران دبلوماسيان مقرهما في بغداد لرويترز، إنهما سمعا الانفجار على مقربة من المنطقة الخضراء."
    (a,) = _attributions(body, [REUTERS])
    assert (a.source, a.kind, a.named, a.via) == ("Reuters", "agency", True, ["Two diplomatic sources"])
    assert a.cue == "وقال" and a.sentence == 1


def test_relayed_from_unnamed_sources() -> None:
    body = 'من جانبه، نقل "روسيا اليوم" عن مصادر لـم يسمها، أن صاروخا سقط قرب السفارة الأمريكية.'
    (a,) = _attributions(body, [RT])
    assert (a.source, a.via) == ("RT", ["Unnamed sources"])


def test_named_agency_with_afadat() -> None:
    body = 'فيما أفادت "خلية الإعلام الأمني العراقي" أن سقوط الصاروخ لم يسفر عن خسائر.'
    (a,) = _attributions(body, [CELL])
    assert a.source == "Iraqi Security Media Cell" and a.via == []


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ("وبحسب المرصد السوري لحقوق الإنسان فإن 12 شخصا قتلوا.", "Syrian Observatory for Human Rights"),
        ("قتل 12 شخصا وفقا للمرصد السوري لحقوق الإنسان.", "Syrian Observatory for Human Rights"),
        ("قتل 12 شخصا حسب المرصد السوري لحقوق الإنسان.", "Syrian Observatory for Human Rights"),
        ("قالت وزارة الداخلية التركية في بيان إن انفجارا وقع.", "Ministry of Interior (Turkey)"),
        ("أكد مصدر أمني أن عبوة ناسفة انفجرت.", "Security sources"),
        ("ذكرت مصادر محلية أن التنظيم احتجز 50 عائلة.", "Local sources"),
        ("أعلن مصدر طبي مقتل عشرين شخصا.", "Medical sources"),
        ("صرح مسؤول بأن الهجوم فشل.", "Officials"),
        ("كشف شهود عيان أن الطائرات قصفت السوق.", "Witnesses"),
    ],
)
def test_sourcing_patterns(body: str, source: str) -> None:
    found = _attributions(body, [SOHR, MOI])
    assert [a.source for a in found] == [source]


def test_continuation_without_subject_keeps_the_previous_source() -> None:
    body = "قالت وزارة الداخلية التركية إن انفجارا وقع في سروج.\nوأضاف أن هناك مخاوف من ارتفاع عدد القتلى."
    first, second = _attributions(body, [MOI])
    assert second.source == first.source == "Ministry of Interior (Turkey)"
    assert second.sentence == first.sentence + 1


def test_anaphora_refers_to_the_latest_source() -> None:
    body = "قال المرصد السوري لحقوق الإنسان إن 18 قتلوا.\nوبحسب المصادر نفسها فإن القصف استمر."
    first, second = _attributions(body, [SOHR])
    assert second.source == "Syrian Observatory for Human Rights"


def test_generic_media_are_kept_but_not_cited() -> None:
    found = _attributions("أفادت وكالات أنباء عالمية بسقوط صاروخ في المنطقة الخضراء.", [])
    assert [a.kind for a in found] == ["generic"] and cited_names(found) == []


def test_the_same_sources_telling_an_outlet_are_cited_with_that_outlet() -> None:
    """"وقال المصدر لوكالة الأنباء الألمانية إن قوات البيشمركة تمكنت امس من صد هجوم"
    (SaudiNewsNet, 2015-07-21): "المصدر" refers back to the security source; what it told dpa
    is cited as that source again, and as dpa via it."""
    dpa = ("وكالة الأنباء الألمانية", "ORG", "dpa", "agency")
    body = ("أفاد مصدر أمني عراقي بمقتل 24 مدنيا في بعقوبة.\n"
            "وقال المصدر لوكالة الأنباء الألمانية إن قوات البيشمركة تمكنت امس من صد هجوم لمسلحي داعش.")
    doc = make_doc("عنوان", body, [dpa])
    doc.entities[0].kb_id = "media:dpa"  # a linked outlet: "لوكالة" is not the anaphoric "الوكالة"
    first, again, relayed = AttributionFinder()(doc).attributions
    assert first.source == "Security sources"
    assert (again.source, again.sentence) == ("Security sources", 2)
    assert (relayed.source, relayed.via, relayed.sentence) == ("dpa", ["Security sources"], 2)


DPA = ("وكالة الأنباء الألمانية", "ORG", "German Press Agency (dpa)", "agency")


@pytest.mark.parametrize(
    ("body", "cited"),
    [
        # a dev article (Baquba, 2015-07-24): the officials told before, and the agency they told
        ("أعلن مسؤولون أمنيون عراقيون وأكراد امس الخميس مقتل 11 من عناصر داعش. وقال المسؤولون لوكالة الأنباء"
         " الألمانية إن قوة أمنية شنت عملية عسكرية.", [["Officials"], ["Officials", "German Press Agency (dpa)"]]),
        # unnamed sources first met telling the agency are cited through it alone
        ("وقال مصدران دبلوماسيان لوكالة الأنباء الألمانية إنهما سمعا الانفجار.", [["German Press Agency (dpa)"]]),
    ],
    ids=["definite-description", "indefinite-description"],
)
def test_a_source_known_before_is_cited_with_the_outlet_it_told(body: str, cited: list[list[str]]) -> None:
    found = _attributions(body, [DPA])
    by_sentence: dict[int, list[str]] = {}
    for a in found:
        by_sentence.setdefault(a.sentence, []).append(a.source)
    assert list(by_sentence.values()) == cited


def test_plural_reporting_verbs() -> None:
    """"وأشاروا إلى مقتل 10 مدنيين" (the dev article above): a plural verb continues its subject's report."""
    body = "أعلن مسؤولون أمنيون مقتل 11 مسلحا.\nوأشاروا إلى مقتل 10 مدنيين في انفجار عبوتين ناسفتين."
    first, second = _attributions(body, [])
    assert (first.source, second.source, second.sentence) == ("Officials", "Officials", 2)


@pytest.mark.parametrize(
    ("body", "sources"),
    [
        # the dev article's lead: a source of a party is that party
        ("أفاد مصدر من المقاومة الشعبية اليوم الجمعة بمقتل ثمانية عشر حوثياً في مدينة الضالع.",
         ["Popular Resistance (Yemen)"]),
        ("وعلى نفس الصعيد، قال مصدر في قوات البشمركة إن قوات البيشمركة تمكنت من تدمير خمس سيارات مفخخة.",
         ["Peshmerga"]),
        # sources in a place are local sources; "المصدر" with the article is the source told before
        ("قالت مصادر في محافظة إب، وسط اليمن إن طيران التحالف شن غارات جوية على معسكر.", ["Local sources"]),
        ("قال مصدر أمني إن مسلحين هاجموا قرية. وأضاف المصدر من كومجويا أن المقاتلين فروا.",
         ["Security sources", "Security sources"]),
    ],
    ids=["of-a-party", "of-a-force", "in-a-place", "the-source-again"],
)
def test_a_source_of_a_party(body: str, sources: list[str]) -> None:
    """source_descriptions.tsv `affiliated`: "مصدر من/في X"."""
    from rasd.pipeline import analyze

    assert [a.source for a in analyze(body, "2015-07-31", title="عنوان").attributions] == sources


def test_a_newspaper_quoting_itself_is_told_not_the_speaker() -> None:
    """Saudi papers name themselves in quotes: "وقال لـ«الرياض» مصدر أمني" cites the security source,
    not Al Riyadh (as the dev gold of Asharq Al-Awsat's "قال ... لـ«الشرق الأوسط»" cites the speaker);
    a name right after the paper is the speaker ("وقال لـ"الاقتصادية" برتران بزانسنو"), and what
    follows إن is what was told, not who told it."""
    from rasd.pipeline import analyze

    def sources(text: str) -> list[tuple[str, list[str]]]:
        return [(a.source, a.via) for a in analyze(text, "2015-07-21", title="عنوان").attributions]

    assert sources("وقال لـ«الرياض» مصدر أمني إن الهجوم وقع في الرياض.") == [("Security sources", [])]
    assert sources("وقال لـ«الشرق الأوسط» مصدر عسكري إن الطائرات قصفت مواقع الحوثيين.") == [("Military sources", [])]
    assert sources("وقال لـ\"الاقتصادية\" برتران بزانسنو، السفير الفرنسي لدى المملكة، إن الهجوم إرهابي.") == [
        ("Brtran Bzansnw", [])]
    assert sources("وأوضح لـ\"الاقتصادية\" أبو محمد العدني القيادي أن هناك معارك مع المقاومة الشعبية في التواهي.") == []
    # an agency told, unquoted, is still cited with the sources it relays
    assert sources("وقال مصدران دبلوماسيان لرويترز إن صاروخا سقط في المنطقة الخضراء.") == [
        ("Reuters", ["Two diplomatic sources"])]
