"""Analysis stages: tokens, entities and places, attributions, events, notes.

This package shares its name with the public function `rasd.analyze(text)`. Python sets
`rasd.analyze` to this package as soon as any stage module is imported, so the package
itself is made callable and forwards to `rasd.pipeline.analyze`: `rasd.analyze(text)`
works whichever of the two the attribute holds.
"""

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from rasd.pipeline import analyze

        return analyze(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
