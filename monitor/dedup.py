"""Near-copies: MinHash signatures of word shingles, banded for lookup (LSH), verified by estimate.

A syndicated or lightly edited copy shares most of its word 3-grams with the original. Bands let the
warehouse find candidates with an indexed lookup instead of comparing against every stored article.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
COPY_THRESHOLD = 0.5  # estimated Jaccard of shingles above which an article is a near-copy
_SEED = 7


@dataclass(frozen=True)
class Fingerprint:
    signature: list[int]
    bands: list[int]  # one key per band: a hash of the band number and its rows


def shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> list[int]:
    """The MinHash signature of a text's word 3-grams."""
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32)  # crc32: C speed, stable everywhere
    mh.update_batch(list(shingles(text)))
    return [int(v) for v in mh.hashvalues]


def fingerprint(text: str, known_signature: list[int] | None = None) -> Fingerprint:
    """Signature and LSH bands; pass `known_signature` when it was computed elsewhere (a worker)."""
    sig = known_signature or signature(text)
    values = np.asarray(sig, dtype=np.uint64)
    bands = []
    for b in range(BANDS):
        chunk = bytes([b]) + values[b * ROWS : (b + 1) * ROWS].tobytes()
        # fold the band to a signed 64-bit key so it fits a BIGINT column
        bands.append(struct.unpack("<q", hashlib.blake2b(chunk, digest_size=8).digest())[0])
    return Fingerprint(sig, bands)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or not b:
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))
