"""The token stage: sentences and clitic-segmented tokens over `Doc.text`."""

from __future__ import annotations

from bisect import bisect_left

from rasd.doc import Doc, Sentence
from rasd.pipeline import stage
from rasd.text.sentences import split_sentences
from rasd.text.tokens import tokenize


@stage("tokens")
class Tokenizer:
    name = "tokens"
    requires = ("text",)
    assigns = ("tokens", "sentences")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        tokens = tokenize(text)
        starts = [token.start for token in tokens]
        sentences: list[Sentence] = []
        first = 0
        for start, end in split_sentences(text):
            # A sentence takes the tokens that start before its end (starts ascend).
            last = bisect_left(starts, end, first)
            sentences.append(Sentence(start, end, first, last))
            first = last
        doc.tokens, doc.sentences = tokens, sentences
        return doc
