"""Cost of the quotes stage against the nlp stage, measured in the same run.

    .venv/bin/python bench/quotes_speed.py [--limit N] [--repeat R]

Texts: PolNeAR train articles when the shared data is there, else the seed articles.
Prints the time of spaCy (the nlp stage) and of the quotes stage on the same parses, and
their ratio; the goal is that quotes adds less than 15% to nlp.
"""

from __future__ import annotations

import argparse
import time


def _texts(limit: int) -> list[str]:
    from storyline.eval import data_dir

    polnear = data_dir() / "polnear" / "train" / "text"
    if polnear.is_dir():
        files = sorted(polnear.glob("*.txt"))[:limit]
    else:
        files = sorted((data_dir().parent / "seeds").glob("*.txt"))[:limit]
    return [f.read_text(encoding="utf-8") for f in files]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from storyline.settings import Settings
    from storyline.stages.nlp import load_spacy
    from storyline.stages.quotes import extract_quotes

    settings = Settings()
    nlp = load_spacy(settings.spacy_model)
    texts = _texts(args.limit)
    if not texts:
        raise SystemExit("no texts found (PolNeAR train or ../shared/seeds)")
    nlp("warm up.")
    best_nlp = best_quotes = float("inf")
    n_quotes = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        docs = [nlp(t) for t in texts]
        t_nlp = time.perf_counter() - t0
        layers = [
            {"ner": [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in d.ents]}
            for d in docs
        ]
        t0 = time.perf_counter()
        n_quotes = sum(len(extract_quotes(t, d, ly)) for t, d, ly in zip(texts, docs, layers, strict=True))
        t_quotes = time.perf_counter() - t0
        best_nlp, best_quotes = min(best_nlp, t_nlp), min(best_quotes, t_quotes)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} texts, {chars} chars, {n_quotes} quotes; best of {args.repeat}")
    print(f"nlp stage (spaCy {settings.spacy_model}): {best_nlp:.3f}s")
    print(f"quotes stage:                          {best_quotes:.3f}s")
    print(f"quotes / nlp: {best_quotes / best_nlp:.3f} (goal < 0.15)")


if __name__ == "__main__":
    main()
