"""Wall time of `storyline build` against bare spaCy `nlp.pipe` on the same texts, in one run.

    .venv/bin/python bench/build_speed.py ../shared/seeds
    .venv/bin/python bench/build_speed.py ../shared/data/polnear/train/text --workers 2

Prints both times and their ratio (build / spaCy). The machines are shared and noisy, so only
the ratio is comparable across runs. The spaCy reference uses the same number of processes.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import storyline
from storyline.model import RawDoc
from storyline.readers import read_inputs
from storyline.settings import Settings
from storyline.stages.nlp import load_spacy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--workers", type=int, default=Settings().workers)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()

    docs = [r for r in read_inputs(args.paths) if isinstance(r, RawDoc)]
    if args.limit:
        docs = docs[: args.limit]
    texts = [d.content() for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        for i, t in enumerate(texts):
            (inputs / f"{i:05d}.txt").write_text(t, encoding="utf-8")
        settings = Settings(workers=args.workers, progress=False)

        nlp = load_spacy(settings.spacy_model)
        t0 = time.perf_counter()
        n_tokens = sum(len(d) for d in nlp.pipe(texts, n_process=args.workers, batch_size=16))
        spacy_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = storyline.build([inputs], db=Path(tmp) / "bench.db", settings=settings)
        build_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = storyline.build([inputs], db=Path(tmp) / "bench.db", settings=settings)
        rebuild_s = time.perf_counter() - t0

    print(json.dumps({
        "articles": len(texts),
        "tokens": n_tokens,
        "workers": args.workers,
        "spacy_pipe_s": round(spacy_s, 2),
        "build_s": round(build_s, 2),
        "ratio_build_to_spacy": round(build_s / spacy_s, 2),
        "rebuild_unchanged_s": round(rebuild_s, 2),
        "stored": len(report.added),
        "failed": len(report.errors),
        "unchanged_on_rebuild": len(again.unchanged),
        "timings": {k: round(v, 2) for k, v in report.timings.items()},
    }, indent=2))


if __name__ == "__main__":
    main()
