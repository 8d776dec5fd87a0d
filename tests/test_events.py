from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from storyline import embed
from storyline.commands.events import events_cmd
from storyline.eval.events import average_linkage as dense_average_linkage
from storyline.eval.events import bcubed, read_ecb
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages.events import (
    ArticleFeatures,
    EventParams,
    average_linkage,
    candidate_pairs,
    date_conflict,
    events_stage,
    group_articles,
    tokens,
)


def feat(aid: str, text: str, ents: set[str], date: str | None = None, years: set[int] | None = None) -> ArticleFeatures:
    return ArticleFeatures(id=aid, terms=Counter(tokens(text)), entities=ents, lead=[text], date=date,
                           years=years or set())


def test_bcubed() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed({"a": 0, "b": 0, "c": 1, "d": 1}, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed({"a": 0, "b": 0, "c": 0, "d": 0}, gold)
    assert p == 0.5 and r == 1.0 and f == pytest.approx(2 / 3)
    p, r, _ = bcubed({"a": 0, "b": 1, "c": 2, "d": 3}, gold)
    assert p == 1.0 and r == 0.5


def test_sparse_average_linkage_matches_dense_on_complete_graph() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    pts = np.concatenate([rng.normal(0, 0.1, (5, 3)) + [1, 0, 0], rng.normal(0, 0.1, (5, 3)) + [0, 1, 0]])
    pts /= np.linalg.norm(pts, axis=1, keepdims=True)
    sim = pts @ pts.T
    edges = {(i, j): float(sim[i, j]) for i in range(10) for j in range(i + 1, 10)}
    sparse = average_linkage(10, edges, 0.5)
    dense = dense_average_linkage(sim, 0.5)
    assert sorted(map(sorted, sparse)) == sorted(
        sorted(i for i in range(10) if dense[i] == c) for c in set(dense)
    )
    assert sorted(map(len, sparse)) == [5, 5]


def test_dates_keep_similar_events_apart() -> None:
    a = feat("a", "earthquake", set(), date="2024-01-02")
    b = feat("b", "earthquake", set(), date="2024-01-05")
    c = feat("c", "earthquake", set(), date="2024-06-05")
    assert date_conflict(a, b, 10) == 0.0 and date_conflict(a, c, 10) > 0.5
    # without publication dates, the years the texts name decide
    assert date_conflict(feat("x", "", set(), years={2008}), feat("y", "", set(), years={2011}), 10) == 1.0
    assert date_conflict(feat("x", "", set(), years={2008}), feat("y", "", set()), 10) == 0.0


def test_grouping_uses_participants_places_and_dates() -> None:
    quake1 = "A magnitude 6.1 earthquake struck {p} on {d}, killing {n} people and destroying hundreds of homes, officials said."
    quake2 = "Rescuers searched the rubble in {p} after the earthquake; the death toll rose to {n}, the governor said."
    feats = [
        feat("q1a", quake1.format(p="Lorca, Spain", d="Wednesday", n=9), {"lorca", "spain"}, "2011-05-11"),
        feat("q1b", quake2.format(p="Lorca", n=10), {"lorca", "spain"}, "2011-05-12"),
        feat("q2a", quake1.format(p="Van, Turkey", d="Sunday", n=200), {"van", "turkey"}, "2011-10-23"),
        feat("q2b", quake2.format(p="Van", n=264), {"van", "turkey"}, "2011-10-24"),
        feat("x", "The central bank raised interest rates by half a point to curb inflation.", {"ecb"}, "2011-05-11"),
    ]
    groups = group_articles(feats, EventParams())
    assert sorted(map(sorted, groups)) == [["q1a", "q1b"], ["q2a", "q2b"], ["x"]]


def test_candidates_skip_keys_shared_by_too_many_articles() -> None:
    feats = [feat(f"a{i}", f"common words story number{i}", {"everyone"}) for i in range(200)]
    from storyline.stages.events import _weigh

    _weigh(feats)
    pairs = candidate_pairs(feats, EventParams(max_df=0.05, candidates=5))
    assert len(pairs) <= 200 * 5  # bounded per article, never all pairs


def _article(aid: str, text: str, date: str | None, title: str | None = None) -> Article:
    art = Article(id=aid, source=aid, text=text, title=title)
    art.published.date = date
    art.published.precision = "day" if date else "unknown"
    sents, pos = [], 0
    for part in text.split(". "):
        end = pos + len(part) + (1 if not part.endswith(".") else 0)
        sents.append({"start": pos, "end": min(end, len(text))})
        pos = end + 1
    art.layers["sentences"] = [s for s in sents if s["end"] > s["start"]]
    ner = []
    for name, label in [("Lorca", "GPE"), ("Spain", "GPE"), ("Van", "GPE"), ("Turkey", "GPE"), ("Erdogan", "PERSON")]:
        i = text.find(name)
        if i >= 0:
            ner.append({"start": i, "end": i + len(name), "text": name, "label": label})
    art.layers["ner"] = ner
    return art


STORY = [
    ("l1", "A strong earthquake struck Lorca in southern Spain on Wednesday. Nine people died and buildings collapsed. "
           "Rescue teams worked through the night.", "2011-05-11", "Deadly earthquake hits Lorca"),
    ("l2", "The death toll from the Lorca earthquake in Spain rose to ten. Thousands of residents slept outdoors. "
           "The government sent soldiers to help.", "2011-05-12", None),
    ("v1", "A powerful earthquake hit Van in eastern Turkey on Sunday. Hundreds of people were killed as buildings "
           "collapsed. Erdogan visited the region.", "2011-10-23", "Hundreds killed in Turkey earthquake"),
    ("v2", "Rescuers pulled survivors from the rubble in Van, Turkey. Erdogan said the toll passed 400. "
           "Aftershocks shook the city.", "2011-10-25", None),
    ("v3", "Rescuers pulled survivors from the rubble in Van, Turkey. Erdogan said the toll passed 400. "
           "Aftershocks shook the city. Advertisement.", "2011-10-26", None),
]


@pytest.fixture
def story_db(tmp_path):
    from storyline.stages.copies import copies_stage, signature
    from storyline.store import open_store

    path = tmp_path / "story.db"
    store = open_store(path)
    for aid, text, date, title in STORY:
        art = _article(aid, text, date, title)
        art.layers["signature"] = [signature(text)]
        store.save_article(art)
    s = Settings(workers=1, progress=False)
    copies_stage(store, s, {a for a, *_ in STORY})
    events_stage(store, s, {a for a, *_ in STORY})
    yield store, path
    store.close()


@pytest.mark.skipif(not embed.available(), reason="embedding model or tokenizer not installed")
def test_events_stage_groups_threads_and_counts_independent_sources(story_db) -> None:
    store, _ = story_db
    events = store.get_corpus("events")
    groups = sorted(sorted(e["articles"]) for e in events.values())
    assert groups == [["l1", "l2"], ["v1", "v2", "v3"]]
    van = next(e for e in events.values() if "v1" in e["articles"])
    assert van["date"] == "2011-10-23" and van["precision"] == "day"
    assert van["independent_sources"] == 2  # v3 is a copy of v2
    assert van["title"]
    assert {s["article"] for s in van["sentences"]} <= set(van["articles"])
    for s in van["sentences"]:
        text = store.get_article(s["article"], layers=False).text
        assert text[s["start"] : s["end"]].strip() == s["text"]
    ae = store.get_corpus("article_events")
    assert ae["v3"] == van["id"] and ae["l1"] != van["id"]
    # stable ids: a second run gives the same ids
    first = set(events)
    events_stage(store, Settings(workers=1, progress=False), set())
    assert set(store.get_corpus("events")) == first
    # sentence embeddings are cached as blobs
    assert store.get_blob("v1", "sentvec-minilm-v1") is not None


def test_events_stage_without_embeddings(story_db, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = story_db
    monkeypatch.setattr(embed, "available", lambda: False)
    events_stage(store, Settings(workers=1, progress=False), set())
    groups = sorted(sorted(e["articles"]) for e in store.get_corpus("events").values())
    assert ["l1", "l2"] in groups


def test_events_command_text_and_json(story_db) -> None:
    _, path = story_db
    runner = CliRunner()
    res = runner.invoke(events_cmd, ["--db", str(path)])
    assert res.exit_code == 0, res.output
    assert "2011-05-11" in res.output and "independent source" in res.output
    res = runner.invoke(events_cmd, ["--db", str(path), "--format", "json"])
    data = json.loads(res.output)
    assert {"events", "threads"} <= set(data)
    assert all({"id", "date", "title", "articles", "sentences", "entities", "independent_sources", "copies"}
               <= set(e) for e in data["events"])
    res = runner.invoke(events_cmd, ["--db", str(path.parent / "missing.db")])
    assert res.exit_code != 0 and "E203" in res.output


def test_read_ecb_joins_tokens(tmp_path) -> None:
    xml = ('<Document doc_name="1_1ecb.xml"><token t_id="1" sentence="0">Tara</token>'
           '<token t_id="2" sentence="0">Reid</token><token t_id="3" sentence="0">,</token>'
           '<token t_id="4" sentence="0">33</token><token t_id="5" sentence="1">Hi</token>'
           '<token t_id="6" sentence="1">.</token></Document>')
    p = tmp_path / "1_1ecb.xml"
    p.write_text(xml)
    assert read_ecb(p) == "Tara Reid, 33\nHi."


@pytest.mark.slow
def test_eval_events_heldout_floor() -> None:
    from storyline.eval import data_dir
    from storyline.eval.events import command_events

    if not (data_dir() / "events" / "ecbplus").is_dir():
        pytest.skip(f"ECB+ gold data not found under {data_dir()} (see ../shared/data/README.md)")
    res = CliRunner().invoke(command_events, ["--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["system"]["f1"] >= 0.90 and out["system"]["f1"] > out["baseline_tfidf_agglomerative"]["f1"]


@pytest.mark.slow
def test_eval_copies_floor() -> None:
    from storyline.eval import data_dir
    from storyline.eval.events import command_copies

    if not (data_dir() / "polnear" / "train" / "text").is_dir():
        pytest.skip(f"PolNeAR gold data not found under {data_dir()} (see ../shared/data/README.md)")
    res = CliRunner().invoke(command_copies, ["--json"])
    assert res.exit_code == 0, res.output


def test_event_record_falls_back_to_sentence_dates_and_threads_link_actors() -> None:
    import numpy as np

    from storyline.stages.events import _event_record, link_threads

    v = np.ones(4, dtype=np.float32) / 2
    a = ArticleFeatures(id="a", terms=Counter(), entities={"putin", "kremlin"}, lead=["Putin spoke."],
                        sentences=[(0, 12, "Putin spoke."), (13, 30, "He said more.")],
                        sent_dates=["2023-12-22", None], vec=v, sent_vecs=np.stack([v, v * 0.1]))
    rec = _event_record([a], {}, {"a": None})
    assert rec["date"] == "2023-12-22" and rec["precision"] == "day"
    assert rec["articles"] == ["a"] and rec["independent_sources"] == 1
    assert rec["sentences"][0] == {"article": "a", "start": 0, "end": 12, "text": "Putin spoke."}
    b = ArticleFeatures(id="b", terms=Counter(), entities={"putin", "zelensky"}, lead=["Talks."], date="2024-03-01",
                        sentences=[(0, 6, "Talks.")], vec=v, sent_vecs=v[None, :])
    c = ArticleFeatures(id="c", terms=Counter(), entities={"ecb"}, lead=["Rates."], date="2024-03-01",
                        sentences=[(0, 6, "Rates.")], vec=np.array([1, -1, 0, 0], np.float32) / np.sqrt(2),
                        sent_vecs=v[None, :])
    events = [_event_record([f], {}, {}) for f in (a, b, c)]
    threads = link_threads(events, [[a], [b], [c]], 0.35)
    assert len(threads) == 1
    th = next(iter(threads.values()))
    assert th["events"] == [events[0]["id"], events[1]["id"]]
    assert th["first"] == "2023-12-22" and th["last"] == "2024-03-01"
    assert events[0]["thread"] == th["id"] and events[2]["thread"] is None


def test_an_undated_article_between_two_events_stands_alone(story_db, monkeypatch: pytest.MonkeyPatch) -> None:
    """An undated article about as like another (dated) event as its own joins neither:
    it would swell that event's source count and could lend it the wrong date."""
    from storyline.stages import events as ev

    store, _ = story_db
    text = "Rescuers searched the rubble after the earthquake. Buildings collapsed and people died."
    art = _article("u1", text, None, None)
    store.save_article(art)
    real = ev.undated_membership

    def ambiguous(feats, groups, events, params):  # the text cannot tell the two quakes apart
        out = real(feats, groups, events, params)
        if "u1" in out and any("u1" in g and len(g) > 1 for g in groups):
            out["u1"]["margin"] = 0.01
        return out

    monkeypatch.setattr(ev, "undated_membership", ambiguous)
    ev.events_stage(store, Settings(workers=1, progress=False), {"u1"})
    events = store.get_corpus("events")
    alone = [e for e in events.values() if "u1" in e["articles"]]
    assert len(alone) == 1 and alone[0]["articles"] == ["u1"] and not alone[0].get("date")
    assert store.get_corpus("event_membership")["u1"].get("detached") is True
    assert sorted(len(e["articles"]) for e in events.values()) == [1, 2, 3]
