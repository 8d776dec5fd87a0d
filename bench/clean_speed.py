"""Cost of the text cleaner against the spaCy NLP stage on the same articles, in one run.

    .venv/bin/python bench/clean_speed.py                      # the seeds
    .venv/bin/python bench/clean_speed.py ../shared/seeds --repeat 5
    .venv/bin/python bench/clean_speed.py --zyte 40            # 40 flattened benchmark pages

Both are timed in this process on the same texts: ``clean_text`` on the raw (flattened)
text, spaCy (``settings.spacy_model``, the nlp stage's pipeline) on the cleaned text, as in
the pipeline.  Prints both times and the ratio clean / nlp; the target is < 0.05.  The
machines are shared and noisy, so only the ratio is comparable across runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from storyline.settings import Settings
from storyline.stages.clean import clean_text
from storyline.stages.nlp import load_spacy


def _texts(paths: list[str], zyte: int) -> list[str]:
    texts: list[str] = []
    if zyte:
        from storyline.eval.extraction import load_pages, render_page_text

        texts += [render_page_text(p["html"]) for p in load_pages(zyte)]
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        texts += [f.read_text(encoding="utf-8") for f in files]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--zyte", type=int, default=0, help="also use the first N benchmark pages, flattened")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.paths
    if not paths and not args.zyte:
        paths = [str(Path(__file__).resolve().parents[1].parent / "shared" / "seeds")]
    texts = _texts(paths, args.zyte)
    if not texts:
        raise SystemExit("no texts found")
    nlp = load_spacy(Settings().spacy_model)
    clean = [clean_text(t).text for t in texts]  # warm-up, and the texts spaCy sees
    nlp("warm up")

    best_clean = best_nlp = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for t in texts:
            clean_text(t)
        best_clean = min(best_clean, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in clean:
            nlp(t)
        best_nlp = min(best_nlp, time.perf_counter() - t0)
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)}  raw chars: {chars}  clean chars: {sum(len(t) for t in clean)}")
    print(f"clean_text: {best_clean * 1000:.1f} ms   spaCy nlp: {best_nlp * 1000:.1f} ms  (best of {args.repeat})")
    print(f"ratio clean / nlp: {best_clean / best_nlp:.4f}  (target < 0.05)")


if __name__ == "__main__":
    main()
