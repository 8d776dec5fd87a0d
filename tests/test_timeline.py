"""The timeline engine, its exports and the ``storyline timeline`` command (no gold data needed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storyline.export.timelinejs import md_escape, start_date, timeline_markdown, timelinejs, unique_id
from storyline.model import Article, PubDate, TimelineEntry
from storyline.store import open_store
from storyline.timeline import (
    DatedSentence,
    TimelineParams,
    _centroid_opt,
    _knee,
    actor_timeline,
    select_timeline,
    store_sentences,
    story_timeline,
)


def _s(text: str, d: str, pub: str, art: str, source: str = "timex", pos: int = 0) -> DatedSentence:
    return DatedSentence(text=text, date=d, published=pub, article=art, source=source, start=0, end=len(text), position=pos)


def _corpus() -> list[DatedSentence]:
    sents = []
    # the invasion is mentioned in retrospect by many later articles
    for k in range(6):
        pub = f"2022-0{3 + k // 3}-1{k}"
        sents.append(_s("Russia invaded Ukraine on February 24 with tanks crossing the northern border.", "2022-02-24", pub, f"a{k}"))
        sents.append(_s(f"Officials met in Geneva to discuss grain exports number {k} today.", pub, pub, f"a{k}", "published", 1))
    # a summit reported twice on neighbouring days with the same words
    sents.append(_s("Leaders agreed a ceasefire at the summit in Istanbul after long talks.", "2022-03-29", "2022-03-29", "b1"))
    sents.append(_s("Leaders agreed a ceasefire at the summit in Istanbul after long talks overnight.", "2022-03-30", "2022-03-30", "b2"))
    sents.append(_s("The ceasefire summit in Istanbul was the first meeting of the two delegations.", "2022-03-29", "2022-04-02", "b3"))
    return sents


def test_retrospective_event_at_its_own_date() -> None:
    entries = select_timeline(_corpus(), max_dates=3, per_date=1)
    dates = [e.date for e in entries]
    assert "2022-02-24" in dates
    inv = next(e for e in entries if e.date == "2022-02-24")
    assert "invaded" in inv.summary
    assert dates == sorted(dates)
    assert all(e.precision == "day" for e in entries)


def test_no_repeat_on_neighbouring_dates() -> None:
    entries = select_timeline(_corpus(), max_dates=10, per_date=1)
    istanbul = [e for e in entries if "Leaders agreed" in e.summary]
    assert len(istanbul) == 1


def test_bounds_and_limits() -> None:
    entries = select_timeline(_corpus(), max_dates=2, per_date=1, date_from="2022-03-01", date_to="2022-03-31")
    assert 0 < len(entries) <= 2
    assert all("2022-03-01" <= e.date <= "2022-03-31" for e in entries)
    assert all(len(e.sentences) == 1 for e in entries)


def test_query_restricts_to_relevant_articles() -> None:
    entries = select_timeline(_corpus(), query="ceasefire Istanbul", max_dates=5, per_date=1)
    assert entries and all(set(e.articles) <= {"b1", "b2", "b3"} for e in entries)


def test_month_precision_kept() -> None:
    sents = [_s("The offensive began in September around Kharkiv and moved east quickly.", "2022-09", "2022-10-01", "m1")]
    entries = select_timeline(sents, max_dates=2, per_date=1)
    assert entries[0].date == "2022-09" and entries[0].precision == "month"
    assert select_timeline(sents, day_precision_only=True) == []


def test_lead_sentence_of_next_day_is_a_candidate() -> None:
    # a later article names May 1; the lead of an article published on May 2 tells what happened
    sents = [
        _s("The airport attack of May 1 was condemned by the security council.", "2022-05-01", "2022-05-09", "m1"),
        _s("Rebels stormed the airport in the capital after heavy shelling overnight.", "2022-05-02", "2022-05-02", "n1",
           "published", 0),
        _s("Deep in the article a reporter describes the weather in the capital that week.", "2022-05-02", "2022-05-02",
           "n1", "published", 30),
    ]
    params = TimelineParams(w_published=0.0)
    pm = select_timeline(sents, max_dates=1, per_date=2, params=params)
    assert [e.date for e in pm] == ["2022-05-01"]
    assert "Rebels stormed" in pm[0].summary and "weather" not in pm[0].summary
    window = TimelineParams(w_published=0.0, candidates="window", summarizer="centroid")
    old = select_timeline(sents, max_dates=1, per_date=2, params=window)
    assert [e.date for e in old] == ["2022-05-01"] and "Rebels" not in old[0].summary


def test_centroid_opt_and_knee() -> None:
    vec_of = {0: {"a": 1.0}, 1: {"b": 1.0}, 2: {"a": 0.8, "b": 0.6}, 3: {"a": 0.8, "b": 0.6}}
    centroid = {"a": 0.8, "b": 0.6}
    assert _centroid_opt([0, 1, 2, 3], centroid, vec_of, 1, lambda i, pk: True) == [2]
    # the second pick must bring the summary closer to the centroid, unless rejected as a repeat
    assert _centroid_opt([0, 1, 2, 3], centroid, vec_of, 2, lambda i, pk: i not in (2, 3) or not pk)[0] == 2
    assert _centroid_opt([0, 1, 2], centroid, vec_of, 3, lambda i, pk: i != 2) == [0, 1]
    assert _knee([1.0, 0.9, 0.2, 0.15, 0.1]) == 2
    assert _knee([0.5]) == 0


def test_window_candidates_still_available() -> None:
    params = TimelineParams(candidates="window", summarizer="centroid")
    entries = select_timeline(_corpus(), max_dates=3, per_date=1, params=params)
    assert "2022-02-24" in [e.date for e in entries]


@pytest.fixture
def store(tmp_path):
    st = open_store(tmp_path / "t.db")
    texts = {
        "x1": ("2023-12-23", "Putin said he is ready for a ceasefire in Ukraine along current front lines. The war began on February 24, 2022."),
        "x2": ("2025-03-12", "Putin said the United States must explain the proposed ceasefire plan before Moscow agrees. Markets rose on Wednesday."),
        "x3": ("2025-03-12", "Putin said the United States must explain the proposed ceasefire plan before Moscow agrees. Markets rose on Wednesday."),
    }
    for aid, (pub, text) in texts.items():
        a = Article(id=aid, source=aid, text=text, title=f"Title {aid}", url=f"https://example.org/{aid}",
                    published=PubDate(date=pub, precision="day", method="given"))
        cut = text.index(". ") + 1
        sent2 = {"start": cut + 1, "end": len(text)}
        if aid == "x1":
            sent2["date"] = {"value": "2022-02-24", "precision": "day", "source": "timex", "confidence": 0.9}
        a.layers["sentences"] = [{"start": 0, "end": cut}, sent2]
        q_start = text.index("he is ready") if aid == "x1" else text.index("the United")
        q_end = cut - 1
        a.layers["quotes"] = [{"start": q_start, "end": q_end, "text": text[q_start:q_end], "kind": "indirect",
                               "speaker": {"entity": "E1", "name": "Vladimir Putin", "start": 0, "end": 5, "text": "Putin"}}]
        st.save_article(a)
    text = "Biden said that Putin is not serious about a ceasefire in Ukraine at all."
    a = Article(id="x4", source="x4", text=text, published=PubDate(date="2024-01-05", precision="day", method="given"))
    a.layers["sentences"] = [{"start": 0, "end": len(text)}]
    a.layers["quotes"] = [{"start": 11, "end": len(text) - 1, "text": text[11:-1], "kind": "indirect",
                           "speaker": {"entity": "E2", "name": "Joe Biden", "start": 0, "end": 5, "text": "Biden"}}]
    st.save_article(a)
    st.replace_corpus("copies", {"x2": {"original": "x2", "duplicates": ["x3"]}})
    st.replace_corpus("entities", {"E1": {"id": "E1", "name": "Vladimir Putin", "type": "PERSON", "aliases": ["Putin"], "mentions": []}})
    yield st
    st.close()


def test_story_timeline_from_store(store) -> None:
    entries = story_timeline(store, max_dates=5, per_date=1)
    dates = [e.date for e in entries]
    assert "2022-02-24" in dates  # dated by the time stage's sentence date, not the publication date
    for e in entries:
        for s in e.sentences:
            a = store.get_article(s["article"], layers=False)
            assert a.text[s["start"] : s["end"]] == s["text"]
    march = [e for e in entries if e.date == "2025-03-12"]
    assert march and march[0].independent_sources == 1  # x2 and x3 are copies


def test_actor_timeline(store) -> None:
    rows = actor_timeline(store, "Putin", topic="ceasefire", use_embeddings=False)
    assert [(r["date"], r["kind"]) for r in rows] == [
        ("2023-12-23", "statement"), ("2024-01-05", "reported"), ("2025-03-12", "statement")]
    assert rows[1]["speaker"] == "Joe Biden"
    assert rows[2]["sources"] == ["x2", "x3"] and rows[2]["independent_sources"] == 1
    biden = actor_timeline(store, "Joe Biden", use_embeddings=False)
    assert [r["kind"] for r in biden] == ["statement"]
    assert actor_timeline(store, "Putin", topic="football", use_embeddings=False) == []


def test_timelinejs_and_markdown() -> None:
    e = TimelineEntry(date="2023-09", precision="month", summary="A <b>bold</b> & *move*",
                      sentences=[{"article": "a1", "start": 0, "end": 5, "text": "A <b>bold</b> & *move*"}],
                      articles=["a1"], independent_sources=1)
    info = {"a1": {"title": "T [1]", "url": "https://example.org/a?x=1&y=2"}}
    tj = timelinejs([e], source_info=lambda a: info[a])
    ev = tj["events"][0]
    assert ev["start_date"] == {"year": "2023", "month": "9"}
    assert "<b>" not in ev["text"]["text"] and "&lt;b&gt;" in ev["text"]["text"]
    assert 'href="https://example.org/a?x=1&amp;y=2"' in ev["text"]["text"]
    assert ev["unique_id"] == unique_id(e) == timelinejs([e])["events"][0]["unique_id"]
    assert start_date("2022-12-02") == {"year": "2022", "month": "12", "day": "2"}
    assert start_date("2022") == {"year": "2022"}
    md = timeline_markdown([e], source_info=lambda a: info[a])
    assert "## 2023-09" in md and "\\*move\\*" in md and "\\<b\\>" in md
    assert "(<https://example.org/a?x=1&y=2>)" in md
    assert md_escape("[x](javascript:1)") == "\\[x\\](javascript:1)"


def test_timeline_command(store, tmp_path) -> None:
    from storyline.commands.timeline import timeline_cmd

    db = store.path
    r = CliRunner().invoke(timeline_cmd, ["--db", db, "--format", "json", "--max-dates", "3"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data and {"date", "summary", "sentences", "articles", "independent_sources"} <= set(data[0])
    out = tmp_path / "tl.json"
    r = CliRunner().invoke(timeline_cmd, ["--db", db, "--format", "timelinejs", "--out", str(out)])
    assert r.exit_code == 0 and json.loads(out.read_text())["events"]
    r = CliRunner().invoke(timeline_cmd, ["--db", db, "--actor", "Putin", "--topic", "ceasefire"])
    assert r.exit_code == 0 and "2023-12-23" in r.output
    r = CliRunner().invoke(timeline_cmd, ["--db", str(tmp_path / "missing.db")])
    assert r.exit_code != 0 and "E203" in r.output
    r = CliRunner().invoke(timeline_cmd, ["--db", db, "--from", "not-a-date"])
    assert r.exit_code != 0 and "E006" in r.output


def test_a_season_claims_only_its_year(tmp_path) -> None:
    """"in the fall of 2022" is stored as 2022-09 with precision season; the timeline must
    not print it as the month September 2022."""
    st = open_store(tmp_path / "s.db")
    text = "Putin raised a ceasefire in the fall of 2022, officials said."
    a = Article(id="s1", source="s1", text=text, published=PubDate(date="2023-12-23", precision="day", method="given"))
    a.layers["sentences"] = [
        {"start": 0, "end": len(text), "date": {"value": "2022-09", "precision": "season", "source": "timex"}}
    ]
    a.layers["quotes"] = [{"start": 0, "end": 45, "text": text[:45], "kind": "indirect",
                           "said_on": {"value": "2022-09", "precision": "season"},
                           "speaker": {"entity": "E2", "name": "officials", "start": 46, "end": 55, "text": "officials"}}]
    st.save_article(a)
    try:
        assert [s.date for s in store_sentences(st)] == ["2022"]
        entries = story_timeline(st, max_dates=3, per_date=1)
        assert [(e.date, e.precision) for e in entries] == [("2022", "year")]
        rows = actor_timeline(st, "officials", use_embeddings=False)
        assert {r["date"] for r in rows} == {"2022"}
    finally:
        st.close()
