"""The MinHash scheme stores wrote before schema step 8 (datasketch 2's "affine32"), for migration tests.

One SHA-1 per shingle (its first 4 bytes, little-endian), the MurmurHash3 32-bit finalizer, then
`a * h + b mod 2^32` with datasketch's parameters for seed 1 (numpy's legacy `RandomState`, whose
stream numpy keeps stable); bands hashed with BLAKE2b. Written here without datasketch.
"""

from __future__ import annotations

import hashlib

import numpy as np

from rasd.dedup import minhash

_gen = np.random.RandomState(1)
_A = (_gen.randint(0, 1 << 31, minhash.NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)).reshape(1, -1)
_B = _gen.randint(0, 1 << 32, minhash.NUM_PERM, dtype=np.uint32).reshape(1, -1)


def signature(text: str) -> np.ndarray | None:
    grams = minhash.shingles(text)
    if len(grams) < minhash.MIN_SHINGLES:
        return None
    h = np.array([int.from_bytes(hashlib.sha1(g).digest()[:4], "little") for g in grams], dtype=np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return (h.reshape(-1, 1) * _A + _B).min(axis=0).astype(np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    data = sig.astype("<u8").tobytes()
    size = minhash.ROWS * 8
    return [(band, int.from_bytes(hashlib.blake2b(data[band * size : (band + 1) * size], digest_size=8).digest(),
                                  "little", signed=True)) for band in range(minhash.BANDS)]
