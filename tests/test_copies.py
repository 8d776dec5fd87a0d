from __future__ import annotations

import random

import pytest

from storyline.eval.events import edit_article, make_copy_set, pairs_of, run_copies
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import ArticleDoc
from storyline.stages.copies import containment, copies_stage, group_copies, signature, signature_stage
from storyline.store import open_store

BASE = [
    (
        "The city council voted on Tuesday to close the old harbour bridge to lorries after engineers found "
        "corrosion in three of its steel supports. Mayor Anna Berg said the closure would last at least six "
        "months while repairs are planned.\n\nHauliers warned that the detour would add forty minutes to every "
        "delivery to the port, and the chamber of commerce asked for a temporary ferry service. The council "
        "said it would publish the engineers' report next week.\n\nThe bridge, built in 1961, carries about "
        "twelve thousand vehicles a day. A replacement has been discussed for a decade but never funded."
    ),
    (
        "Heavy rain flooded parts of the northern valley overnight, forcing the evacuation of two hundred "
        "residents from low-lying villages. Emergency services rescued a family from the roof of their car "
        "near the river crossing.\n\nThe regional weather office issued its highest warning for Thursday and "
        "said more rain was expected over the weekend. Schools in the area will stay closed.\n\nFarmers said "
        "the harvest in the valley had already been hit by a dry spring and the floods would add to their losses."
    ),
    (
        "Shares in the carmaker fell sharply after it cut its profit forecast for the year, blaming weak demand "
        "for electric models in Europe and rising battery costs. The chief executive told analysts the company "
        "would delay the opening of its new plant.\n\nUnions said they feared job cuts at the two existing "
        "factories and called a meeting for Friday. The company said no decision on staffing had been taken.\n\n"
        "Analysts said the warning was the third from a European carmaker this quarter."
    ),
]


def _store(articles: list[tuple[str, str, str | None]]):
    store = open_store(":memory:")
    s = Settings(workers=1, progress=False)
    for aid, text, date in articles:
        art = Article(id=aid, source=aid, text=text)
        art.published.date = date
        signature_stage(ArticleDoc(raw=None, article=art), s)  # type: ignore[arg-type]
        store.save_article(art)
    return store, s


def test_signature_is_deterministic_and_compact() -> None:
    a, b = signature(BASE[0]), signature(BASE[0])
    assert a == b
    assert a["shingles"] > 50 and len(a["minhash"]) < 800
    assert signature("  " + BASE[0].upper() + "\n")["exact"] == a["exact"]  # normalised before hashing


def test_containment_from_jaccard() -> None:
    # A inside B: |A|=50, |B|=100, J=0.5 -> containment 1
    assert containment(0.5, 50, 100) == pytest.approx(1.0)
    assert containment(0.0, 50, 100) == 0.0
    assert containment(0.3, 0, 10) == 0.0


def test_edited_copies_found_distinct_articles_not_and_original_is_earliest() -> None:
    rng = random.Random(3)
    edited = edit_article(BASE[0], rng, ["boilerplate", "reorder", "cut", "mt"])
    assert edited != BASE[0]
    store, s = _store(
        [
            ("late", BASE[0], "2024-05-03"),
            ("early", edited, "2024-05-01"),
            ("exact", BASE[0] + "\n", None),
            ("flood", BASE[1], "2024-05-02"),
            ("cars", BASE[2], "2024-05-02"),
        ]
    )
    copies_stage(store, s, {"late", "early", "exact", "flood", "cars"})
    res = store.get_corpus("copies")
    assert set(res) == {"late", "early", "exact", "flood", "cars"}
    assert res["late"]["original"] == "early"
    assert sorted(res["late"]["duplicates"]) == ["early", "exact"]
    assert res["exact"]["similarity"]["late"] == 1.0
    assert res["flood"]["duplicates"] == [] and res["flood"]["original"] == "flood"
    assert res["cars"]["duplicates"] == []


def test_incremental_run_queries_only_new_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.stages import copies as mod

    store, s = _store([("a", BASE[0], "2024-01-01"), ("b", BASE[1], None)])
    copies_stage(store, s, {"a", "b"})
    art = Article(id="c", source="c", text=BASE[0].replace("Tuesday", "Wednesday"))
    signature_stage(ArticleDoc(raw=None, article=art), s)  # type: ignore[arg-type]
    store.save_article(art)
    queried: list[str] = []
    orig = mod.CopyIndex.copies_of

    def spy(self: mod.CopyIndex, article_id: str, exact_key: str) -> dict[str, float]:
        queried.append(article_id)
        return orig(self, article_id, exact_key)

    monkeypatch.setattr(mod.CopyIndex, "copies_of", spy)
    copies_stage(store, s, {"c"})
    assert queried == ["c"]
    res = store.get_corpus("copies")
    assert res["a"]["duplicates"] == ["c"] and res["c"]["original"] == "a"
    assert res["b"]["duplicates"] == []


def test_group_copies_members_match_their_original() -> None:
    out = group_copies({("a", "b"): 0.9, ("b", "c"): 0.8}, {"a": "2024-02-01", "b": "2024-01-01", "c": None, "d": None})
    assert out["c"]["original"] == "b" and sorted(out["c"]["duplicates"]) == ["a", "b"]
    assert out["d"] == {"original": "d", "duplicates": [], "similarity": {}}
    # a chain a~b~c where c does not match a: c is not a copy of a
    out = group_copies({("a", "b"): 0.9, ("b", "c"): 0.8}, {"a": "2024-01-01", "b": "2024-01-02", "c": "2024-01-03"})
    assert out["b"]["original"] == "a" and out["c"]["original"] == "c" and out["c"]["duplicates"] == []


def test_copy_set_builder_and_pair_scoring() -> None:
    texts = [(f"t{i}", t) for i, t in enumerate(BASE)]
    arts, fam = make_copy_set(texts, 2, seed=1)
    assert len(arts) > 3 and len(pairs_of(fam)) >= 2
    pred = run_copies(arts)
    assert pairs_of(pred) == pairs_of(fam)
