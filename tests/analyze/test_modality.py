"""Modality of event mentions in real Arabic sentences."""

from __future__ import annotations

import pytest

from rasd.analyze.lexicon import matcher
from rasd.analyze.modality import is_question, modality_at, sentence_cues
from rasd.text.tokens import tokenize


def _modality(sentence: str, reported: bool = False) -> str:
    tokens = tokenize(sentence)
    hit = next(matcher("triggers").scan(tokens))
    cues = sentence_cues(tokens, 0, len(tokens))
    question = is_question(sentence, tokens, 0, len(tokens))
    return modality_at(cues, tokens[hit.start], hit.start, hit.entry.get("group"), question, reported)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قصفت المدفعية التركية أمس مواقع حزب العمال الكردستاني في شمال العراق", "asserted"),
        ("تبنى تنظيم داعش التفجير الذي استهدف حي البياع", "claimed"),
        ("نفى الجيش الإسرائيلي قصف المدرسة في غزة", "denied"),
        ("هدد التنظيم بشن هجمات على السفارات", "threatened"),
        ("توعد الحوثيون بقصف المدن السعودية", "threatened"),
        ("يعتزم الجيش شن هجوم على المدينة خلال أيام", "planned"),
        ("قال إن الطائرات ستشن غارات على مواقع التنظيم", "planned"),
        ("أحبطت القوات الأمنية محاولة تفجير سيارة مفخخة في بغداد", "foiled"),
        ("هل تبدأ الحرب على وكلاء إيران بعد سقوط صاروخ؟", "question"),
        ("في حال تعرضت القوات الأمريكية لأي هجوم فإن الرد سيكون قاسيا", "hypothetical"),
        ("أدان الأمين العام الهجوم الذي استهدف المدنيين", "condemned"),
        ("استنكرت الخارجية التفجير الانتحاري في سروج", "condemned"),
        ("قتل 223 شخصا منذ بداية المعارك في أبريل", "drop"),
        ("حكمت محكمة بإعدام ثلاثة متهمين", "drop"),
    ],
)
def test_modalities(sentence: str, expected: str) -> None:
    assert _modality(sentence) == expected


def test_a_repelled_attack_is_a_clash_that_happened() -> None:
    assert _modality("أحبطت القوات المشتركة هجوما حوثيا على الحدود") == "asserted"


def test_attributed_mentions_are_reported() -> None:
    assert _modality("قال مصدر أمني إن انفجارا وقع في السوق", reported=True) == "reported"


def test_purpose_is_not_a_report() -> None:
    assert _modality("اتفق البلدان على استخدام القاعدة لتنفيذ هجمات ضد التنظيم") == "planned"


@pytest.mark.parametrize("sentence", [
    # SaudiNewsNet 2015-07-23: the soldiers came to arrest him; no arrest is told.
    "وأشارت متحدثة باسم الجيش إلى أنّ الجنود اتوا للقبض على محمد ابو ماريا",
    # SaudiNewsNet 2015-08-01: بغية, "with the aim of" storming the city.
    "كثف المسلحون الحوثيون هجومهم على المحافظة، وذلك بغية اقتحام عاصمتها",
    "وتواصل القوات العراقية عملياتها في الأنبار سعيا إلى تحرير مدينة الرمادي",
])
def test_a_purpose_clause_is_a_plan(sentence: str) -> None:
    tokens = tokenize(sentence)
    purposed = [h for h in matcher("triggers").scan(tokens) if h.entry.get("group") in ("arrest", "advance", "regain")]
    assert purposed, sentence
    cues = sentence_cues(tokens, 0, len(tokens))
    hit = purposed[-1]
    assert modality_at(cues, tokens[hit.start], hit.start, hit.entry.get("group"), False) == "planned"


def test_a_reward_for_information_is_no_arrest() -> None:
    """SaudiNewsNet 2015-08-06: a bounty "لمن يدلي بمعلومات تؤدي إلى اعتقاله" is hypothetical."""
    sentence = "وضعت السلطات الأميركية مكافأة لمن يدلي بمعلومات تؤدي إلى اعتقاله أو قتله"
    assert _modality(sentence) == "hypothetical"


def test_an_arrest_that_happened_with_the_article_is_asserted() -> None:
    """"تمكنت الشرطة من القبض على" (no ل of purpose) reports an arrest."""
    assert _modality("وتمكنت الشرطة من القبض على المتهم في مدينة القطيف أمس") == "asserted"
