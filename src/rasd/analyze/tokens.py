"""The token stage: sentences and clitic-segmented tokens over `Doc.text`."""

from __future__ import annotations

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
        sentences: list[Sentence] = []
        i = 0
        for start, end in split_sentences(text):
            first = i
            while i < len(tokens) and tokens[i].start < end:
                i += 1
            sentences.append(Sentence(start, end, first, i))
        doc.tokens, doc.sentences = tokens, sentences
        return doc
