"""Copy detection: exact hashes first, then MinHash LSH with a containment check.

Article stage ``signature`` (runs in the workers): the SHA-1 of the normalised clean
text, and a 128-permutation MinHash over word 3-shingles with the number of distinct
shingles, in layer ``signature``.

Corpus stage ``copies``: articles with the same exact hash are copies; the others are
banded (LSH, 42 bands of 3 rows) so only articles that share a band bucket are compared.
A candidate pair is a copy when the *containment* of the smaller shingle set in the
larger one, estimated from the MinHash Jaccard and the two set sizes, reaches
``min_containment``: containment, unlike Jaccard, stays high when one version adds
boilerplate or cuts a paragraph.  The earliest article (publication date, then id) of a
group is its original, and every member matches the original directly (no chaining).

Incremental: the index is rebuilt from the stored signatures (cheap, linear), only the
articles of this run (``new_ids``) are queried against it, and the verified pairs of
earlier runs are kept (corpus kind ``copies_state``, key ``pairs``).

Options (``[stages.copies]``): ``min_containment`` (0.5), ``min_shingles`` (15).
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.model import normalise_for_id
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage, corpus_stage

if TYPE_CHECKING:
    from storyline.store import Store

NUM_PERM = 128
SHINGLE = 3
BANDS, ROWS = 42, 3  # 126 of the 128 rows; P(candidate) is 0.68 at J=0.3, 0.93 at J=0.4
SIGNATURE_VERSION = 2
_PRIME = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1
_WORD = re.compile(r"\w+", re.UNICODE)

# The MinHash permutations (a*x + b mod p), fixed so signatures are comparable across
# processes and runs (same scheme as datasketch, seed 1).
_rng = np.random.RandomState(1)
_PERM_A = _rng.randint(1, _PRIME, size=NUM_PERM, dtype=np.uint64)
_PERM_B = _rng.randint(0, _PRIME, size=NUM_PERM, dtype=np.uint64)
_MIX = [np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)]
del _rng


def exact_hash(text: str) -> str:
    return hashlib.sha1(normalise_for_id(text).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Word k-shingles of the lower-cased text (punctuation and spacing ignored)."""
    words = _WORD.findall(normalise_for_id(text))
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """Distinct 32-bit hashes of the word k-shingles of ``text`` (see :func:`shingles`)."""
    words = _WORD.findall(normalise_for_id(text))
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < k:
        k = len(words)
    mixed = np.zeros(len(words) - k + 1, dtype=np.uint64)
    for off in range(k):
        mixed ^= h[off : len(words) - k + 1 + off] * _MIX[off]
    return np.unique(mixed >> np.uint64(32))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """128 32-bit MinHash values of a set of 32-bit hashes (all 0xffffffff when empty)."""
    out = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    for chunk in range(0, hashes.size, 2048):
        part = hashes[chunk : chunk + 2048]
        phv = ((part[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) % np.uint64(_PRIME)) & np.uint64(_MAX_HASH)
        out = np.minimum(out, phv.min(axis=0))
    return out.astype(np.uint32)


def signature(text: str) -> dict[str, Any]:
    """The ``signature`` layer item of one text."""
    sh = shingle_hashes(text)
    mh = minhash(sh)
    return {
        "start": 0,
        "end": len(text),
        "version": SIGNATURE_VERSION,
        "exact": exact_hash(text),
        "shingles": int(sh.size),
        "minhash": base64.b64encode(mh.tobytes()).decode("ascii"),
    }


def decode_minhash(item: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(base64.b64decode(item["minhash"]), dtype=np.uint32)


@article_stage("signature")
def signature_stage(doc: ArticleDoc, settings: Settings) -> None:
    doc.article.layers["signature"] = [signature(doc.article.text)]


def containment(j: float, na: int, nb: int) -> float:
    """|A & B| / min(|A|, |B|) from the Jaccard index and the two set sizes."""
    if na == 0 or nb == 0:
        return 0.0
    inter = j * (na + nb) / (1.0 + j)
    return min(1.0, inter / min(na, nb))


class CopyIndex:
    """Exact-hash buckets and LSH band buckets over MinHash signatures."""

    def __init__(self, min_containment: float = 0.5, min_shingles: int = 15) -> None:
        self.min_containment = min_containment
        self.min_shingles = min_shingles
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.sigs: list[np.ndarray] = []
        self.sizes: list[int] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.bands: list[dict[bytes, list[int]]] = [defaultdict(list) for _ in range(BANDS)]

    def add(self, article_id: str, item: dict[str, Any]) -> None:
        i = len(self.ids)
        mh = decode_minhash(item)
        self.ids.append(article_id)
        self.pos[article_id] = i
        self.sigs.append(mh)
        self.sizes.append(int(item["shingles"]))
        self.exact[item["exact"]].append(i)
        if item["shingles"] >= self.min_shingles:
            for b in range(BANDS):
                self.bands[b][mh[b * ROWS : (b + 1) * ROWS].tobytes()].append(i)

    def score(self, i: int, j: int) -> float:
        j_est = float(np.count_nonzero(self.sigs[i] == self.sigs[j])) / NUM_PERM
        return containment(j_est, self.sizes[i], self.sizes[j])

    def copies_of(self, article_id: str, exact_key: str) -> dict[str, float]:
        i = self.pos[article_id]
        found: dict[str, float] = {}
        for j in self.exact.get(exact_key, []):
            if j != i:
                found[self.ids[j]] = 1.0
        if self.sizes[i] < self.min_shingles:
            return found
        cands: set[int] = set()
        mh = self.sigs[i]
        for b in range(BANDS):
            cands.update(self.bands[b].get(mh[b * ROWS : (b + 1) * ROWS].tobytes(), ()))
        cands.discard(i)
        for j in cands:
            if self.ids[j] in found or self.sizes[j] < self.min_shingles:
                continue
            s = self.score(i, j)
            if s >= self.min_containment:
                found[self.ids[j]] = round(s, 3)
        return found


def group_copies(
    pairs: dict[tuple[str, str], float], published: dict[str, str | None]
) -> dict[str, dict[str, Any]]:
    """Copy groups -> {article_id: {original, duplicates, similarity}}.

    Articles are taken in order (publication date, then id); an article that matches an
    earlier original joins the group of the earliest such original, else it is an
    original itself.  Every member of a group thus matches its original directly: no
    chains (A~B, B~C, A!~C) that would merge unrelated articles into one giant group.
    Every article of ``published`` gets a record (its own original when it has no copy).
    """
    neighbours: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), s in pairs.items():
        neighbours[a][b] = s
        neighbours[b][a] = s
    key = {x: (published.get(x) or "9999", x) for x in set(published) | set(neighbours)}
    original_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for x in sorted(key, key=key.__getitem__):
        leaders = [y for y in neighbours.get(x, {}) if original_of.get(y) == y and key[y] < key[x]]
        orig = min(leaders, key=key.__getitem__) if leaders else x
        original_of[x] = orig
        members[orig].append(x)
    out: dict[str, dict[str, Any]] = {}
    for x, orig in original_of.items():
        group = members[orig]
        out[x] = {
            "original": orig,
            "duplicates": [o for o in group if o != x],
            "similarity": {o: neighbours[x][o] for o in sorted(neighbours.get(x, {})) if original_of.get(o) == orig},
        }
    return out


@corpus_stage("copies")
def copies_stage(store: Store, settings: Settings, new_ids: set[str]) -> None:
    opts = settings.stage("copies")
    index = CopyIndex(float(opts.get("min_containment", 0.5)), int(opts.get("min_shingles", 15)))
    exact_of: dict[str, str] = {}
    for aid, items in store.iter_layer("signature"):
        if items and items[0].get("version") == SIGNATURE_VERSION:
            index.add(aid, items[0])
            exact_of[aid] = items[0]["exact"]
    known = set(index.ids)
    previous = store.get_corpus("copies")
    # Every article queried by an earlier run has a record; the others are queried now.
    query = {a for a in known if a in new_ids or a not in previous}
    pairs: dict[tuple[str, str], float] = {}
    stored_pairs = store.get_corpus_item("copies_state", "pairs") or []
    for a, b, s in stored_pairs:
        if a in known and b in known and a not in query and b not in query:
            pairs[(a, b)] = float(s)
    for a in sorted(query):
        for b, s in index.copies_of(a, exact_of[a]).items():
            pairs[(min(a, b), max(a, b))] = s
    published = {r[0]: r[1] for r in store.conn.execute("SELECT id, published_date FROM articles") if r[0] in known}
    with store.transaction():
        store.replace_corpus("copies", group_copies(pairs, published))
        # every verified pair, for the next incremental run (groups keep only some of them)
        store.replace_corpus("copies_state", {"pairs": [[a, b, s] for (a, b), s in sorted(pairs.items())]})
