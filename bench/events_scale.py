"""Scale of copy detection and event grouping: wall time and memory peak at 1k, 10k, 100k.

    .venv/bin/python bench/events_scale.py [--sizes 1000,10000,100000] [--json]

Articles are synthesised from real PolNeAR articles (../shared/data/polnear): each is
the first paragraphs of one article followed by paragraphs drawn from the whole pool,
then edited (boilerplate, reordering, a cut, word swaps); one in ten is an edited copy
of an earlier synthetic article, so copies exist at every size.  (Synthetic articles
that reuse one lead share text, so some pairs beyond the planted copies are copies.)

Each size runs in its own process, so the memory peak (max RSS) is that size's alone.
Measured per size:

* ``signature``: the per-article stage (runs in the workers in a real build);
* ``copies``: the ``copies`` corpus stage over a store holding the signatures
  (exact hashes, LSH bands, verification, grouping), store insertion excluded;
* ``events``: the ``events`` grouping (blocking, pair scores, sparse average linkage)
  over article features.  The MiniLM lead vectors are replaced by a random projection
  of the hashed terms: the embedding cost is linear per sentence and is measured
  separately here as sentences per second, so it is reported, not hidden.

Reference, measured in the same run: at the smallest size, the all-pairs MinHash
comparison that the LSH index avoids; its quadratic extrapolation is printed beside the
measured times.  Growth: ``exponent`` = log(t2/t1) / log(n2/n1) between consecutive
sizes (1 = linear, 2 = quadratic), on CPU time (wall time on a shared machine is noisy;
both are in --json).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np


def synthesise(n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """n (id, text, date) articles from PolNeAR, with edits."""
    from storyline.eval import gold_path
    from storyline.eval.events import EDIT_KINDS, edit_article

    root = gold_path("events-scale", "polnear")
    files = sorted(root.glob("*/text/*.txt"))
    base = [f.read_text(encoding="utf-8") for f in files]
    pars = [[p for p in re.split(r"\n\s*\n", t) if p.strip()] for t in base]
    pool = [(a, p) for a, ps in enumerate(pars) for p in ps]
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for i in range(n):
        if out and rng.random() < 0.1:
            src = rng.choice(out)
            out.append((f"s{i}", edit_article(src[1], rng, rng.sample(EDIT_KINDS, 2)), src[2]))
            continue
        # a lead article's first paragraphs, then paragraphs drawn from the whole pool:
        # distinct articles that still share vocabulary, names and topics
        a = rng.randrange(len(base))
        mix = pars[a][: rng.randint(1, 3)] + [rng.choice(pool)[1] for _ in range(rng.randint(4, 9))]
        kinds = [e for e in EDIT_KINDS if rng.random() < 0.5]
        text = "\n\n".join(mix)
        text = edit_article(text, rng, kinds) if kinds else text
        day = (a * 7 + rng.randrange(3)) % 400
        date = time.strftime("%Y-%m-%d", time.gmtime(1446336000 + day * 86400))
        out.append((f"s{i}", text, date))
    return out


_CAPS = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def run_size(n: int, events: bool = True) -> dict[str, float | int]:
    from storyline.model import Article
    from storyline.settings import Settings
    from storyline.stages.copies import NUM_PERM, copies_stage, decode_minhash, signature
    from storyline.stages.events import ArticleFeatures, EventParams, entity_key, group_articles, tokens
    from storyline.store import open_store

    arts = synthesise(n)
    res: dict[str, float | int] = {"articles": n}
    t0, c0 = time.perf_counter(), time.process_time()
    sigs = [signature(t) for _, t, _ in arts]
    res["signature_s"], res["signature_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        with store.transaction():
            for (aid, text, date), sig in zip(arts, sigs, strict=True):
                art = Article(id=aid, source=aid, text=text)
                art.published.date = date
                art.layers["signature"] = [sig]
                store.save_article(art)
        res["store_insert_s"] = time.perf_counter() - t0
        settings = Settings(workers=1, progress=False)
        t0, c0 = time.perf_counter(), time.process_time()
        copies_stage(store, settings, {a for a, _, _ in arts})
        res["copies_s"], res["copies_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        res["articles_with_copies"] = sum(1 for r in store.get_corpus("copies").values() if r["duplicates"])
        store.close()

    if n <= 2000:  # the reference: all pairs, as a naive detector would compare them
        mh = np.stack([decode_minhash(s) for s in sigs])
        t0 = time.perf_counter()
        for i in range(n):
            (mh[i + 1 :] == mh[i]).sum(axis=1) / NUM_PERM
        res["allpairs_s"] = time.perf_counter() - t0

    if not events:
        res["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return res
    t0 = time.perf_counter()
    proj = np.random.default_rng(0).standard_normal((4096, 384)).astype(np.float32)
    feats = []
    for aid, text, date in arts:
        terms = Counter(tokens(text))
        bag = np.zeros(4096, dtype=np.float32)
        for w, c in terms.items():
            bag[hash(w) % 4096] += 1 + math.log(c)
        v = bag @ proj
        v /= max(float(np.linalg.norm(v)), 1e-9)
        ents = {entity_key(m) for m in _CAPS.findall(text) if len(m) > 3}
        feats.append(ArticleFeatures(id=aid, terms=terms, entities=ents, lead=[], date=date, vec=v))
    res["features_s"] = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    groups = group_articles(feats, EventParams(), release=True)
    res["events_s"], res["events_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    res["events"] = len(groups)
    res["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return res


def embed_rate() -> float:
    from storyline import embed

    if not embed.available():
        return float("nan")
    sents = ["The senator said on Tuesday that the committee would vote on the bill next week."] * 256
    embed.embed(sents[:8])
    t0 = time.perf_counter()
    embed.embed(sents)
    return len(sents) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--events-up-to", type=int, default=20000,
                    help="measure event grouping only up to this size (its synthetic features are slow to build)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.one <= args.events_up_to)))
        return
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--events-up-to", str(args.events_up_to)],
                             capture_output=True, text=True,
                             env=os.environ, check=False)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            sys.exit(out.returncode)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rate = embed_rate()
    for prev, cur in zip(rows, rows[1:], strict=False):
        f = math.log(cur["articles"] / prev["articles"])
        for k in ("copies_cpu_s", "events_cpu_s", "signature_cpu_s"):
            if k in cur and k in prev:
                cur[k.replace("_cpu_s", "_exponent")] = round(math.log(max(cur[k], 1e-9) / max(prev[k], 1e-9)) / f, 2)
    ref = next((r for r in rows if "allpairs_s" in r), None)
    summary = {"sizes": rows, "embed_sentences_per_s_1thread": round(rate, 1)}
    if ref:
        for r in rows:
            r["allpairs_extrapolated_s"] = round(ref["allpairs_s"] * (r["articles"] / ref["articles"]) ** 2, 2)
            r["copies_speedup_vs_allpairs"] = round(r["allpairs_extrapolated_s"] / max(r["copies_s"], 1e-9), 2)
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{'articles':>9} {'signature':>10} {'copies':>8} {'events':>8} {'rss MB':>8} {'all-pairs ref':>14}  "
          "growth exponents on CPU time (copies, events)")
    for r in rows:
        ev = f"{r['events_s']:>7.2f}s" if "events_s" in r else f"{'-':>8}"
        print(f"{r['articles']:>9} {r['signature_s']:>9.1f}s {r['copies_s']:>7.2f}s {ev} "
              f"{r['max_rss_mb']:>8.0f} {r.get('allpairs_extrapolated_s', float('nan')):>13.1f}s  "
              f"{r.get('copies_exponent', '')} {r.get('events_exponent', '')}")
    print(f"MiniLM embedding (linear per sentence): {rate:.0f} sentences/s on one thread")


if __name__ == "__main__":
    main()
