"""Turn a scraped article into (headline, clean body, what was dropped and why).

The rules are data (`data/clean/patterns.tsv`): whole-line furniture (comment
counters, "most read", share/subscribe/tag/copyright/navigation lines, emoji-led
menu lines, lone numbers), and furniture glued to the start or end of the body
(share widgets, "...المزيد", trailing tag lists, link-back lines). Line rules only
drop short lines (each rule has a word limit), so a real short paragraph — a
sub-heading such as "الرد سيكون قاس" or a dateline such as "عين اليوم – بغداد" —
is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rasd.doc import Article, Dropped
from rasd.errors import ResourceError
from rasd.text.normalize import normalize_key

_BLANKS = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+")
TAIL_WINDOW = 600  # trailing furniture (tag lists, link-backs) is short: search only the end
EMOJI_MENU_MAX_WORDS = 6  # an emoji-led line longer than this is prose, not a menu item


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    scope: str  # line, head, tail
    max_words: int
    pattern: re.Pattern[str]
    reason: str


@dataclass(frozen=True, slots=True)
class CleaningRules:
    line: tuple[Rule, ...]
    head: tuple[Rule, ...]
    tail: tuple[Rule, ...]

    @classmethod
    def from_file(cls, path: Path | str) -> CleaningRules:
        rules: list[Rule] = []
        with open(path, encoding="utf-8") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip() or raw.startswith("#") or raw.startswith("rule\t"):
                    continue
                rules.append(_parse_rule(raw.rstrip("\n"), f"{path}:{number}"))
        return cls(
            line=tuple(r for r in rules if r.scope == "line"),
            head=tuple(r for r in rules if r.scope == "head"),
            tail=tuple(r for r in rules if r.scope == "tail"),
        )


def _parse_rule(raw: str, where: str) -> Rule:
    fields = raw.split("\t")
    if len(fields) != 5:
        raise ResourceError(f"{where}: expected 5 tab-separated fields, got {len(fields)}")
    name, scope, max_words, pattern, reason = fields
    if scope not in ("line", "head", "tail"):
        raise ResourceError(f"{where}: unknown scope {scope!r} (line, head or tail)")
    try:
        # Head rules are anchored here; line rules are used with fullmatch, tail rules must end the body.
        compiled = re.compile(("^" if scope == "head" else "") + f"(?:{pattern})", re.IGNORECASE)
    except re.error as error:
        raise ResourceError(f"{where}: bad pattern for rule {name!r}: {error}") from error
    return Rule(name, scope, int(max_words or 0), compiled, reason)


@lru_cache(maxsize=1)
def default_rules() -> CleaningRules:
    return CleaningRules.from_file(str(resources.files("rasd") / "data/clean/patterns.tsv"))


def clean_article(article: Article, rules: CleaningRules | None = None) -> tuple[str, str, list[Dropped]]:
    """Return (headline, body, dropped lines) for an ingested article."""
    return clean_text(article.text, title=article.title, rules=rules)


def clean_text(text: str, title: str | None = None, rules: CleaningRules | None = None) -> tuple[str, str, list[Dropped]]:
    """Clean raw article text. Without `title`, the first non-empty line is the headline."""
    rules = rules or default_rules()
    dropped: list[Dropped] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if title is None:
        lines, title = _take_headline(lines)
    title = " ".join(title.split())
    lines = _drop_repeated_headline(lines, title, dropped)
    # Word counts only matter up to the largest limit: counting stops just past it.
    word_cap = max([EMOJI_MENU_MAX_WORDS, *(rule.max_words for rule in rules.line)])
    kept = [line for line in lines if not _is_furniture(line, rules, dropped, word_cap)]
    body = "\n".join(kept)
    body = _trim_edges(body, rules, dropped)
    body = _BLANKS.sub("\n\n", body).strip()
    return title, body, dropped


def _take_headline(lines: list[str]) -> tuple[list[str], str]:
    for i, line in enumerate(lines):
        if line.strip():
            return lines[i + 1 :], line.strip()
    return [], ""


def _drop_repeated_headline(lines: list[str], title: str, dropped: list[Dropped]) -> list[str]:
    """The headline repeated at the top of the body (scrapers often take it twice) appears once."""
    key = normalize_key(title)
    out = list(lines)
    while key:
        first = next((i for i, line in enumerate(out) if line.strip()), None)
        # Cheap length test first: most first lines are paragraphs, far longer than a headline.
        if first is None or len(out[first]) > 2 * len(title) + 10 or normalize_key(out[first]) != key:
            break
        dropped.append(Dropped(out[first].strip(), "repeated_headline", "headline repeated at the top of the body"))
        del out[first]
    return out


def _is_furniture(line: str, rules: CleaningRules, dropped: list[Dropped], word_cap: int) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    bare = _strip_leading_symbols(stripped)
    words = len(bare.split(None, word_cap))  # at most word_cap + 1: more than any limit
    if bare != stripped and words <= EMOJI_MENU_MAX_WORDS and _starts_with_pictograph(stripped):
        dropped.append(Dropped(stripped, "emoji_menu", "emoji-led menu line"))
        return True
    for rule in rules.line:
        if rule.max_words and words > rule.max_words:
            continue
        if rule.pattern.fullmatch(bare) or rule.pattern.fullmatch(stripped):
            dropped.append(Dropped(stripped, rule.name, rule.reason))
            return True
    return False


def _strip_leading_symbols(text: str) -> str:
    i = 0
    while i < len(text) and not (text[i].isalnum() or text[i] in "«\"“(*/.\\-"):
        i += 1
    return text[i:].strip()


def _starts_with_pictograph(text: str) -> bool:
    category = unicodedata.category(text[0])
    return category in ("So", "Sk", "Cs") or 0x1F000 <= ord(text[0]) <= 0x1FAFF or 0x2600 <= ord(text[0]) <= 0x27BF


def _trim_edges(body: str, rules: CleaningRules, dropped: list[Dropped]) -> str:
    changed = True
    while changed:
        changed = False
        for rule in rules.head:
            match = rule.pattern.match(body)
            if match and match.end() > 0:
                dropped.append(Dropped(match.group().strip(), rule.name, rule.reason))
                body, changed = body[match.end() :], True
        stripped_end = body.rstrip()
        window = max(0, len(stripped_end) - TAIL_WINDOW)
        for rule in rules.tail:
            match = rule.pattern.search(stripped_end, window)
            if match and match.end() == len(stripped_end) and match.start() < len(stripped_end):
                dropped.append(Dropped(match.group().strip(), rule.name, rule.reason))
                body, changed = stripped_end[: match.start()], True
                break
    return body
