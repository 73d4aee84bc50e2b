"""The entity stage: knowledge base and gazetteer names over the tokens, the NER model
for names in neither, then linking (KB id, gazetteer place) and grouping into entities.

Matching is clitic-aware because it runs on `Token.norm` (the stem without و ف ب ل ك
and the article): ببغداد, لرويترز and وللقنصلية find بغداد, رويترز and القنصلية.
Longest match wins; a name never crosses punctuation. Every mention keeps the offsets
of its stem span in `Doc.text`.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.analyze.gazetteer import _PREFIX_FEATURES as PREFIX_FEATURES
from rasd.analyze.gazetteer import (
    REGION,
    CuedName,
    Gazetteer,
    PlaceRecord,
    ResolveContext,
    cued_names,
    default_gazetteer,
    haversine_km,
)
from rasd.analyze.kb import OUTLET_KINDS, KBEntry, KnowledgeBase, default_kb
from rasd.analyze.lexicon import matcher, read_rows
from rasd.doc import LOC, ORG, PER, Doc, Entity, Sentence, Span, Token
from rasd.pipeline import stage
from rasd.text.normalize import normalize, normalize_key
from rasd.text.romanize import romanize
from rasd.text.sentences import QUOTE_CLOSERS, QUOTE_MARKS, QUOTE_OPENERS
from rasd.text.tokens import add_known_forms, strip_article, word_count

log = logging.getLogger(__name__)

MAX_NAME_WORDS = 7  # longer aliases exist only as full official titles, matched whole
# A gazetteer place beats a KB actor of the same name when it is one of these
# (ANNOTATION.md: countries and cities are LOC even when they stand for a government).
_PLACE_FIRST_FEATURES = frozenset({"country", "admin1", "landmark", "district", "region"})
BIG_CITY = 50_000  # a town this big is the usual reading of its name, over a same-named actor
# Model entity labels the output keeps (MISC is not an entity type of the schema).
_MODEL_TYPES = {"PER": PER, "ORG": ORG, "LOC": LOC}
NAME_PARTICLES = frozenset({"ابو", "ابن", "بن", "بنت", "عبد", "ام", "ال", "اب"})
RARE_NAME_COUNT = 50  # a one-word model "name" more frequent than this is an ordinary word
COMMON_NAME_WORD = 400  # in a longer model name, a word this frequent is probably not part of it
NER_TRIGGER_COUNT = 150  # a stretch is worth tagging when it has a word rarer than this outside known names
# ... and when that word's own features do not rule a name out: the tagger's scores for it
# alone (context aside) put O at most this far above its best name label. On corpus text
# this tags a third as many words and keeps about 94% of the names the tagger finds.
NER_NAME_LEAN = -3.0
# A short quoted name (quotes, spaces inside them left out): an outlet's name in quotes is the
# outlet's, not a place's it shares, and some outlets go by a quoted-only name («الرياض»).
_QUOTED_STRETCH = re.compile(f"[{QUOTE_OPENERS}][^\\S\\n]*([^{QUOTE_MARKS}\\s][^{QUOTE_MARKS}\\n]{{0,38}}"
                             f"[^{QUOTE_MARKS}\\s])[^\\S\\n]*[{QUOTE_CLOSERS}]")
_OPENERS, _CLOSERS = frozenset(QUOTE_OPENERS), frozenset(QUOTE_CLOSERS)
# KB kinds that give an actor label but are no named entity (قوات النظام، مسلحون مجهولون).
NOT_NAMED_KINDS = frozenset({"descriptor"})
SOURCE_DESCRIPTIONS = "source_descriptions"  # unnamed sources: never a name, whatever the model says
MIN_MODEL_NAME_CHARS = 3  # shorter "names" from the model are almost always tagging noise
# A one-word place name that is also a common word needs support (a cue word before it,
# the NER model's LOC tag). "Common" is relative to the place's size: عدن is frequent in
# the news because it is a big city; وسط is frequent because it means "middle".
RARE_WORD_COUNT = 20  # corpus count under which a word is no common word at all
WORDS_PER_INHABITANT = 1 / 500  # a town is famous enough for its name's count when count < population / 500
FAMOUS_FOREIGN_CITY = 500_000  # outside the region, only big cities are taken without a cue
BIG_PLACE = 100_000  # "في عدن" is cue enough for a place this big; "في خمس" is not for a village
COMMON_WORD_COUNT = 5000  # above this count, even a big place's name needs support
# "مدن كبيشاور" (cities like Peshawar): a place given as an example with the clitic ك is a
# famous one; a village read through ك is most often a name or word cut wrong (رشاد كلالي).
FAMOUS_EXAMPLE = 500_000
_EXAMPLE_FEATURES = frozenset({"country", "admin1", "region"})
# "X شرقي Y": X is one of its same-named places this close to Y (Husaybah east of Ramadi,
# not the border town 230 km away).
DIRECTION_ANCHOR_KM = 150.0
COMMON_UNIT_COUNT = 300  # admin1/region names that are also adjectives (الغربية، الشرقية)
# A place name written without the article is a common noun when its ال form is written at
# least this often relative to it (مشهد/المشهد "scene", صور/الصور "pictures"): proper names
# take no article, unless the place is itself called by the ال form (بعاج/البعاج).
ARTICLE_SHARE = 0.5


def _token_key(word_key: str) -> str:
    """One normalised word as the tokeniser keys it: without the article."""
    return strip_article(word_key)


def _phrase_key(key: str) -> str:
    if "ال" not in key:
        return key  # most names: nothing to strip
    return " ".join(_token_key(w) for w in key.split())


@dataclass(slots=True)
class _Candidates:
    kb: list[str] = field(default_factory=list)  # KB entry ids
    places: list[int] = field(default_factory=list)  # gazetteer record indexes
    with_article: bool = False  # some source name has ال on its first word (القاعدة)
    without_article: bool = False  # some source name has none (قاعدة)
    cued: CuedName | None = None  # a common word that is this place only after given words (مالي)

    def accepts(self, has_article: bool, one_word: bool) -> bool:
        """Whether the written article agrees: التركية is not تركية (the country), and
        قاعدة (a base) is not القاعدة (al-Qaeda)."""
        if has_article:
            return self.with_article
        return self.without_article or not one_word


class NameIndex:
    """Token-key phrases of every KB alias and gazetteer name → candidates."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
        self.phrases: dict[str, _Candidates] = {}
        for key, ids in kb.alias_index().items():
            found = self._add(key)
            found.kb.extend(i for i in ids if i not in found.kb)
        names, every_name = gazetteer.name_index(), gazetteer.full_index()
        for key in names:
            # All same-named places compete (صور: Tyre, and Sur, whose name is also a word).
            indexes = every_name[key]
            found = self._add_place_key(key, indexes, every_name, gazetteer)
            found.places.extend(i for i in indexes if i not in found.places)
        for key, cued in cued_names().items():
            # Left out of name_index() as common words; recognised only where cued.
            indexes = [i for i in every_name.get(key, []) if gazetteer.records[i].id in cued.places]
            if indexes and key not in names:
                found = self._add_place_key(key, indexes, every_name, gazetteer)
                found.places.extend(i for i in indexes if i not in found.places)
                found.cued = CuedName(cued.places, frozenset(_token_key(w) for w in cued.before), cued.headline)
        # The longest phrase that starts with each first word (most tokens start none), and
        # every proper beginning of a longer phrase, so that a match attempt stops at the
        # first word that continues no name ("وزير الخارجية" goes on, "وزير قال" does not).
        self.longest: dict[str, int] = {}
        self.beginnings: set[str] = set()
        self.second_words: dict[str, set[str]] = {}  # first word -> the words that follow it in names
        for phrase in self.phrases:
            words = phrase.split(" ")
            if len(words) <= MAX_NAME_WORDS:
                self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))
                self.beginnings.update(" ".join(words[:k]) for k in range(2, len(words)))
                if len(words) > 1:
                    self.second_words.setdefault(words[0], set()).add(words[1])
        # First word -> what a name starting with it needs next: nothing (True: it is a
        # name itself) or one of these second words. One lookup a token finds the starts.
        self.first_words: dict[str, bool | frozenset[str]] = {
            key: True if key in self.phrases else frozenset(self.second_words[key]) for key in self.longest
        }
        self.whole_first_words = _WholeFirstWords(self.first_words)
        add_known_forms({w for phrase in self.phrases for w in phrase.split(" ")})

    def _add_place_key(self, key: str, indexes: list[int], names: dict[str, list[int]], gazetteer: Gazetteer) -> _Candidates:
        """The gazetteer indexes names with and without their article: a key without ال is
        an article-less name only for records that are not also under "ال" + key, or that
        give it as a name of their own (البعاج|بعاج)."""
        phrase = _phrase_key(key)
        found = self.phrases.get(phrase)
        if found is None:
            found = self.phrases[phrase] = _Candidates()
        first = key.partition(" ")[0]
        if key.startswith("ال") and _token_key(first) != first:
            found.with_article = True
        elif found.without_article:
            pass
        else:
            with_article = names.get("ال" + key)
            found.without_article = (
                not with_article
                or any(i not in with_article for i in indexes)
                or key in _written_keys(gazetteer.records[i] for i in indexes)
            )
        return found

    def _add(self, key: str) -> _Candidates:
        phrase = _phrase_key(key)
        found = self.phrases.get(phrase)
        if found is None:
            found = self.phrases[phrase] = _Candidates()
        if _token_key(key.split(" ")[0]) != key.split(" ")[0]:
            found.with_article = True
        else:
            found.without_article = True
        return found


class _WholeFirstWords(dict[str, "bool | frozenset[str] | None"]):
    """Written word -> `NameIndex.first_words` entry of the word taken whole (clitics and
    all), None when it starts no name; filled on first sight of each written form."""

    def __init__(self, first_words: dict[str, bool | frozenset[str]]) -> None:
        super().__init__()
        self.first_words = first_words

    def __missing__(self, text: str) -> bool | frozenset[str] | None:
        if len(self) > 200_000:
            self.clear()
        entry = self[text] = self.first_words.get(_whole_key(text))
        return entry


def _written_keys(records: Iterable[PlaceRecord]) -> set[str]:
    """The keys of the Arabic names the places are written with (article kept)."""
    return {normalize_key(name) for record in records for name in record.names_ar}


@lru_cache(maxsize=1)
def default_name_index() -> NameIndex:
    return NameIndex(default_kb(), default_gazetteer())


@dataclass(slots=True)
class _Mention:
    start: int  # token index
    end: int  # token index, exclusive
    span: Span
    kb: list[str]
    places: list[int]
    label: str = ""  # from the NER model
    cue: str = ""  # the unit word before a place name (مدينة، محافظة), which says what kind of place


@stage("entities")
class EntityRecognizer:
    name = "entities"
    requires = ("tokens", "sentences")
    assigns = ("entities",)

    def __init__(self, kb: KnowledgeBase | None = None, gazetteer: Gazetteer | None = None, use_model: bool = True) -> None:
        self.kb = kb or default_kb()
        self.gazetteer = gazetteer or default_gazetteer()
        self.index = default_name_index() if kb is None and gazetteer is None else NameIndex(self.kb, self.gazetteer)
        self.model = _load_model() if use_model else None
        leans = getattr(self.model, "vocabulary_leans", {})
        self._common_words: dict[tuple[str | int, ...], bool | None] = {}
        self._token_codes = _TokenCodes(self.index.first_words, leans if self.model is not None else None)

    def __call__(self, doc: Doc) -> Doc:
        marked = self._marked_tokens(doc.tokens)
        mentions = self._dictionary_mentions(doc, marked)
        model_mentions = self._model_mentions(doc, mentions, marked) if self.model is not None else []
        mentions = self._supported(doc, mentions, model_mentions)
        mentions += _uncovered(model_mentions, mentions)
        mentions = self._with_quoted_outlets(doc, mentions)
        mentions.sort(key=lambda m: m.start)
        self._tokens, self._text = doc.tokens, doc.text
        doc.entities = self._link(doc, mentions)
        return doc

    # ---- recognition -------------------------------------------------------------------

    def _with_quoted_outlets(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """A quoted stretch that is a quoted-only KB alias ("لـ«الاقتصادية»", «الرياض») is that
        entry, in place of any mention inside it (the city of Riyadh)."""
        if not self.kb.has_quoted_aliases():
            return mentions
        starts: list[int] = []  # the tokens' start offsets, taken only once a quoted name is found
        for quoted in _QUOTED_STRETCH.finditer(doc.text):
            ids = self.kb.quoted_ids(quoted.group(1))
            if not ids:
                continue
            starts = starts or [t.start for t in doc.tokens]
            first = bisect_left(starts, quoted.start(1))
            last = bisect_left(starts, quoted.end(1))  # tokens first..last-1 lie inside the quotes
            if first >= last or doc.tokens[last - 1].end > quoted.end(1):
                continue
            mentions = [m for m in mentions if m.end <= first or m.start >= last]
            mentions.append(_Mention(first, last, doc.span(quoted.start(1), quoted.end(1)), list(ids), []))
        return mentions

    def _marked_tokens(self, tokens: list[Token]) -> list[int]:
        """Indexes of the tokens that may start a name or seed a tagging window: one pass
        over the article, one lookup a token (the rest look at these few). Token texts are
        fresh strings, hashed on first lookup: looked up only for tokens with a clitic other
        than the article, whose whole-word reading counts (`_has_clitic`, inline: this runs
        on every token)."""
        codes, whole_first_words = self._token_codes, self.index.whole_first_words
        return [i for i, t in enumerate(tokens) if codes[t.norm]
                or (t.prefixes and t.prefixes != _ARTICLE_ONLY and whole_first_words[t.text] is not None)]

    def _dictionary_mentions(self, doc: Doc, marked: list[int]) -> list[_Mention]:
        tokens = doc.tokens
        found: list[_Mention] = []
        n, free = len(tokens), 0  # tokens before `free` belong to a name already found
        for i in self._name_starts(tokens, marked):
            if i < free:
                continue
            match = self._longest_at(tokens, i)
            if match is not None and _cue_word(tokens[i]) and not self._cue_is_part_of_name(match[1]):
                after = i + 1
                while after < n and _cue_word(tokens[after]):
                    after += 1
                later = self._longest_at(tokens, after) if after < n else None
                # "مدينة زنجبار", "جنوب شرق تركيا": the name starts after the cue words; but
                # not where the later word is a name only by the cue (شمال مالي stays whole)
                if later is not None and later[1].cued is None:
                    match = None
            if match is None or (match[0] == i + 1 and _heads_unknown_name(tokens, i)):
                continue
            end, candidates, first_start = match
            if self._blocked(tokens, i, end):
                continue
            if candidates.cued is not None and end == i + 1 and not _cued(doc, i, candidates.cued):
                continue
            span = doc.span(first_start, tokens[end - 1].stem_end)
            before = _cue_word(tokens[i - 1]) if i > 0 else ""
            found.append(_Mention(i, end, span, candidates.kb, candidates.places, cue=before))
            free = end
        return found

    def _name_starts(self, tokens: list[Token], marked: list[int]) -> list[int]:
        """Indexes of the words that may start a name (cheap test before `_longest_at`):
        a one-word name, or the first word of a name that the next token continues, in
        the stem or whole-word reading. Function words (في، على، ان) begin some odd
        gazetteer phrase, so the next word decides. `marked`: `_marked_tokens`."""
        first_words, whole_first_words = self.index.first_words, self.index.whole_first_words
        n, starts = len(tokens), []
        for i in marked:
            token = tokens[i]
            entry = first_words.get(token.norm)
            whole = whole_first_words[token.text] if _has_clitic(token) else None
            if (entry is None and whole is None) or not token.text[:1].isalpha():
                continue  # marked as a seed only
            if entry is True or whole is True:
                starts.append(i)
                continue
            following = _continuation_key(tokens[i + 1]) if i + 1 < n and tokens[i + 1].text[:1].isalpha() else ""
            if (entry is not None and following in entry) or (whole is not None and following in whole):
                starts.append(i)
        return starts

    def _blocked(self, tokens: list[Token], start: int, end: int) -> bool:
        """Whether the word after the name, or the words before it, show a common noun
        (القاعدة الجوية: the air base; محيط القاعدة: around the base; الدفاعات الجوية للقاعدة:
        the base's air defences)."""
        blockers = _name_blockers().get(" ".join(t.norm for t in tokens[start:end]))
        if blockers is None:
            return False
        after, before = blockers
        if end < len(tokens) and tokens[end].norm in after:
            return True
        return any(len(words) <= start and all(tokens[start - len(words) + k].norm == w for k, w in enumerate(words))
                   for words in before.get(tokens[start - 1].norm, ()) if start > 0)

    def _cue_is_part_of_name(self, candidates: _Candidates) -> bool:
        """ريف دمشق and شمال سيناء are governorates, حزب الله-like actors are names: keep the cue."""
        return bool(candidates.kb) or any(self.gazetteer.records[i].feature == "admin1" for i in candidates.places)

    def _longest_at(self, tokens: list[Token], i: int) -> tuple[int, _Candidates, int] | None:
        """The longest name starting at token i, trying the tokeniser's stem and, when it split
        clitics off, the whole word too (وادي read as و+أدى is still وادي)."""
        best: tuple[int, _Candidates, int] | None = None
        for first_key, has_article, first_start in _first_readings(tokens[i]):
            limit = self.index.longest.get(first_key, 0)
            if not limit:
                continue
            key, size, j = first_key, 1, i
            phrases, beginnings = self.index.phrases, self.index.beginnings
            while True:
                found = phrases.get(key)
                if found is not None and found.accepts(has_article, size == 1):
                    # Longest wins; on a tie the whole-word reading (tried last) wins:
                    # بيجي is the town, not ب + يجي.
                    if best is None or j + 1 >= best[0]:
                        best = (j + 1, found, first_start)
                j += 1
                if j >= len(tokens) or size >= limit or (size > 1 and key not in beginnings) or not tokens[j].is_word:
                    break
                key, size = key + " " + _continuation_key(tokens[j]), size + 1
        return best

    def _supported(self, doc: Doc, mentions: list[_Mention], model_mentions: list[_Mention]) -> list[_Mention]:
        """Drop gazetteer-only one-word names that are common words, unless some mention of
        the same name in the article has a place cue before it, follows a cued place with و
        (بلدتي نبل والزهراء), or has a LOC tag from the model."""
        model_loc = {i for m in model_mentions if m.label == LOC for i in range(m.start, m.end)}
        doubtful: dict[str, bool] = {}
        cued_place_ends: set[int] = set()
        mentions = self._drop_unvouched_likes(doc, mentions, model_loc)
        for m in sorted(mentions, key=lambda m: m.start):
            key = _mention_key(doc, m)
            big = None if m.kb or m.end - m.start > 1 else self._common_place_word(key, m.places)
            if big is None:
                if m.places:
                    cued_place_ends.add(m.end)
                continue
            token = doc.tokens[m.start]
            coordinated = token.prefixes[:1] == ("و",) and m.start in cued_place_ends
            cued = m.start in model_loc or coordinated or _has_place_cue(doc.tokens, m.start, big)
            if cued:
                cued_place_ends.add(m.end)
            doubtful[key] = doubtful.get(key, False) or cued
        return [m for m in mentions if doubtful.get(_mention_key(doc, m), True) or m.kb or m.end - m.start > 1]

    def _drop_unvouched_likes(self, doc: Doc, mentions: list[_Mention], model_loc: set[int]) -> list[_Mention]:
        """Drop the small places read through ك ("رشاد كلالي" is no ك + the village لالي)
        unless the article names the place without ك too, or the model tags it LOC."""
        likes = [m for m in mentions if self._read_through_like(doc.tokens[m.start], m)]
        if not likes:
            return mentions
        vouched = {_mention_key(doc, m) for m in mentions if m not in likes}
        vouched |= {_mention_key(doc, m) for m in likes if m.start in model_loc}
        return [m for m in mentions if m not in likes or _mention_key(doc, m) in vouched]

    def _read_through_like(self, token: Token, m: _Mention) -> bool:
        """A one-word gazetteer place read off a word through the clitic ك ("like"), and no
        country or famous place that an example could be (كروسيا والصين، مدن كبيشاور)."""
        if "ك" not in token.prefixes or m.kb or m.end - m.start > 1 or not m.places or m.span.start == token.start:
            return False  # (a mention from the token's start read the word whole: كسروان)
        records = [self.gazetteer.records[i] for i in m.places]
        return not any(r.feature in _EXAMPLE_FEATURES or r.population >= FAMOUS_EXAMPLE for r in records)

    def _common_place_word(self, key: str, places: list[int]) -> bool | None:
        """None when the one-word place name `key` is no common word; else whether a
        preposition is cue enough for it (a big place of the region). Memoised: it depends
        on the name and its places only."""
        memo_key = (key, *places)
        found = self._common_words.get(memo_key, _UNSEEN)
        if found is not _UNSEEN:
            return found
        big: bool | None = None
        if self._is_common_word(key, places):
            records = [self.gazetteer.records[i] for i in places]
            # "في عدن" vouches for a big town of the region, "من طراز" not for Taraz, and
            # "في بورصة لندن" not for Bursa: a noun that takes the article needs more.
            big = any(r.population >= BIG_PLACE and r.country in REGION for r in records)
            big = big and not self._takes_the_article(key, records)
        if len(self._common_words) > 100_000:
            self._common_words.clear()
        self._common_words[memo_key] = big
        return big

    def _is_common_word(self, key: str, places: list[int]) -> bool:
        records = [self.gazetteer.records[i] for i in places]
        count = word_count(key) + word_count("ال" + key)
        if any(r.feature == "country" for r in records):
            return False
        population = max((r.population for r in records), default=0)
        if not any(r.country in REGION for r in records) and population < FAMOUS_FOREIGN_CITY:
            return True  # همر، مكو، طراز: small towns abroad whose Arabic names are rare words or names
        if count < RARE_WORD_COUNT:
            return False
        if self._takes_the_article(key, records):
            return True
        if count < min(population * WORDS_PER_INHABITANT, COMMON_WORD_COUNT):
            return False  # a town famous enough for how often its name is written (بغداد، عدن)
        if any(r.feature in ("admin1", "region", "landmark") for r in records):
            return count >= COMMON_UNIT_COUNT
        return True

    @staticmethod
    def _takes_the_article(key: str, records: list[PlaceRecord]) -> bool:
        """Whether an article-less name is written with ال as often as a common noun is."""
        with_article = word_count("ال" + key)
        if with_article < RARE_WORD_COUNT or with_article < ARTICLE_SHARE * word_count(key):
            return False
        return "ال" + key not in _written_keys(records)

    def _model_mentions(self, doc: Doc, known: list[_Mention], marked: list[int]) -> list[_Mention]:
        """Names the statistical tagger finds; all stretches of the article in one call.

        Only stretches around a rare word that no dictionary name covers and that could be
        part of a name are tagged: the tagger is the costliest step, and elsewhere it could
        only re-find known names."""
        from rasd.analyze.ner_model import spans

        covered = {i for m in known for i in range(m.start, m.end)}
        tokens, codes = doc.tokens, self._token_codes
        seeds = [i for i in marked if codes[tokens[i].norm] & _SEED_BITS and i not in covered]
        # Rare words out of the model's vocabulary: their lean comes from the written word.
        unknown = [i for i in seeds if codes[tokens[i].norm] & _LEAN_UNKNOWN]
        if unknown:
            leans = self.model.name_leans([tokens[i].text for i in unknown]).tolist()
            leaning = {i for i, lean in zip(unknown, leans, strict=True) if lean >= NER_NAME_LEAN}
            seeds = [i for i in seeds if codes[tokens[i].norm] & _SEED or i in leaning]
        chunks = _ner_windows(doc, seeds)
        words = [[t.text for t in doc.tokens[c.token_start : c.token_end]] for c in chunks]
        # A window that reached MAX_WINDOW_TOKENS is not merged with the next, which may overlap it:
        # a name tagged in both is one mention (the first window's reading).
        found: dict[tuple[int, int], _Mention] = {}
        for sentence, tags in zip(chunks, self.model.tag_sentences(words), strict=True):
            for start, end, label in spans(tags):
                if label not in _MODEL_TYPES:
                    continue
                first, last = sentence.token_start + start, sentence.token_start + end
                last = next((k for k in range(first, last) if not doc.tokens[k].is_word), last)
                if last > first and (first, last) not in found and _plausible_model_name(doc.tokens[first:last]):
                    span = _mention_span(doc, doc.tokens[first], doc.tokens[last - 1])
                    found[first, last] = _Mention(first, last, span, [], [], _MODEL_TYPES[label])
        return list(found.values())

    # ---- linking and grouping ----------------------------------------------------------

    def _link(self, doc: Doc, mentions: list[_Mention]) -> list[Entity]:
        context = self._context(mentions)
        self._anchors: dict[int, PlaceRecord] = {}
        self._theatre_counts = self._theatres(mentions)
        self._anchors.update(self._direction_anchors(mentions, context))
        by_key: dict[str, Entity] = {}
        for mention in mentions:
            key, entity = self._entity_for(mention, context)
            if entity is None:
                continue
            existing = by_key.get(key)
            if existing is None:
                by_key[key] = entity
                if entity.place is not None:
                    context.add(entity.place)
            else:
                _merge_mention(existing, entity)
        entities = _fold_partial_names(list(by_key.values()))
        for n, entity in enumerate(entities, 1):
            entity.id = f"E{n}"
            _choose_main_text(entity)
        return entities

    def _context(self, mentions: list[_Mention]) -> ResolveContext:
        """Countries the article names outright: they steer ambiguous place names."""
        context = ResolveContext()
        for mention in mentions:
            for index in mention.places:
                record = self.gazetteer.records[index]
                if record.feature == "country" and len(mention.places) == 1:
                    context.countries.add(record.country)
        return context

    def _theatres(self, mentions: list[_Mention]) -> dict[str, int]:
        """Country -> how many place names of the article lie only in it."""
        counts: dict[str, int] = {}
        for mention in mentions:
            countries = {self.gazetteer.records[i].country for i in mention.places}
            if len(countries) == 1 and not mention.kb:
                country = countries.pop()
                counts[country] = counts.get(country, 0) + 1
        return counts

    def _direction_anchors(self, mentions: list[_Mention], context: ResolveContext) -> dict[int, PlaceRecord]:
        """"حصيبة شرقي الرمادي", "بعاج (غرب الموصل)": a place followed by a direction word and
        another place lies near that one. Mention start -> the later place."""
        anchors: dict[int, PlaceRecord] = {}
        cues = _place_cues()
        for mention, after in zip(mentions, mentions[1:], strict=False):
            if len(mention.places) < 2 or not after.places:
                continue
            between = self._tokens[mention.end : after.start]
            kinds = [cues.get(t.norm) for t in between if t.is_word]
            if kinds[:1] == [None]:
                kinds = kinds[1:]  # a word of the name the dictionary lacks: "حي اليرموك الثانية غربي بعقوبة"
            if "direction" not in kinds or any(k not in ("direction", "unit") for k in kinds) or any(
                    not t.is_word and t.text not in "()" for t in between):
                continue
            record = self._best_place(after, context)
            if record is not None and record.feature != "country":
                anchors[mention.start] = record
        return anchors

    def _entity_for(self, mention: _Mention, context: ResolveContext) -> tuple[str, Entity | None]:
        text = mention.span.text
        place = self._best_place(mention, context)
        if place is None and mention.places and mention.start in self._anchors:
            # no place of that name near the one it is said to lie by: a place we do not know
            return f"unplaced:{_phrase_key(text)}", Entity(text=text, type=LOC, name_en=romanize(text),
                                                          mentions=[mention.span], origin="gazetteer")
        actor = self._best_actor(mention)
        if place is not None and actor is not None and actor.kind in OUTLET_KINDS and self._quoted(mention):
            place = None  # "لـ«الشرق الأوسط»": the newspaper, named in quotes as outlets are, not the region
        if place is not None and (actor is None or _place_first(place)):
            return "place:" + place.id, self._place_entity(mention, place)
        if actor is not None:
            if actor.kind in NOT_NAMED_KINDS:
                return "", None
            if _is_description(self._tokens[mention.start : mention.end]):
                named = self._named_inside(mention, actor)
                if named is None:
                    entity = _actor_entity(mention, actor)
                    entity.named = False
                    return "description:" + actor.id, entity
                mention = named  # "طيران التحالف العربي": the coalition, named after the head word
            return "kb:" + actor.id, _actor_entity(mention, actor)
        if mention.label and not self._unnamed_source(mention):
            # A name only the model knows still gets an English gloss: its romanisation.
            entity = Entity(text=text, type=mention.label, name_en=romanize(text), mentions=[mention.span], origin="model")
            if mention.label == LOC:
                resolved = self.gazetteer.resolve(text, context)
                if resolved is not None:
                    entity.place, entity.name_en, entity.country = resolved, resolved.name_en, resolved.country
            return f"model:{mention.label}:{_phrase_key(text)}", entity
        return "", None

    def _quoted(self, mention: _Mention) -> bool:
        """The mention is the whole of a quoted stretch: «الشرق الأوسط»."""
        start, end = mention.span.start, mention.span.end
        return start > 0 and self._text[start - 1] in _OPENERS and self._text[end : end + 1] in _CLOSERS

    def _unnamed_source(self, mention: _Mention) -> bool:
        """The model's "name" is an unnamed source's description (source_descriptions.tsv:
        "مصدران دبلوماسيان"): a generic description, no entity (ANNOTATION.md)."""
        hit = matcher(SOURCE_DESCRIPTIONS).match_at(self._tokens, mention.start, mention.end)
        return hit is not None and hit.end >= mention.end

    def _best_place(self, mention: _Mention, context: ResolveContext) -> PlaceRecord | None:
        if not mention.places:
            return None
        if len(mention.places) == 1:
            ranked = [self.gazetteer.records[mention.places[0]]]  # nothing to rank
        else:
            wanted = PREFIX_FEATURES.get(mention.cue, ())
            ranked = self.gazetteer.rank((self.gazetteer.records[i] for i in mention.places), context, wanted)
        anchor = self._anchors.get(mention.start)
        if anchor is not None and ranked:
            near = [r for r in ranked if haversine_km((r.lat, r.lon), (anchor.lat, anchor.lon)) <= DIRECTION_ANCHOR_KM]
            # none near: the likeliest one if it is in the anchor's country ("تعز جنوب صنعاء", 200
            # km), else no place we know ("حي اليرموك غربي بعقوبة" is no quarter of Damascus)
            ranked = near or [r for r in ranked[:1] if r.country == anchor.country]
        return ranked[0] if ranked else None

    def _named_inside(self, mention: _Mention, actor: KBEntry) -> _Mention | None:
        """The description's words after its head word, when they alone are a name of `actor`."""
        if mention.end - mention.start < 2:
            return None
        start = self._tokens[mention.start + 1].stem_start
        rest = Span(start, mention.span.end, mention.span.text[start - mention.span.start :])
        if not any(entry.id == actor.id for entry in self.kb.lookup(rest.text)):
            return None
        return _Mention(mention.start + 1, mention.end, rest, [actor.id], [])

    def _best_actor(self, mention: _Mention) -> KBEntry | None:
        entries = [e for e in (self.kb.get(i) for i in mention.kb) if e is not None]
        if not entries:
            return None
        # The entry of the article's theatre (التحالف in an article about Iraq and Syria is the
        # US-led Coalition: its places are there); then the most specific entry: one with an
        # ACLED label and a parent chain beats a bare alias.
        theatre = self._theatre_counts if len(entries) > 1 else {}
        return max(entries, key=lambda e: (sum(theatre.get(t, 0) for t in e.theatres),
                                           bool(e.acled), bool(e.parent), -len(e.aliases)))

    def _place_entity(self, mention: _Mention, record: PlaceRecord) -> Entity:
        place = record.to_place(mention.span.text)
        return Entity(
            text=mention.span.text, type=LOC, name_en=record.name_en or None, kind=record.feature,
            country=record.country or None, mentions=[mention.span], place=place, origin="gazetteer",
        )


@lru_cache(maxsize=1)
def _place_cues() -> dict[str, str]:
    """Cue word key -> kind (unit, direction, preposition, outlet, force), from name_cues.tsv."""
    return {_phrase_key(normalize_key(row["cue"])): row["kind"] for row in read_rows("name_cues")}


def _has_place_cue(tokens: list[Token], i: int, big_place: bool) -> bool:
    """A unit or direction word right before the name; for a big place a preposition too
    (في عدن, or the clitic in بعدن)."""
    kind = _place_cues().get(tokens[i - 1].norm) if i > 0 else None
    if kind in ("unit", "direction"):
        # Only in construct state: "منطقة سروج" names a place, "المنطقة سواء" does not.
        return "ال" not in tokens[i - 1].prefixes
    return big_place and (kind == "preposition" or "ب" in tokens[i].prefixes)


def _heads_unknown_name(tokens: list[Token], i: int) -> bool:
    """Whether token i is a name-head word (تل "hill") without the article and a word follows
    it: it begins a place name the gazetteer lacks (قرية تل شعير), no place of its own."""
    if _place_cues().get(tokens[i].norm) != "head" or "ال" in tokens[i].prefixes or i + 1 >= len(tokens):
        return False
    return tokens[i + 1].is_word and tokens[i + 1].text[:1].isalpha()


_HEADLINE_MARKS = frozenset(":-–—")


def _cued(doc: Doc, i: int, cued: CuedName) -> bool:
    """Whether the context makes the common word at token i the place: a cue word right before
    it (في مالي), or, for a headline name, the start of a line with ":" or a dash after it."""
    tokens = doc.tokens
    if i > 0 and tokens[i - 1].norm in cued.before:
        return True
    if not cued.headline or i + 1 >= len(tokens) or tokens[i + 1].text not in _HEADLINE_MARKS:
        return False
    line_start = doc.text.rfind("\n", 0, tokens[i].start) + 1
    return not doc.text[line_start : tokens[i].start].strip()


def _uncovered(model_mentions: list[_Mention], known: list[_Mention]) -> list[_Mention]:
    covered = {i for m in known for i in range(m.start, m.end)}
    return [m for m in model_mentions if not covered.intersection(range(m.start, m.end))]


def _place_first(record: PlaceRecord) -> bool:
    return record.feature in _PLACE_FIRST_FEATURES or record.population >= BIG_CITY


def _actor_entity(mention: _Mention, entry: KBEntry) -> Entity:
    return Entity(
        text=mention.span.text, type=entry.type if entry.type in (PER, ORG) else ORG, name_en=entry.name_en,
        kb_id=entry.id, kind=entry.kind, country=entry.country or None, mentions=[mention.span], origin="kb",
    )


def _merge_mention(entity: Entity, other: Entity) -> None:
    entity.mentions.extend(other.mentions)
    if other.text != entity.text and other.text not in entity.aliases:
        entity.aliases.append(other.text)
    if "model" in other.origin and "model" not in entity.origin:
        entity.origin += "+model"


def _choose_main_text(entity: Entity) -> None:
    """The form the article uses most is the entity's text (ties: the longer); others are aliases."""
    counts: dict[str, int] = {}
    for mention in entity.mentions:
        counts[mention.text] = counts.get(mention.text, 0) + 1
    if not counts:
        return
    main = max(counts, key=lambda t: (counts[t], len(t)))
    entity.aliases = [t for t in dict.fromkeys([entity.text, *entity.aliases, *counts]) if t != main]
    entity.text = main


@lru_cache(maxsize=1)
def _name_blockers() -> dict[str, tuple[frozenset[str], dict[str, tuple[tuple[str, ...], ...]]]]:
    """Name key -> (keys of the words that, right after it, show the common noun; the phrases
    that, right before it, show it, as word-key tuples by their last word) (name_blockers.tsv)."""
    def keys(cell: str) -> frozenset[str]:
        return frozenset(_token_key(normalize_key(w)) for w in cell.split("|") if w)

    def phrases(cell: str) -> dict[str, tuple[tuple[str, ...], ...]]:
        by_last: dict[str, list[tuple[str, ...]]] = {}
        for form in filter(None, cell.split("|")):
            words = tuple(_token_key(normalize_key(w)) for w in form.split())
            by_last.setdefault(words[-1], []).append(words)
        return {last: tuple(found) for last, found in by_last.items()}

    return {_phrase_key(normalize_key(row["name"])): (keys(row["next"]), phrases(row["before"]))
            for row in read_rows("name_blockers")}


@lru_cache(maxsize=1)
def _state_descriptions() -> tuple[frozenset[str], frozenset[str]]:
    """(head keys, modifier keys) from state_descriptions.tsv."""
    rows = read_rows("state_descriptions")
    keys = {role: frozenset(_token_key(normalize_key(r["form"])) for r in rows if r["role"] == role)
            for role in ("head", "modifier")}
    return keys["head"], keys["modifier"]


def _is_description(tokens: list[Token]) -> bool:
    """الحكومة التركية, طائرات التحالف الدولي: a generic head, later a nationality-like modifier."""
    heads, modifiers = _state_descriptions()
    if len(tokens) < 2 or tokens[0].norm not in heads:
        return False
    return any(t.norm in modifiers or t.norm.removesuffix("ه") in modifiers for t in tokens[1:])


MAX_WINDOW_TOKENS = 20  # Viterbi's Python loop runs as long as the longest stretch tagged
NER_WINDOW = 4  # words tagged on each side of an unknown rare word: a name and the tagger's context
_CHUNK_BREAKS = frozenset("،,:؛;")


def _ner_windows(doc: Doc, seeds: list[int]) -> list[Sentence]:
    """The stretches to tag: NER_WINDOW words on each side of each seed word (ascending
    token indexes), cut at sentence ends, commas and colons (names do not cross them),
    merged where they overlap, and at most MAX_WINDOW_TOKENS long."""
    tokens = doc.tokens
    windows: list[list[int]] = []  # [start, end, sentence number]
    sentences = doc.sentences
    s = 0
    for i in seeds:
        while s < len(sentences) and sentences[s].token_end <= i:
            s += 1
        if s == len(sentences):
            break
        first, stop = max(sentences[s].token_start, i - NER_WINDOW), min(sentences[s].token_end, i + NER_WINDOW + 1)
        start, end = i, i + 1
        while start > first and tokens[start - 1].text not in _CHUNK_BREAKS:
            start -= 1
        while end < stop and tokens[end].text not in _CHUNK_BREAKS:
            end += 1
        last = windows[-1] if windows else None
        if last is not None and last[2] == s and start <= last[1] and end - last[0] <= MAX_WINDOW_TOKENS:
            last[1] = max(last[1], end)
        else:
            windows.append([start, end, s])
    return [Sentence(tokens[a].start, tokens[b - 1].end, a, b) for a, b, _ in windows]


# Bits of a token key's code (_TokenCodes).
_FIRST_WORD = 1  # a first word of a name (NameIndex.first_words), in its stem reading
_SEED = 2  # a rare word whose features lean to a name: it seeds a tagging window
_LEAN_UNKNOWN = 4  # a rare word outside the model's vocabulary: its lean is computed when met
_SEED_BITS = _SEED | _LEAN_UNKNOWN


class _TokenCodes(dict[str, int]):
    """Token key -> bits saying what the word may do: start a name, seed a tagging window
    (rare, under NER_TRIGGER_COUNT, and leaning to a name: NER_NAME_LEAN, from the model's
    precomputed vocabulary leans). Filled on first sight of each key, so a token costs one
    dictionary lookup."""

    def __init__(self, first_words: dict[str, bool | frozenset[str]], vocabulary_leans: dict[str, float] | None) -> None:
        super().__init__()
        self.first_words, self.vocabulary_leans = first_words, vocabulary_leans

    def __missing__(self, norm: str) -> int:
        if len(self) > 200_000:
            self.clear()
        code = _FIRST_WORD if norm in self.first_words else 0
        rare = norm[:1].isalpha() and word_count(norm) + word_count("ال" + norm) < NER_TRIGGER_COUNT
        if rare and self.vocabulary_leans is not None:
            lean = self.vocabulary_leans.get(norm)
            code |= _LEAN_UNKNOWN if lean is None else _SEED if lean >= NER_NAME_LEAN else 0
        self[norm] = code
        return code


def _plausible_model_name(tokens: list[Token]) -> bool:
    """The statistical tagger over-fires on common words (أكراد، المدينة، ميدانيا) and cuts
    names short (محمد أبو): keep a one-word name only if it is a rare word, a longer one only
    if it does not end in a name particle and is not mostly common words."""
    if len(tokens[0].text) < MIN_MODEL_NAME_CHARS and len(tokens) == 1:
        return False
    if tokens[-1].norm in NAME_PARTICLES:
        return False
    counts = [word_count(t.norm) + word_count("ال" + t.norm) for t in tokens]
    if len(tokens) == 1:
        return counts[0] < RARE_NAME_COUNT
    common = sum(c >= COMMON_NAME_WORD for c, t in zip(counts, tokens, strict=True) if t.norm not in NAME_PARTICLES)
    return common * 2 < len(tokens)


def _cue_word(token: Token) -> str:
    """The token's key when it is a word that stands before names without being one: a unit or
    direction word in construct state (مدينة، شمال), an outlet or force word (صحيفة، الطيران)."""
    kind = _place_cues().get(token.norm)
    if kind in ("outlet", "force") or (kind in ("unit", "direction") and "ال" not in token.prefixes):
        return token.norm
    return ""


def _fold_partial_names(entities: list[Entity]) -> list[Entity]:
    """A person's later short mention (سليماني after قاسم سليماني) is the same entity."""
    people = [e for e in entities if e.type == PER and " " in e.text]
    kept: list[Entity] = []
    for entity in entities:
        if entity.type == PER and " " not in entity.text and entity.kb_id is None:
            full = next((p for p in people if p.text.split()[-1] == entity.text), None)
            if full is not None:
                full.mentions.extend(entity.mentions)
                full.mentions.sort(key=lambda m: m.start)  # evidence in text order, as every entity's
                if entity.text not in full.aliases:
                    full.aliases.append(entity.text)
                continue
        kept.append(entity)
    return kept


def _mention_key(doc: Doc, mention: _Mention) -> str:
    """The key of a one-word mention as matched: the stem, or the whole written word when the
    name was read with its first letter as part of it (بعاج, not ب + عاج)."""
    token = doc.tokens[mention.start]
    if mention.span.start == token.start and _has_clitic(token):
        return _whole_key(token.text)
    return token.norm


_ARTICLE_ONLY = ("ال",)
_UNSEEN = object()


def _has_clitic(token: Token) -> bool:
    """Whether the tokeniser split a proclitic other than the article alone off the word."""
    return bool(token.prefixes) and token.prefixes != _ARTICLE_ONLY


def _first_readings(token: Token) -> list[tuple[str, bool, int]]:
    """(key, has article, start offset) readings of a name's first word."""
    readings = [(token.norm, "ال" in token.prefixes, token.stem_start)]
    if _has_clitic(token):
        whole, key = _whole_keys(token.text)
        readings.append((key, key != whole, token.start))
    return readings


@lru_cache(maxsize=100_000)
def _whole_keys(word: str) -> tuple[str, str]:
    """The normalised key of a written word taken whole, clitics and all, and the same
    without the article."""
    folded = normalize(word)
    whole = folded if folded.isalnum() else normalize_key(word)  # a token of letters: nothing to clean
    return whole, _token_key(whole)


@lru_cache(maxsize=100_000)
def _whole_key(word: str) -> str:
    """The key of a written word taken whole, clitics and all (article off)."""
    return _whole_keys(word)[1]


def _continuation_key(token: Token) -> str:
    """A later word of a name: its stem, but written whole when it has a proclitic, since
    names spell their conjunctions out (حزب العدالة والتنمية)."""
    if token.prefixes and token.prefixes[0] != "ال":
        return _whole_key(token.text)
    return token.norm


def _mention_span(doc: Doc, first: Token, last: Token) -> Span:
    """From the first token's stem (clitics off, article kept) to the last token's stem end."""
    return doc.span(first.stem_start, last.stem_end)


@lru_cache(maxsize=1)
def _load_model() -> object | None:
    try:
        from rasd.analyze.ner_model import default_ner_model

        return default_ner_model()
    except (FileNotFoundError, ImportError, ValueError) as error:
        log.warning("NER model not used: %s", error)
        return None


def entity_texts(entities: Iterable[Entity]) -> list[tuple[str, str, str | None]]:
    """(text, type, name_en) triples: a compact view for tests and the CLI."""
    return [(e.text, e.type, e.name_en) for e in entities]
