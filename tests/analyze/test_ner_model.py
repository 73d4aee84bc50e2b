"""The statistical NER model (rasd.analyze.ner_model) and `rasd ner-tag`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.analyze.ner_model import MODEL_DIR, conll_scores, default_ner_model, spans, strip_clitics
from rasd.cli.ner import ner_tag

REPO = Path(__file__).resolve().parents[2]
SHARED_NER = REPO.parent / "shared" / "data" / "ner"


def _entities(words: list[str], tags: list[str]) -> set[tuple[str, str]]:
    return {(" ".join(words[a:b]), label) for a, b, label in spans(tags)}


def test_spans_follow_conll_rules() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "B-ORG", "I-MISC", "I-PER"]
    assert spans(tags) == [
        (0, 2, "PER"),
        (3, 5, "LOC"),
        (5, 6, "ORG"),
        (6, 7, "ORG"),
        (7, 8, "MISC"),
        (8, 9, "PER"),
    ]
    assert spans([]) == []


def test_conll_scores_hand_made_example() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    # PER exact, LOC missed, ORG span too short, one spurious LOC.
    pred = [["B-PER", "I-PER", "B-LOC", "O"], ["B-ORG", "O", "O"]]
    s = conll_scores(gold, pred)
    assert (s["ALL"]["gold"], s["ALL"]["pred"], s["ALL"]["correct"]) == (3, 3, 1)
    assert s["ALL"]["p"] == pytest.approx(1 / 3) and s["ALL"]["r"] == pytest.approx(1 / 3)
    assert s["PER"]["f1"] == 1.0
    assert s["LOC"]["p"] == 0.0 and s["LOC"]["r"] == 0.0 and s["LOC"]["f1"] == 0.0
    assert s["ORG"]["f1"] == 0.0


def test_strip_clitics_keeps_three_letters() -> None:
    assert strip_clitics("والعراق") == "عراق"
    assert strip_clitics("للامم") == "امم"
    assert strip_clitics("وبغداد") == "غداد"  # ب is taken as a clitic: a feature, not a lemma
    assert strip_clitics("ولد") == "ولد"  # stripping would leave fewer than 3 letters


def test_model_tags_real_sentences() -> None:
    model = default_ner_model()
    words = "وقال الرئيس السوري بشار الأسد في دمشق إن الجيش سيواصل عملياته".split()
    found = _entities(words, model.tag(words))
    assert ("بشار الأسد", "PER") in found
    assert ("دمشق", "LOC") in found

    words = "وأعلنت الأمم المتحدة أن مجلس الأمن سيجتمع في نيويورك يوم الاثنين".split()
    found = _entities(words, model.tag(words))
    assert ("الأمم المتحدة", "ORG") in found
    assert ("نيويورك", "LOC") in found

    words = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف".split()
    found = _entities(words, model.tag(words))
    assert {("جون كيري", "PER"), ("سيرغي لافروف", "PER"), ("جنيف", "LOC")} <= found

    assert model.tag([]) == []
    assert model.tag_sentences([["بغداد"], []]) == [model.tag(["بغداد"]), []]


def test_fast_tagger_matches_crfsuite() -> None:
    # NerModel scores with exported weights instead of crfsuite; both must agree.
    import pycrfsuite

    from rasd.analyze.ner_model import sentence_features

    model = default_ner_model()
    reference = pycrfsuite.Tagger()
    reference.open(str(model.path))
    sentences = [
        ["بغداد"],
        ["في", "دمشق"],
        ["قال", "بوش", "في", "واشنطن"],
        "وذكرت وكالة رويترز أن الاتحاد الأوروبي فرض عقوبات على شركة غازبروم الروسية ، و ذلك يوم 5 مايو".split(),
        "Reuters : أعلن حزب الله اللبناني مقتل 3 من عناصره قرب الحدود السورية".split(),
    ]
    batch = model.tag_sentences(sentences)
    for words, tags in zip(sentences, batch, strict=True):
        assert tags == list(reference.tag(sentence_features(words, model.gazetteer)))
        assert model.tag(words) == tags


def test_tagger_with_a_small_word_cache_matches_crfsuite() -> None:
    # Cache clears hand table rows and pair entries to new words: none of the old word's
    # scores may survive. A cache of 40 words clears several times over these sentences.
    import pycrfsuite

    from rasd.analyze.ner_model import NerModel, sentence_features

    model, fresh = NerModel.load(), NerModel.load()
    model._CACHE_MAX = 40
    reference = pycrfsuite.Tagger()
    reference.open(str(model.path))
    text = (
        "وقال الرئيس السوري بشار الأسد في دمشق إن الجيش سيواصل عملياته . "
        "وأعلنت الأمم المتحدة أن مجلس الأمن سيجتمع في نيويورك يوم الاثنين . "
        "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف . "
        "وذكرت وكالة رويترز أن الاتحاد الأوروبي فرض عقوبات على شركة غازبروم الروسية"
    )
    sentences = [s.split() for s in text.split(" . ")]
    for batch in (sentences, sentences[::-1], [["بغداد"], *sentences[1:3]], sentences):
        for words, tags in zip(batch, model.tag_sentences(batch), strict=True):
            assert tags == list(reference.tag(sentence_features(words, model.gazetteer)))
        assert (model._emissions(batch) == fresh._emissions(batch)).all()  # no score of an old word left
    assert "بغداد" not in model._row_of  # cleared before the last batch, which lacks it


def test_tagging_is_fast() -> None:
    # 300 words of news: the entity budget is ~2 ms per article; allow slack for CI.
    model = default_ner_model()
    words = (
        "وقال الرئيس السوري بشار الأسد في دمشق إن الجيش سيواصل عملياته ضد المسلحين في ريف حلب " * 20
    ).split()
    sentences = [words[i : i + 25] for i in range(0, 300, 25)]
    model.tag_sentences(sentences)  # warm the word cache
    start = time.perf_counter()
    for _ in range(20):
        model.tag_sentences(sentences)
    assert (time.perf_counter() - start) / 20 < 0.02


def test_metadata_describes_model() -> None:
    meta = json.loads((MODEL_DIR / "ner.json").read_text("utf-8"))
    assert meta["entity_types"] == ["PER", "ORG", "LOC", "MISC"]
    assert "O" in meta["labels"] and "B-PER" in meta["labels"]
    assert meta["validation_scores"]["ALL"]["f1"] >= 0.8
    assert (MODEL_DIR / "ner.crfsuite").stat().st_size < 10_000_000


CONLL = """\u200eوقال O
الرئيس O
بشار B-PERS
الأسد I-PERS
في O
دمشق B-LOC

\u200eأعلنت\tO
الأمم\tB-ORG
المتحدة\tI-ORG
"""


def test_ner_tag_cli_writes_predictions_and_scores(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text(CONLL, encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(ner_tag, [str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").split("\n")
    assert lines[6] == ""  # sentence break kept
    rows = [line.split() for line in lines if line]
    assert len(rows) == 9 and all(len(r) == 3 for r in rows)
    assert rows[0][0] == "وقال"  # U+200E dropped
    assert [r[2] for r in rows[2:4]] == ["B-PER", "I-PER"] and rows[5][2] == "B-LOC"
    assert "ALL" in result.stderr and "PER" in result.stderr


def test_ner_tag_cli_tokens_without_gold_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "plain.txt"
    src.write_text("قال\nأوباما\n\nفي\nواشنطن\n", encoding="utf-8")
    result = CliRunner().invoke(ner_tag, [str(src)])
    assert result.exit_code == 0
    rows = result.stdout.split("\n")
    assert rows[1].startswith("أوباما - ") and rows[2] == ""
    assert "ALL" not in result.stderr  # nothing to score

    bad = tmp_path / "bad.txt"
    bad.write_text("قال O\nأوباما B-PER extra\n", encoding="utf-8")
    result = CliRunner().invoke(ner_tag, [str(bad)])
    assert result.exit_code != 0 and f"{bad}:2" in result.output

    assert "CoNLL" in CliRunner().invoke(ner_tag, ["--help"]).output


@pytest.mark.skipif(
    not (SHARED_NER / "anercorp-camellab-train.txt").is_file(), reason="shared NER data absent"
)
def test_validation_split_f1() -> None:
    # Rebuild the held-out split the way scripts/train_ner.py recorded it in ner.json.
    meta = json.loads((MODEL_DIR / "ner.json").read_text("utf-8"))
    sents: list[list[tuple[str, str]]] = [[]]
    for line in (SHARED_NER / "anercorp-camellab-train.txt").read_text("utf-8").splitlines():
        parts = line.split()
        if parts:
            sents[-1].append((parts[0], parts[1].replace("PERS", "PER")))
        elif sents[-1]:
            sents.append([])
    sents = [s for s in sents if s]
    if meta["split"] == "every10":
        val = [s for i, s in enumerate(sents) if i % 10 == 9]
    else:
        val = sents[-round(len(sents) * 0.1) :]
    model = default_ner_model()
    pred = model.tag_sentences([[w for w, _ in s] for s in val])
    scores = conll_scores([[t for _, t in s] for s in val], pred)
    assert scores["ALL"]["f1"] >= 0.80
    assert scores["ALL"]["f1"] == pytest.approx(meta["validation_scores"]["ALL"]["f1"], abs=1e-3)
