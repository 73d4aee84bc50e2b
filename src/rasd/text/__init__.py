"""The Arabic text layer: normalisation with offset maps, sentences, clitic-aware tokens."""

from rasd.text.normalize import normalize, normalize_with_map
from rasd.text.sentences import split_sentences
from rasd.text.tokens import tokenize

__all__ = ["normalize", "normalize_with_map", "split_sentences", "tokenize"]
