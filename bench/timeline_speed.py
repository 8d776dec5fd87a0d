"""Time of a story timeline on a built store of a large topic, against reading that store once.

    .venv/bin/python bench/timeline_speed.py                  # Timeline17 syria, 700 articles
    .venv/bin/python bench/timeline_speed.py --topic iraq --articles 300

The store is filled as the article stages would leave it (clean text, ``sentences`` with
the date each refers to, publication dates); building it is not timed.  Reference,
measured in the same run: one pass reading every article with its sentence layer
(``Store.iter_articles``), the floor any timeline pays.  Prints both times, their ratio
(timeline / read) and whether the timeline took under the 30-second goal.  Articles past
the topic's own count are copies with new ids (a topic with syndicated copies).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from storyline.eval import gold_path
from storyline.eval.tls import QUERIES, fallback_sentence_date, read_articles
from storyline.model import Article, PubDate
from storyline.store import open_store
from storyline.timeline import story_timeline


def fill(store_path: Path, topic: str, n: int) -> int:
    arts = read_articles(gold_path("tls", "tls", "t17", topic) / "articles.csv")
    st = open_store(store_path)
    with st.transaction():
        for i in range(n):
            pub_s, text = arts[i % len(arts)]
            pub = date.fromisoformat(pub_s)
            sents = []
            pos = 0
            for line in text.split("\n"):
                if line.strip():
                    item: dict = {"start": pos, "end": pos + len(line)}
                    d = fallback_sentence_date(line, pub)
                    if d:
                        item["date"] = {"value": d.isoformat(), "precision": "day", "source": "timex", "confidence": 0.8}
                    sents.append(item)
                pos += len(line) + 1
            a = Article(id=f"{topic}-{i:05d}", source=f"{topic}.csv#{i}", text=text,
                        published=PubDate(date=pub_s, precision="day", method="given", confidence=1.0))
            a.layers["sentences"] = sents
            st.save_article(a)
    st.close()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topic", default="syria")
    ap.add_argument("--articles", type=int, default=700)
    ap.add_argument("--max-dates", type=int, default=30)
    ap.add_argument("--per-date", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        n = fill(path, args.topic, args.articles)
        st = open_store(path, create=False)
        t0 = time.perf_counter()
        n_sent = sum(len(a.layers.get("sentences", [])) for a in st.iter_articles(layers=["sentences", "entities"]))
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        entries = story_timeline(st, query=QUERIES.get(args.topic), max_dates=args.max_dates, per_date=args.per_date)
        t_tl = time.perf_counter() - t0
        st.close()
    print(f"topic={args.topic} articles={n} sentences={n_sent} entries={len(entries)}")
    print(f"read store (reference): {t_read:.2f}s")
    print(f"story_timeline:         {t_tl:.2f}s")
    print(f"ratio timeline/read:    {t_tl / max(t_read, 1e-9):.1f}x   goal < 30s: {'yes' if t_tl < 30 else 'NO'}")


if __name__ == "__main__":
    main()
