"""Date expressions in real Arabic news sentences, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from rasd.analyze.dates import MONTH, WEEK, find_dates, hijri_to_gregorian, latest_weekday, resolve
from rasd.text.tokens import tokenize

PUBLISHED = date(2015, 7, 25)  # a Saturday


def _first(sentence: str, published: date = PUBLISHED):
    tokens = tokenize(sentence)
    cues = find_dates(tokens, 0, len(tokens), published)
    assert cues, f"no date found in {sentence!r}"
    return cues[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قصفت المدفعية التركية أمس مواقع حزب العمال الكردستاني في شمال العراق", "2015-07-24"),
        ("عبوة ناسفة انفجرت امس في حي اليرموك الثانية غربي بعقوبة", "2015-07-24"),
        ("في عملية انتحارية في قضاء بعاج أول من أمس", "2015-07-23"),
        ("شن ليلة أول أمس سلسلة غارات على القواعد الخلفية للحزب", "2015-07-23"),
        ("صد هجوم في ساعة متأخرة من الليلة قبل الماضية", "2015-07-23"),
        ("سقوط أكثر من 10 قذائف هاون الليلة الماضية على منازل في ناحية هبهب", "2015-07-24"),
        ("أعلنت قيادة الشرطة الاتحادية اليوم عن صد هجوم", "2015-07-25"),
        ("قصفت طائرات التحالف مواقع التنظيم فجر اليوم", "2015-07-25"),
        ("وقعت الاشتباكات صباح اليوم في المدينة", "2015-07-25"),
    ],
)
def test_relative_days(sentence: str, expected: str) -> None:
    assert _first(sentence).day.isoformat() == expected


def test_weekday_is_the_latest_such_day_on_or_before_publication() -> None:
    assert _first("قتل ثلاثة جنود في هجوم يوم الأحد الماضي").day == date(2015, 7, 19)
    assert _first("هجوم نفذه مسلحون الخميس على موقع متقدم للجيش").day == date(2015, 7, 23)
    assert _first("اندلعت مواجهات السبت في مديرية أرحب").day == PUBLISHED  # the day itself


def test_weekday_overrides_the_adverb_it_follows() -> None:
    # "اليوم الاثنين" in an article published on Saturday 25 July: the Monday before.
    assert _first("قالت وزارة الداخلية التركية في بيان اليوم الاثنين إن انفجارا").day == date(2015, 7, 20)
    assert _first("أصيب أربعة فلسطينيين مساء أمس الجمعة في غارة").day == date(2015, 7, 24)


def test_one_of_is_not_sunday() -> None:
    tokens = tokenize("فجر أحد مسلحي التنظيم نفسه وسط مجموعة من المسلحين")
    assert find_dates(tokens, 0, len(tokens), PUBLISHED) == []


def test_this_week_is_the_publication_week() -> None:
    # SaudiNewsNet (Reuters via Asharq al-Awsat), on the Suruç bombing
    cue = _first("فقتل 32 شخصا معظمهم طلبة في بلدة سوروتش الحدودية هذا الأسبوع")
    assert cue.day == PUBLISHED and cue.precision == WEEK


def test_weeks_and_days_ago_with_words_and_digits() -> None:
    cue = _first("قابل سليماني المليشيات في بغداد قبل ثلاثة أسابيع")
    assert cue.day == date(2015, 7, 4) and cue.precision == WEEK
    assert _first("اعتقل قبل 3 أيام في الموصل").day == date(2015, 7, 22)
    assert _first("وقع الهجوم قبل يومين").day == date(2015, 7, 23)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("تفجير انتحاري استهدف مدينة سوروج في 20 يوليو (تموز)", "2015-07-20"),
        ("وقع الهجوم في 25 يوليو/تموز 2015", "2015-07-25"),
        ("بدأت قوات النظام في الرابع من يوليو الماضي هجوما على مدينة الزبداني", "2015-07-04"),
        ("قتل في 3 أيار الماضي", "2015-05-03"),
        ("اعتقل في 15 كانون الثاني", "2015-01-15"),
        ("سقط الصاروخ في 19 مايو 2019", "2019-05-19"),
    ],
)
def test_explicit_dates_in_both_month_systems(sentence: str, expected: str) -> None:
    assert _first(sentence).day.isoformat() == expected


def test_a_later_month_without_year_is_last_year() -> None:
    assert _first("قتل في 20 ديسمبر").day == date(2014, 12, 20)


def test_hijri_dates() -> None:
    assert hijri_to_gregorian(1, 1, 1) == date(622, 7, 19)
    assert hijri_to_gregorian(1436, 10, 1) == date(2015, 7, 18)  # Eid al-Fitr 1436 (±1 day)
    assert _first("وقع التفجير في 5 شوال 1436 هـ").day == date(2015, 7, 22)
    assert _first("وقع التفجير في 5 شوال").day == date(2015, 7, 22)  # year from publication


def test_month_words_alone_are_not_dates() -> None:
    tokens = tokenize("قال إن آب وصفر لا يعنيان شيئا")
    assert find_dates(tokens, 0, len(tokens), PUBLISHED) == []


def test_last_month() -> None:
    cue = _first("قتل الشهر الماضي في المدينة")
    assert cue.day == date(2015, 6, 1) and cue.precision == MONTH


def test_resolve_prefers_the_expression_next_to_the_event() -> None:
    tokens = tokenize("ذكر مسؤول كردي أمس أن مسلحا فجر نفسه في قضاء بعاج أول من أمس")
    anchor = next(i for i, t in enumerate(tokens) if t.norm == "فجر")
    assert resolve(tokens, 0, len(tokens), "2015-07-22", anchor).day == date(2015, 7, 20)


def test_no_publication_date_no_date() -> None:
    tokens = tokenize("سقط صاروخ أمس في المنطقة الخضراء")
    assert resolve(tokens, 0, len(tokens), None) is None


def test_latest_weekday() -> None:
    assert latest_weekday(date(2019, 5, 20), 6) == date(2019, 5, 19)


def test_days_before_a_reference() -> None:
    from rasd.analyze.dates import days_before_reference

    tokens = tokenize("وذلك بعد أربعة أيام على تفجير انتحاري دام استهدف مدينة سوروتش")
    assert days_before_reference(tokens, 0, len(tokens)) == 4
    tokens = tokenize("بعد يومين من الهجوم")
    assert days_before_reference(tokens, 0, len(tokens)) == 2
    tokens = tokenize("في هجوم يأتي غداة مقتل 21 شخصا في هجمات")
    assert days_before_reference(tokens, 0, len(tokens)) == 1


def test_reference_before_says_where_its_phrase_begins() -> None:
    from rasd.analyze.dates import reference_before

    tokens = tokenize("وتأتي هذه المواجهة المباشرة بعد ثلاثة أيام على الهجوم الانتحاري")
    assert reference_before(tokens, 0, len(tokens)) == (3, 4)


def test_the_same_day_is_no_date_of_its_own() -> None:
    tokens = tokenize("كما باشرت فرق الدفاع المدني في اليوم نفسه بلاغا عن سقوط مقذوف")
    assert find_dates(tokens, 0, len(tokens), date(2015, 7, 23)) == []


def test_a_date_after_since_is_when_something_began() -> None:
    """"منذ الأسبوع الماضي" (SaudiNewsNet, 2015-08-10) names the start of something ongoing."""
    tokens = tokenize("التي تشهد اشتباكات منذ الأسبوع الماضي")
    cues = find_dates(tokens, 0, len(tokens), date(2015, 8, 10))
    assert [(c.kind, c.day) for c in cues] == [("since", date(2015, 8, 3))]
