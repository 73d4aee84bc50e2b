"""Errors rasd raises on purpose, each with a message that names the input at fault."""


class RasdError(Exception):
    """Base class: a problem the user can act on (bad input, bad option, missing resource)."""


class InputError(RasdError):
    """A file or line that cannot be read as an article."""


class ResourceError(RasdError):
    """A data file (lexicon, gazetteer, model) missing or malformed."""
