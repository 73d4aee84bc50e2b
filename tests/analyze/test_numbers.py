"""Casualty figures in real Arabic news sentences (ANNOTATION.md: lowest figure; null only for
deaths without a figure; explicit zero for "no losses")."""

from __future__ import annotations

import pytest

from rasd.analyze.numbers import casualties, number_at
from rasd.text.tokens import tokenize


def _toll(sentence: str):
    tokens = tokenize(sentence)
    return casualties(tokens, 0, len(tokens))


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("انفجارا في بلدة سروج أسفر عن مقتل 27 شخصا وإصابة نحو 100", 27),
        ("12 شخصا على الأقل قتلوا حينما سقطت مقاتلة سورية على سوق مزدحم", 12),
        ("أعلنت خلية الإعلام الحربي عن مقتل عشرة من عناصر تنظيم داعش بضربة جوية", 10),
        ("هجوم آخر أودى بحياة ثلاثة جنود قرب الحدود مع العراق", 3),
        ("قتل خلال اليومين الماضيين أكثر من 30 مسلحا من التنظيم", 30),
        ("مقتل خمسة وعشرين شخصا في قصف على المدينة", 25),
        ("مقتل ١٥ شخصا في انفجار سيارة مفخخة", 15),
        ("ارتفع عدد القتلى إلى أكثر من 100 قتيل", 100),
        ("قُتل 13 وأُصيب 85 من ميليشيا الحوثي", 13),
        ("وقتل 12 من عناصره بينهم ثلاثة انتحاريين", 12),
        ("مقتل طفل فلسطيني حرقاً بأيدي مستوطنين في نابلس", 1),
        ("أكدت مصادر طبية مقتل عشرين شخصًا على الأقل، فيما جرح العشرات", 20),
        ("قتل نحو 20 شخصا وفي رواية أخرى 25", 20),
        # "بين" before the toll is "between", not "among them"
        ("الاشتباكات في مدينة تعز بين المقاومة والمسلحين الحوثيين أدت إلى مقتل أكثر من 20 مسلحا حوثيا", 20),
        ("اندلعت أول من أمس اشتباكات بين مقاتلينا والجيش الإيراني أسفرت عن مقتل خمسة جنود إيرانيين", 5),
    ],
)
def test_killed_figures(sentence: str, killed: int) -> None:
    assert _toll(sentence).killed == killed


@pytest.mark.parametrize(
    "sentence",
    [
        "سقوط قتلى وجرحى من الحوثيين السبت في اشتباكات مسلحة",
        "سقط عشرات القتلى في القصف",
        "قتل وجرح آخرون في انفجار سيارتين مفخختين",
    ],
)
def test_deaths_without_a_figure_are_null(sentence: str) -> None:
    toll = _toll(sentence)
    assert toll.deaths_reported and toll.killed is None


@pytest.mark.parametrize(
    "sentence",
    [
        "أفادت خلية الإعلام الأمني العراقي أن سقوط الصاروخ لم يسفر عن خسائر",
        "استهدفت المليشيات الحوثية منفذ الطوال بخمسة قذائف هاون لم تسفر عن اي اصابات",
        "سقطت القذيفة دون وقوع إصابات",
    ],
)
def test_explicit_no_casualties(sentence: str) -> None:
    toll = _toll(sentence)
    assert toll.explicit_none and toll.killed == 0 and not toll.deaths_reported


def test_injuries_apart_from_deaths() -> None:
    toll = _toll("مقتل 18 مدنيا وإصابة 26 آخرين جراء سقوط قذائف هاون")
    assert (toll.killed, toll.injured) == (18, 26)
    only_hurt = _toll("أُصيب أربعة فلسطينيين في غارة شنها الطيران الحربي")
    assert (only_hurt.killed, only_hurt.injured, only_hurt.deaths_reported) == (0, 4, False)


def test_number_words_and_digits() -> None:
    tokens = tokenize("ثلاث مئة و 1.500 و٢٣ والعشرات")
    assert number_at(tokens, 0).value == 300
    assert number_at(tokens, 3).value == 1500
    values = [n.value for n in (number_at(tokens, i) for i in range(len(tokens))) if n]
    assert 23 in values and None in values  # العشرات: a count without a figure


def test_an_age_is_not_a_toll() -> None:
    assert _toll("وقتل محمد علاونة (22 عاما) بعد إصابته برصاصة في الصدر").killed == 1


def test_subset_figures_are_not_another_toll() -> None:
    assert not _toll("وأشار المرصد إلى أن من بين قتلى المعارضة ثلاثة من قادة المجموعات").deaths_reported


def test_teens_are_one_number() -> None:
    assert number_at(tokenize("ثمانية عشر حوثياً"), 0).value == 18
    assert number_at(tokenize("ثلاث عشرة امرأة"), 0).value == 13
    assert casualties(tokenize("وأشار المصدر إلى مقتل ثمانية عشر حوثياً خلال تلك المواجهات"), 0, 10).killed == 18


@pytest.mark.parametrize(("sentence", "killed", "reported"), [
    ("استهدفت الفصائل تمركزات لقوات النظام بقذائف الهاون وانباء عن خسائر بشرية في صفوف قوات النظام", None, True),
    ("تبعه القاء الطيران المروحي اربعة براميل متفجرة على محيط المطار، دون معلومات عن حجم الخسائر البشرية", 0, False),
])
def test_human_losses(sentence: str, killed: int | None, reported: bool) -> None:
    toll = casualties(tokenize(sentence), 0, len(tokenize(sentence)))
    assert toll.killed == killed and toll.deaths_reported is reported


@pytest.mark.parametrize(("sentence", "killed"), [
    ("مقتـل جنود إيرانيين بهجوم كردي غربي إيـران", None),
    ("مقتل عناصر من التنظيم في الاشتباكات", None),
    ("5 جنود قتلوا في الهجوم", 5),
    ("مقتل فلسطيني برصاص الجيش", 1),
])
def test_a_bare_killed_word_before_a_broken_plural_is_no_figure(sentence: str, killed: int | None) -> None:
    assert casualties(tokenize(sentence), 0, len(tokenize(sentence))).killed == killed


def test_one_named_and_others_killed() -> None:
    """"قتل أبو قتادة المغربي و21 مسلحا آخرين": the one named and the 21 others."""
    tokens = tokenize("تمكنت القوات من قتل أبو قتادة المغربي و21 مسلحا آخرين من تنظيم داعش")
    assert casualties(tokens, 0, len(tokens)).killed == 22
    tokens = tokenize("قتل فلسطيني وأصيب 3 آخرون")
    toll = casualties(tokens, 0, len(tokens))
    assert (toll.killed, toll.injured) == (1, 3)


def test_a_figure_after_wajaraha_counts_the_injured() -> None:
    """"مقتل جنديين تركيين وجرح أربعة آخرين" (SaudiNewsNet, 2015-07-26): وجرح (kept whole by
    the tokenizer) is an injury cue; four were wounded, not killed (and the dual, two)."""
    tokens = tokenize("أعلنت سلطات دياربكر مقتل جنديين تركيين وجرح أربعة آخرين في انفجار سيارة مفخخة")
    toll = casualties(tokens, 0, len(tokens))
    assert (toll.killed, toll.injured) == (2, 4)


@pytest.mark.parametrize(("sentence", "killed", "injured"), [
    ("وأن الهجوم أسفر عن سقوط قتيلين من جماعة الحوثي وإصابة أربعة آخرين", 2, 4),
    ("ونجم عن ذلك وفاة شخص وإصابة شخصين وأجريت للمصابين الإسعافات الأولية", 0, 2),
    ("وقتل جنديان آخران عندما ارسلت الحكومة تعزيزات إلى المنطقة", 2, None),
    ("قتل جنديان وشرطيان في هجوم على نقطة تفتيش", 4, None),
])
def test_a_noun_in_the_dual_counts_two(sentence: str, killed: int | None, injured: int | None) -> None:
    toll = _toll(sentence)
    assert (toll.killed, toll.injured) == (killed, injured)


def test_a_nisba_plural_is_not_a_dual() -> None:
    """مدنيين is "civilians" as often as "two civilians": without اثنين no figure."""
    assert _toll("أسفر القصف عن مقتل مدنيين في ريف إدلب").killed is None
    assert _toll("أسفر القصف عن مقتل مدنيين اثنين في ريف إدلب").killed == 2


def test_others_killed_after_a_first_figure_add_up() -> None:
    """SaudiNewsNet 2015-08-01: five soldiers killed at the checkpoint and "جنديان آخران" killed
    when reinforcements came make seven; the 15 after "، وفقد" went missing, not died."""
    toll = _toll("وقال مسؤول عسكري إن خمسة جنود قتلوا، وفقد 15 آخرون عندما هاجم مقاتلو «داعش» نقطة التفتيش "
                 "خارج مدينة أجدابيا، وقتل جنديان آخران عندما أرسلت الحكومة تعزيزات، فيما أصيب خمسة آخرون.")
    assert (toll.killed, toll.injured) == (7, 5)


def test_deaths_recalled_with_a_demonstrative_are_no_new_toll() -> None:
    """SaudiNewsNet 2015-08-01: "ردا على مقتل هذين الشرطيين" recalls the two policemen killed
    before; the strikes it introduces killed no one that we know of."""
    toll = _toll("وردا على مقتل هذين الشرطيين، يشن الجيش التركي غارات على مواقع حزب العمال الكردستاني في شمال العراق")
    assert (toll.killed, toll.deaths_reported) == (0, False)


@pytest.mark.parametrize(("sentence", "killed"), [
    # SaudiNewsNet 2015-08-01 (alriyadh): a Hijri date after the casualty verb
    ("وكان الجنديان من منسوبي حرس الحدود بمنطقة عسير قد استشهدوا يوم الجمعة 1436/10/15هـ بعد تعرض المركز لقذائف", None),
    ("قتل 3 من رجال الأمن في 20/7/2015 بهجوم على نقطة تفتيش", 3),
    # SaudiNewsNet 2015-07-31 (aleqtisadiya): a birth year before the casualty verb
    ("والمتهمون المضبوطون هم مبارك ملفي مواليد 1986 انضم وقتل في إحدى العمليات الإرهابية في العراق", 1),
    ("قتل أكثر من 240 ألف شخص في سوريا منذ عام 2011", 240000),
])
def test_a_year_or_a_written_date_is_not_a_toll(sentence: str, killed: int | None) -> None:
    assert _toll(sentence).killed == killed


@pytest.mark.parametrize(("sentence", "killed"), [
    # SaudiNewsNet 2015-08-01 (alweeam): 50 killed and wounded together, no death toll
    ("ما أسفر عن وقوع أكثر من 50 قتيلا وجريحا في صفوف التنظيم", None),
    # SaudiNewsNet 2015-07-21 (aawsat): "between killed and wounded" is one count of both
    ("بعد مجزرة خان بني سعد الجمعة الماضية التي سقط فيها أكثر من 250 شخصًا بين قتيل وجريح", None),
    ("وفي العاصمة صنعاء، سقط سبعة حوثيين بين قتيل وجريح جراء هجوم للمقاومة الشعبية", None),
    # SaudiNewsNet 2015-07-22 (alweeam): a pair of verbal nouns before the figure
    ("أفادت مصادر إعلامية بمقتل وإصابة 60 عنصراً من الحوثيين وقوات الرئيس السابق", None),
    # another phrase gives the killed: that figure counts
    ("ارتفع عدد القتلى والجرحى إلى 50 قتيلا و100 جريح", 50),
])
def test_a_count_of_killed_and_wounded_together_is_no_death_toll(sentence: str, killed: int | None) -> None:
    toll = _toll(sentence)
    assert toll.deaths_reported and toll.killed == killed
    assert toll.injured in (None, 100)  # the combined figure is no injury count either


@pytest.mark.parametrize(("sentence", "killed", "injured"), [
    # SaudiNewsNet 2015-07-23 (okaz), Suruç: the hundred are the wounded
    ("وبعد يومين على الهجوم الذي أوقع 32 قتيلا ومئة جريح في سروج (جنوب)", 32, 100),
    # SaudiNewsNet 2015-07-21 (almadina): Sanaa car bomb
    ("أفاد مصدر مسؤول في وزارة الصحة اليمنية بأن انفجار السيارة المفخخة خلف خمسة قتلى و 11 جريحاً، بينهم مدنيون", 5, 11),
    # SaudiNewsNet 2015-07-25 (aawsat): the vague "dozens" counts the wounded
    ("مما تسبب في سقوط خمسة قتلى وعشرات الجرحى", 5, None),
])
def test_a_figure_after_wa_belongs_to_the_casualty_word_after_it(sentence: str, killed: int, injured: int | None) -> None:
    toll = _toll(sentence)
    assert (toll.killed, toll.injured) == (killed, injured)
