"""Event dates from Arabic date expressions, resolved against the publication date.

Handles relative days (أمس، أول أمس، اليوم، الليلة الماضية...), weekday names (the latest
such day on or before publication: "الأحد الماضي", "اليوم الاثنين"), "قبل N أيام/أسابيع",
explicit Gregorian dates in either month-name system ("25 يوليو/تموز 2015", "الرابع من
أيار") and Hijri dates ("15 رمضان 1436 هـ", converted with the tabular Islamic calendar).
Expressions live in `date_cues.tsv` and `months.tsv`; numbers come from `numbers.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from rasd.analyze.lexicon import PhraseMatcher, matcher
from rasd.analyze.numbers import number_at
from rasd.doc import Token

DAY, WEEK, MONTH = 1, 2, 3  # ACLED time_precision
# A bare day-month date more than this many days after publication is from the previous year.
FUTURE_SLACK_DAYS = 31
# Words between "قبل" and its number/unit are rare; look this far ahead at most.
_AGO_REACH = 3
_AGO = "قبل"
_OF = "من"  # الرابع من يوليو
_AFTER = "بعد"
_DAY_AFTER = ("غداه",)
_OF_REFERENCE = ("علي", "من")  # بعد أربعة أيام على / من


@dataclass(frozen=True, slots=True)
class DateCue:
    """A date expression at tokens [start, end) and the day it names."""

    day: date
    precision: int
    start: int
    end: int
    kind: str  # relative, weekday, ago, explicit, hijri, month, since


@lru_cache(maxsize=1)
def _cues() -> PhraseMatcher:
    return matcher("date_cues")


@lru_cache(maxsize=1)
def _months() -> PhraseMatcher:
    return matcher("months")


def parse_iso(value: str | None) -> date | None:
    """A publication date as `date`, or None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Tabular (arithmetic) Islamic calendar, civil epoch; within a day or two of Umm al-Qura."""
    days = day + (29 * (month - 1) + (month) // 2) + (year - 1) * 354 + (3 + 11 * year) // 30
    # Julian day 1948439.5 is 1 Muharram 1 AH (16 July 622 Julian); ordinal = JD - 1721424.5.
    return date.fromordinal(days + 1948439 - 1 - 1721424)


def _gregorian_to_hijri_year(day: date) -> int:
    """The Hijri year of a Gregorian day (approximate to a day; used to complete "15 رمضان")."""
    return int((day.toordinal() + 1721425 - 1948439) * 30 / 10631) + 1


def latest_weekday(reference: date, weekday: int) -> date:
    """The latest day with `weekday` (Monday 0) on or before `reference`."""
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def find_dates(
    tokens: Sequence[Token], start: int, end: int, published: date, candidates: Sequence[int] | None = None
) -> list[DateCue]:
    """Every date expression in tokens[start:end], resolved against `published`.

    `candidates`: sorted token indices where an expression may start (date words, number
    words, figures; see `CANDIDATE_LEXICONS`); without it every token is tried."""
    found: list[DateCue] = []
    after = start
    for i in candidates if candidates is not None else range(start, end):
        if i < after or i >= end:
            continue
        cue = _explicit_at(tokens, i, end, published) or _ago_at(tokens, i, end, published)
        if cue is None:
            cue = _relative_at(tokens, i, end, published)
            if cue is not None and cue.kind == SAME:
                after = cue.end  # "في اليوم نفسه": the day told before, not today
                continue
        if cue is not None:
            found.append(cue)
            after = cue.end
    return [replace(c, kind=SINCE) if c.start > start and tokens[c.start - 1].norm == _SINCE and c.kind != "ago" else c
            for c in _combine(found)]


# "منذ الأسبوع الماضي": the day something ongoing began, not the day of an event.
SINCE, _SINCE = "since", "منذ"
# date_cues kind of "اليوم نفسه": it only keeps its words from being read as today.
SAME = "same"
# The lexicons whose words can start a date expression (for TokenIndex).
CANDIDATE_LEXICONS = ("date_cues", "number_words")


def _combine(found: list[DateCue]) -> list[DateCue]:
    """"اليوم الاثنين" and "أمس الجمعة": the weekday fixes the day, the adverb adds nothing."""
    out: list[DateCue] = []
    for cue in found:
        if out and out[-1].end == cue.start and {out[-1].kind, cue.kind} == {"relative", "weekday"}:
            weekday = cue if cue.kind == "weekday" else out[-1]
            out[-1] = DateCue(weekday.day, DAY, out[-1].start, cue.end, "weekday")
            continue
        out.append(cue)
    return out


def _relative_at(tokens: Sequence[Token], i: int, end: int, published: date) -> DateCue | None:
    hit = _cues().match_at(tokens, i, end)
    if hit is None:
        return None
    kind = hit.entry.get("kind")
    value = int(hit.entry.get("value"))
    precision = int(hit.entry.get("precision"))
    if kind == "relative":
        return DateCue(published + timedelta(days=value), precision, i, hit.end, kind)
    if kind == "weekday":
        if not _definite(tokens, i):
            return None  # أحد مسلحي "one of the fighters", not الأحد "Sunday"
        return DateCue(latest_weekday(published, value), precision, i, hit.end, kind)
    if kind == SAME:
        return DateCue(published, precision, i, hit.end, SAME)
    if kind == "month_rel":
        first = published.replace(day=1)
        if value < 0:
            first = (first - timedelta(days=1)).replace(day=1)
        return DateCue(first, MONTH, i, hit.end, "month")
    return None


def _definite(tokens: Sequence[Token], i: int) -> bool:
    """A weekday name is written with the article (الأحد) or after يوم (يوم الأحد)."""
    return "ال" in tokens[i].prefixes or (i > 0 and tokens[i - 1].norm == "يوم")


def _ago_at(tokens: Sequence[Token], i: int, end: int, published: date) -> DateCue | None:
    """قبل ثلاثة أسابيع، قبل يومين، قبل 3 أيام."""
    if tokens[i].norm != _AGO or i + 1 >= end:
        return None
    j = i + 1
    number = number_at(tokens, j, end)
    count = 1
    if number is not None and number.value is not None:
        count, j = number.value, number.end
    for k in range(j, min(end, j + _AGO_REACH)):
        unit = _cues().match_at(tokens, k, end)
        if unit is not None and unit.entry.get("kind") == "unit":
            if number is None and tokens[k].norm.endswith(("ين", "ان")):
                count = 2  # the dual: يومين، أسبوعين
            days = count * int(unit.entry.get("value"))
            return DateCue(published - timedelta(days=days), int(unit.entry.get("precision")), i, unit.end, "ago")
        if unit is None and number is None:
            return None
    return None


def days_before_reference(tokens: Sequence[Token], start: int, end: int) -> int | None:
    """"بعد أربعة أيام على تفجير ...", "غداة مقتل ...": the event after the phrase happened
    that many days before the date the sentence is about. Returns the days, or None."""
    found = reference_before(tokens, start, end)
    return found[0] if found else None


def reference_before(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """`days_before_reference`'s days and the token where its phrase begins."""
    for i in range(start, end):
        if tokens[i].norm in _DAY_AFTER:
            return 1, i  # غداة: "on the day after" the event that follows
        if tokens[i].norm != _AFTER or i + 2 >= end:
            continue
        j, count = i + 1, 1
        number = number_at(tokens, j, end)
        if number is not None and number.value is not None:
            count, j = number.value, number.end
        unit = _cues().match_at(tokens, j, end) if j < end else None
        if unit is None or unit.entry.get("kind") != "unit" or unit.end >= end:
            continue
        if number is None and tokens[j].norm.endswith(("ين", "ان")):
            count = 2
        if tokens[unit.end].norm in _OF_REFERENCE:
            return count * int(unit.entry.get("value")), i
    return None


def _explicit_at(tokens: Sequence[Token], i: int, end: int, published: date) -> DateCue | None:
    """A day number (digits or ordinal), optional من, a month name, optional /other name, year."""
    number = number_at(tokens, i, end)
    if number is None or number.value is None or not 1 <= number.value <= 31:
        return None
    j = number.end
    if j < end and tokens[j].norm == _OF:
        j += 1
    if j >= end:
        return None
    month_hit = _months().match_at(tokens, j, end)
    if month_hit is None:
        return None
    calendar = month_hit.entry.get("calendar")
    month = int(month_hit.entry.get("month"))
    j = _skip_alternative_name(tokens, month_hit.end, end)
    year, j = _year_at(tokens, j, end)
    try:
        if calendar == "hijri":
            hyear = year or _gregorian_to_hijri_year(published)
            day = hijri_to_gregorian(hyear, month, number.value)
            if year is None and day > published + timedelta(days=FUTURE_SLACK_DAYS):
                day = hijri_to_gregorian(hyear - 1, month, number.value)
            return DateCue(day, DAY, i, j, "hijri")
        day = date(year or published.year, month, number.value)
    except ValueError:
        return None
    if year is None and day > published + timedelta(days=FUTURE_SLACK_DAYS):
        day = day.replace(year=day.year - 1)
    return DateCue(day, DAY, i, j, "explicit")


def _skip_alternative_name(tokens: Sequence[Token], j: int, end: int) -> int:
    """Skip "/تموز", "(تموز)" or "الماضي" after a month name."""
    while j < end:
        norm = tokens[j].norm
        if norm in ("/", "(", ")", "-", "الماضي", "ماضي", "الحالي", "حالي", "الجاري", "جاري"):
            j += 1
            continue
        alt = _months().match_at(tokens, j, end)
        if alt is None:
            break
        j = alt.end
    return j


def _year_at(tokens: Sequence[Token], j: int, end: int) -> tuple[int | None, int]:
    if j < end and tokens[j].norm.isdigit() and len(tokens[j].norm) == 4:
        year = int(tokens[j].norm)
        j += 1
        if j < end and tokens[j].norm in ("ه", "هـ", "م"):  # هـ (Hijri) / م (Gregorian) markers
            j += 1
        return year, j
    return None, j


def resolve(
    tokens: Sequence[Token], start: int, end: int, published: str | None, anchor: int | None = None
) -> DateCue | None:
    """The date expression of a clause nearest to token `anchor` (its trigger), or None (the
    caller then uses the publication date). "ذكر مسؤول أمس أن ... هجوم أول من أمس": the
    expression next to the event, not the one dating the statement."""
    day = parse_iso(published)
    if day is None:
        return None
    cues = find_dates(tokens, start, end, day)
    if not cues:
        return None
    if anchor is None:
        return cues[0]
    return nearest(cues, anchor)


def nearest(cues: Sequence[DateCue], anchor: int) -> DateCue:
    """The cue closest to token `anchor`, preferring one after it: Arabic dates the event after
    its verb ("قصفت المدفعية أمس"), while a date before it often dates the statement."""
    return min(cues, key=lambda c: (c.start < anchor, abs(c.start - anchor)))
