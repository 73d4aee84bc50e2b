"""Ingest: read articles from files, one reader per format, one registry.

`read_paths(paths)` yields `Article`s, and `Quarantined` records for whatever
cannot be read (binary file, unknown encoding, empty or huge file, malformed
JSONL line): the batch goes on and nothing is lost.
"""

from rasd.ingest.encoding import decode_bytes
from rasd.ingest.readers import READERS, read_paths

__all__ = ["READERS", "decode_bytes", "read_paths"]
