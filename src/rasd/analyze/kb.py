"""The actor / organisation / person knowledge base (KB).

Entries come from UTF-8 TSV files with the header

    id  type  kind  name_en  acled  aliases_ar  country  parent  role

(`aliases_ar` is `|`-separated; an alias written in guillemets, «الرياض», names the entry
only where the text quotes it whole: a newspaper named as a city or a common word is
"قال لـ«الرياض»"). Files are read from, in order:

1. the package's `rasd/data/kb/*.tsv` (generated files first, `*curated*` last),
2. every `*.tsv` in `$RASD_KB_DIR` (default `platformdirs.user_data_dir("rasd")/kb`),
3. paths passed to `KnowledgeBase.load(extra_paths=...)`.

A later file's entry replaces an earlier one with the same id, so users can
override a packaged entry without touching the package. All matching goes through
`normalize_key`, so hamza/ta-marbuta/alef-maqsura spelling variants need no
separate aliases.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rasd.text.normalize import normalize, normalize_key

COLUMNS = ("id", "type", "kind", "name_en", "acled", "aliases_ar", "country", "parent", "role")
# Optional last column: comma-separated ISO codes of the countries (theatres) where a name this
# entry shares with another one means this entry (التحالف: the Saudi-led Coalition in Yemen,
# the US-led Coalition in Iraq and Syria).
THEATRES = "theatres"
_MIN_COLUMNS = 6  # spreadsheets drop trailing empty cells; country/parent/role may be missing
TYPES = frozenset({"PER", "ORG"})
# Kinds of the news media: cited when told something ("لرويترز"), and named in quotes («الشرق الأوسط»).
OUTLET_KINDS = frozenset({"outlet", "agency", "news_agency", "media", "newspaper", "tv"})

# How a query matched an alias, from most to least trustworthy.
EXACT, AL_STRIPPED, CLITIC_STRIPPED = "exact", "al-stripped", "clitic-stripped"

_AL = "ال"
# Proclitics that may precede a name: conjunctions first, then one preposition.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


class KBError(ValueError):
    """A KB file is missing or malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class KBEntry:
    id: str
    type: str  # PER | ORG
    kind: str
    name_en: str
    acled: str
    aliases: tuple[str, ...]
    country: str = ""
    parent: str = ""
    role: str = ""
    theatres: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    """One lookup result: the entry, the alias key that matched and how."""

    entry: KBEntry
    key: str
    how: str  # EXACT | AL_STRIPPED | CLITIC_STRIPPED


_CLEAN_KEY = re.compile(r"[^\W_]+(?: [^\W_]+)*")


def _alias_key(alias: str) -> str:
    """`normalize_key(alias)`, skipping its per-character punctuation pass for the usual
    clean alias (letters and single spaces): that pass dominates load time."""
    folded = normalize(alias).strip()
    return folded if _CLEAN_KEY.fullmatch(folded) else normalize_key(alias)


def _strip_al(key: str) -> str:
    """`key` without the article on its first word (الحشد الشعبي → حشد الشعبي)."""
    if key.startswith(_AL) and len(key) > 4 and key[2] != " ":
        return key[2:]
    return key


def _key_variants(key: str) -> Iterator[str]:
    """Spacing variants that news text mixes freely: عبد الله / عبدالله, ابو بكر / ابوبكر."""
    yield key
    if "عبد" not in key and "بو " not in key:
        return
    words = key.split(" ")
    for i, word in enumerate(words[:-1]):
        if word in ("عبد", "ابو", "بو"):
            yield " ".join(words[:i] + [word + words[i + 1]] + words[i + 2 :])
    for i, word in enumerate(words):
        if word.startswith("عبد") and len(word) > 5 and word != "عبده":
            yield " ".join(words[:i] + ["عبد", word[3:]] + words[i + 1 :])


def _declitic(key: str) -> Iterator[str]:
    """Candidate keys with leading clitics removed: لرويترز → رويترز, للجيش → الجيش, وبالحشد → الحشد."""
    first, sep, rest = key.partition(" ")
    seen: set[str] = set()
    stems: list[str] = []
    heads = [first]
    if first[:1] in _CONJ:
        heads.append(first[1:])
    for head in heads:
        if head.startswith("لل") and len(head) > 3:
            stems.append(_AL + head[2:])  # لل = ل + ال with the alef elided
            stems.append(head[2:])
        if head[:1] in _PREP:
            stems.append(head[1:])
        if head is not first:
            stems.append(head)
    for stem in stems:
        if len(stem) >= 2 and stem not in seen:
            seen.add(stem)
            yield stem + sep + rest


def default_kb_dir() -> Path:
    """The user KB directory: `$RASD_KB_DIR` or the platform's user data dir."""
    env = os.environ.get("RASD_KB_DIR")
    if env:
        return Path(env)
    import platformdirs  # imported lazily: only needed when the env var is unset

    return Path(platformdirs.user_data_dir("rasd")) / "kb"


def _package_files() -> list[Path]:
    root = resources.files("rasd") / "data" / "kb"
    files = [Path(str(p)) for p in root.iterdir() if p.name.endswith(".tsv")]
    # Curated entries are loaded last so that they win over generated ones.
    return sorted(files, key=lambda p: ("curated" in p.name, p.name))


def read_tsv(path: Path) -> list[KBEntry]:
    """Parse one KB file; raise `KBError` naming the file and line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KBError(f"{path}: no such KB file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KBError(f"{path}: cannot read KB file: {error}") from None
    lines = text.splitlines()
    header_no = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    if header_no is None:
        return []
    header = tuple(c.strip() for c in lines[header_no].split("\t"))
    if header[: len(COLUMNS)] != COLUMNS or header[len(COLUMNS) :] not in ((), (THEATRES,)):
        raise KBError(f"{path}:{header_no + 1}: header must be {' TAB '.join(COLUMNS)} [TAB {THEATRES}], got {header!r}")
    width = len(header)
    out: list[KBEntry] = []
    seen: set[str] = set()
    for no, line in enumerate(lines[header_no + 1 :], start=header_no + 2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not _MIN_COLUMNS <= len(cells) <= width:
            raise KBError(f"{path}:{no}: expected {width} tab-separated columns, got {len(cells)}")
        cells += [""] * (len(COLUMNS) + 1 - len(cells))
        id_, type_, kind, name_en, acled, aliases_ar, country, parent, role, theatres = cells
        aliases = tuple(a.strip() for a in aliases_ar.split("|") if a.strip())
        problem = (
            "empty id" if not id_
            else f"type must be PER or ORG, got {type_!r}" if type_ not in TYPES
            else "empty kind" if not kind
            else "empty name_en" if not name_en
            else "no Arabic alias" if not aliases
            else f"duplicate id {id_!r}" if id_ in seen
            else None
        )
        if problem:
            raise KBError(f"{path}:{no}: {problem}")
        seen.add(id_)
        out.append(KBEntry(id_, type_, kind, name_en, acled, aliases, country.upper(), parent, role,
                           frozenset(t.strip().upper() for t in theatres.split(",") if t.strip())))
    return out


class KnowledgeBase:
    """Entries by id plus a normalised alias index; see the module docstring."""

    def __init__(self, entries: Iterable[KBEntry]) -> None:
        self.entries: dict[str, KBEntry] = {}
        for entry in entries:
            self.entries[entry.id] = entry  # later files override earlier ones
        self._index: dict[str, list[str]] = {}
        self._bare: dict[str, list[str]] = {}  # key without leading ال → alias keys
        self._quoted: dict[str, list[str]] = {}  # normalised quoted-only alias → entry ids
        for entry in self.entries.values():
            for alias in entry.aliases:
                if alias.startswith("«") and alias.endswith("»"):
                    ids = self._quoted.setdefault(normalize_key(alias[1:-1]), [])
                    if entry.id not in ids:
                        ids.append(entry.id)
                    continue
                base = _alias_key(alias)
                if not base:
                    continue
                for key in _key_variants(base):
                    ids = self._index.setdefault(key, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
        for key in self._index:
            bare = _strip_al(key)
            self._bare.setdefault(bare, []).append(key)

    @classmethod
    def load(cls, extra_paths: Iterable[str | os.PathLike[str]] = ()) -> KnowledgeBase:
        files = _package_files()
        user_dir = default_kb_dir()
        if user_dir.is_dir():
            files += sorted(user_dir.glob("*.tsv"))
        files += [Path(p) for p in extra_paths]
        entries: list[KBEntry] = []
        for path in files:
            entries.extend(read_tsv(path))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, id_: str) -> KBEntry | None:
        return self.entries.get(id_)

    def ancestors(self, id_: str) -> list[KBEntry]:
        """The parent chain of `id_`, nearest first (cycles and dangling ids stop it)."""
        chain: list[KBEntry] = []
        seen = {id_}
        entry = self.entries.get(id_)
        while entry and entry.parent and entry.parent not in seen:
            seen.add(entry.parent)
            entry = self.entries.get(entry.parent)
            if entry:
                chain.append(entry)
        return chain

    def quoted_ids(self, text: str) -> list[str]:
        """The entries that a quoted stretch of text names by a quoted-only alias («...»)."""
        return self._quoted.get(normalize_key(text), [])

    def has_quoted_aliases(self) -> bool:
        return bool(self._quoted)

    def alias_index(self) -> dict[str, list[str]]:
        """Normalised alias key (space-separated words) → entry ids, for longest match over tokens."""
        return self._index

    def _exact(self, key: str) -> list[str]:
        return [key] if key in self._index else []

    def _al(self, key: str) -> list[str]:
        return [k for k in self._bare.get(_strip_al(key), ()) if k != key]

    def match(self, name: str) -> list[Match]:
        """All entries `name` can refer to, with the alias key and how it matched.

        Tried in order, stopping at the first step that finds something: the exact
        key; the key with/without a leading ال; the key with leading clitics
        (و ف ب ل ك لل) removed, itself tried exactly and with/without ال.
        """
        key = normalize_key(name)
        if not key:
            return []
        keys = self._exact(key)
        how = EXACT
        if not keys:
            keys, how = self._al(key), AL_STRIPPED
        if not keys:
            how = CLITIC_STRIPPED
            for stem in _declitic(key):
                keys = self._exact(stem) or self._al(stem)
                if keys:
                    break
        out: list[Match] = []
        seen: set[str] = set()
        for k in keys:
            for id_ in self._index[k]:
                if id_ not in seen:
                    seen.add(id_)
                    out.append(Match(self.entries[id_], k, how))
        return out

    def lookup(self, name: str) -> list[KBEntry]:
        """Entries whose alias matches `name` (see `match` for the rules)."""
        return [m.entry for m in self.match(name)]


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The KB from the package and the user directory, loaded once per process."""
    return KnowledgeBase.load()
