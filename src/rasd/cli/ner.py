"""`rasd ner-tag`: run the statistical NER model over a CoNLL file and score it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

Sentence = list[tuple[str, str | None, int]]  # (token, gold tag or None, line number)


class ConllError(click.ClickException):
    pass


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of `(token, gold, lineno)` from `token [TAG]` lines; blank lines separate."""
    sents: list[Sentence] = []
    cur: Sentence = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConllError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    for lineno, raw in enumerate(text.splitlines(), 1):
        parts = raw.replace("\u200e", "").split()
        if not parts:
            if cur:
                sents.append(cur)
                cur = []
            continue
        if len(parts) > 2:
            raise ConllError(
                f"{path}:{lineno}: expected 'token TAG' (or a lone token), got {len(parts)} fields: {raw.strip()!r}"
            )
        gold = parts[1] if len(parts) == 2 else None
        if gold is not None and gold != "O" and not (gold[:2] in ("B-", "I-") and len(gold) > 2):
            raise ConllError(f"{path}:{lineno}: tag {gold!r} is not BIO (O, B-TYPE or I-TYPE)")
        cur.append((parts[0], gold, lineno))
    if cur:
        sents.append(cur)
    return sents


def _gold_tag(tag: str) -> str:
    # ANERcorp spells persons PERS; the model says PER.
    return tag.replace("-PERS", "-PER")


@click.command("ner-tag")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write `token TAG PRED` here instead of stdout",
)
@click.option(
    "--model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a CRF model file other than the shipped one",
)
def ner_tag(file: Path, out: Path | None, model: Path | None) -> None:
    """Tag a CoNLL file with the statistical NER model (PER/ORG/LOC/MISC, BIO).

    FILE has one token per line, `token TAG` separated by spaces or a tab, and a
    blank line between sentences (ANERcorp and NewsFANE layout; a leading U+200E
    mark is ignored). A line with only a token has no gold tag. The output has
    `token TAG PRED` per line (TAG is `-` when there was none), blank lines kept.

    When gold tags are present, CoNLL entity-level precision, recall and F1
    (exact span and type) per entity type and overall go to stderr; gold PERS
    counts as PER.

    \b
    Examples:
      rasd ner-tag anercorp-test.txt -o pred.txt
      rasd ner-tag sentence.conll             # prints to stdout, scores to stderr
    """
    from rasd.analyze.ner_model import NerModel, conll_scores, default_ner_model

    sents = read_conll(file)
    tagger = NerModel.load(model) if model else default_ner_model()
    preds = tagger.tag_sentences([[tok for tok, _, _ in s] for s in sents])

    handle: TextIO = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        for i, (sent, pred) in enumerate(zip(sents, preds, strict=True)):
            if i:
                handle.write("\n")
            for (tok, gold, _), tag in zip(sent, pred, strict=True):
                handle.write(f"{tok} {gold or '-'} {tag}\n")
    finally:
        if out:
            handle.close()

    scored = [(s, p) for s, p in zip(sents, preds, strict=True) if all(g is not None for _, g, _ in s)]
    if not scored:
        return
    gold_seqs = [[_gold_tag(g or "O") for _, g, _ in s] for s, _ in scored]
    scores = conll_scores(gold_seqs, [p for _, p in scored])
    click.echo(f"entity-level scores over {len(scored)} sentences with gold tags:", err=True)
    width = max(6, *(len(t) + 1 for t in scores))
    click.echo(f"{'type':{width}}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}", err=True)
    for typ in [t for t in scores if t != "ALL"] + ["ALL"]:
        s = scores[typ]
        click.echo(
            f"{typ:{width}}{s['p']:8.4f}{s['r']:8.4f}{s['f1']:8.4f}{s['gold']:7d}{s['pred']:7d}", err=True
        )
    foreign = sorted(t for t in scores if t not in ("PER", "ORG", "LOC", "MISC", "ALL"))
    if foreign:
        click.echo(
            f"note: gold types the model never predicts (map them first): {', '.join(foreign)}", err=True
        )


commands = [ner_tag]
