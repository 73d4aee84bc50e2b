"""`rasd kb`: inspect the actor / organisation / person knowledge base."""

from __future__ import annotations

from collections import Counter

import click

_HOW = {
    "exact": "exact",
    "al-stripped": "with/without ال",
    "clitic-stripped": "clitic stripped (و ف ب ل ك لل)",
}


def _load(extra: tuple[str, ...]):  # -> KnowledgeBase; imported lazily to keep `rasd --help` fast
    from rasd.analyze.kb import KBError, KnowledgeBase, default_kb

    try:
        return KnowledgeBase.load(extra) if extra else default_kb()
    except KBError as error:
        raise click.ClickException(str(error)) from None


_extra_option = click.option(
    "--kb", "extra", multiple=True, type=click.Path(dir_okay=False),
    help="Extra KB TSV file to load (repeatable); $RASD_KB_DIR/*.tsv is always read.",
)


@click.group()
def kb() -> None:
    """The actor / organisation / person knowledge base.

    \b
    Examples:
      rasd kb lookup "فيلق القدس"        entry, ACLED label and parent chain
      rasd kb lookup لرويترز             clitics are stripped: matches رويترز
      rasd kb lookup داعش --json          machine-readable output
      rasd kb stats                        entry counts by kind and country
      RASD_KB_DIR=~/my-kb rasd kb stats    include your own *.tsv files
    """


@kb.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
@_extra_option
def lookup(name: str, as_json: bool, extra: tuple[str, ...]) -> None:
    """Show every KB entry that NAME (Arabic) can refer to.

    \b
    Matching is on the normalised form (hamza, ta marbuta, alef maqsura and
    diacritics folded), trying in turn: the exact alias, the alias with or
    without a leading ال, and the name with leading clitics removed.

    \b
    Examples:
      rasd kb lookup "قاسم سليماني"
      rasd kb lookup الحوثيين
      rasd kb lookup "للحشد الشعبي"
    """
    base = _load(extra)
    matches = base.match(name)
    if not matches:
        raise click.ClickException(f"no KB entry for {name!r}")
    for m in matches:
        e = m.entry
        chain = [a.id for a in base.ancestors(e.id)]
        if as_json:
            import json

            row = {
                "id": e.id, "type": e.type, "kind": e.kind, "name_en": e.name_en, "acled": e.acled,
                "country": e.country, "parent_chain": chain, "role": e.role,
                "aliases": list(e.aliases), "matched": m.key, "how": m.how,
            }
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        click.echo(f"{e.id}  [{e.type}/{e.kind}]  {e.name_en}")
        if e.acled:
            click.echo(f"  ACLED:    {e.acled}")
        if e.country:
            click.echo(f"  country:  {e.country}")
        if chain:
            names = " → ".join(f"{a.name_en} ({a.id})" for a in base.ancestors(e.id))
            click.echo(f"  parents:  {names}")
        if e.role:
            click.echo(f"  role:     {e.role}")
        click.echo(f"  matched:  {m.key}  ({_HOW.get(m.how, m.how)})")
        click.echo(f"  aliases:  {' | '.join(e.aliases)}")


@kb.command()
@click.option("--top", default=25, show_default=True, help="How many countries to list.")
@_extra_option
def stats(top: int, extra: tuple[str, ...]) -> None:
    """Entry counts by type, kind and country.

    \b
    Example:
      rasd kb stats --top 40
    """
    base = _load(extra)
    entries = list(base.entries.values())
    click.echo(f"entries: {len(entries)}   alias keys: {len(base.alias_index())}")
    for title, counter in (
        ("type", Counter(e.type for e in entries)),
        ("kind", Counter(e.kind for e in entries)),
        ("country", Counter(e.country or "-" for e in entries)),
    ):
        click.echo(f"\nby {title}:")
        items = counter.most_common(top if title == "country" else None)
        for value, count in items:
            click.echo(f"  {value:<16}{count:>6}")


commands = [kb]
