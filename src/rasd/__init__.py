"""rasd (رصد): Arabic news to a clean, geocoded, source-attributed record of political events.

Public API::

    import rasd
    doc = rasd.analyze(text, published="2019-05-20")
    doc = rasd.analyze_file("article.txt")
    doc.to_dict()   # the SCHEMA.md interchange format
"""

from rasd.doc import Analysis, Doc
from rasd.pipeline import Pipeline, analyze, analyze_file

__all__ = ["Analysis", "Doc", "Pipeline", "analyze", "analyze_file"]
__version__ = "0.1.0"
