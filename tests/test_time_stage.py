"""The time stage, its store-free helpers and the 'dates' corpus stage."""

from __future__ import annotations

from storyline.model import RawDoc
from storyline.pipeline import new_article
from storyline.stages import ArticleDoc
from storyline.stages.time import annotate_dates, date_for_span, dates_stage, time_stage
from storyline.store import open_store

TEXT = (
    "The Kremlin said on Friday that Putin was open to talks, a day after Biden said he was ready.\n\n"
    "Kremlin spokesman Dmitry Peskov told reporters on Friday:\n\n"
    "• “The president was and remains open to negotiations,” Peskov said.\n\n"
    "Fighting continued in the east."
)


def run(raw: RawDoc, settings, parse: bool = False) -> ArticleDoc:
    """The time stage on one document; with ``parse``, over its spaCy parse too."""
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    if parse:
        from storyline.stages.nlp import load_spacy

        doc.spacy = load_spacy(settings.spacy_model)(raw.text)
    time_stage(doc, settings)
    return doc


def test_given_date_always_wins(settings) -> None:
    html = '<html><head><meta property="article:published_time" content="2020-01-01"></head></html>'
    doc = run(RawDoc(source="a", text=TEXT, html=html, published="2022-12-03"), settings)
    assert doc.article.published.date == "2022-12-03"
    assert doc.article.published.method == "given"
    values = {t["text"]: t["value"] for t in doc.article.layers["timexes"]}
    assert values["Friday"] == "2022-12-02"
    assert values["a day after"] == "2022-12-01"


def test_metadata_from_html_and_url(settings) -> None:
    html = '<html><head><meta property="article:published_time" content="2022-12-03T09:00:00+00:00"></head></html>'
    doc = run(RawDoc(source="a", text=TEXT, html=html), settings)
    assert (doc.article.published.date, doc.article.published.method) == ("2022-12-03", "metadata")
    doc = run(RawDoc(source="b", text=TEXT, url="https://news.example.com/2022/12/03/talks"), settings)
    assert doc.article.published.date == "2022-12-03"
    assert doc.article.published.evidence[-1]["source"] == "url"


def test_inferred_when_nothing_else(settings) -> None:
    doc = run(RawDoc(source="a", text=TEXT), settings)
    pub = doc.article.published
    assert pub.date is None and pub.precision == "unknown"
    assert {t["value"] for t in doc.article.layers["timexes"] if t["text"] == "Friday"} == {"XXXX-WXX-5"}


def test_sentence_dates_and_reporting_clause(settings) -> None:
    doc = run(RawDoc(source="a", text=TEXT, published="2022-12-03"), settings)
    art = doc.article
    sents = art.layers["sentences"]
    by_text = {art.text[s["start"] : s["end"]][:12]: s["date"] for s in sents}
    assert by_text["The Kremlin "]["value"] == "2022-12-02"
    assert by_text["The Kremlin "]["source"] == "timex"
    bullet = next(d for k, d in by_text.items() if k.startswith("•"))
    assert bullet["source"] == "reporting" and bullet["value"] == "2022-12-02"
    last = by_text["Fighting con"]
    assert last["source"] == "published" and last["value"] == "2022-12-03"


def test_date_for_span_is_when_it_was_said(settings) -> None:
    doc = run(RawDoc(source="a", text=TEXT, published="2022-12-03"), settings)
    art = doc.article
    start = art.text.index("“The president")
    end = art.text.index("negotiations,”") + len("negotiations,”")
    said = date_for_span(art, start, end)
    assert said is not None and said["value"] == "2022-12-02"


def test_annotate_dates_without_spacy() -> None:
    timexes, sents = annotate_dates("Prices rose on Monday. They fell again last month.", "2011-02-10")
    assert [t["value"] for t in timexes] == ["2011-02-07", "2011-01"]
    assert [s["date"]["value"] for s in sents] == ["2011-02-07", "2011-01"]
    timexes, sents = annotate_dates("They fell on Dec. 11.", "2011")
    assert timexes[0]["value"] == "2011-12-11"
    timexes, sents = annotate_dates("Nothing dated here.", None)
    assert timexes == [] and sents[0]["date"] is None


def _save(store, art_id: str, published: dict | None) -> None:
    raw = RawDoc(source=art_id, text=f"Text of {art_id}.", id=art_id)
    art = new_article(raw)
    if published:
        from storyline.model import PubDate

        art.published = PubDate.from_dict(published)
    store.save_article(art)


def test_dates_corpus_stage_propagates(settings) -> None:
    store = open_store(":memory:")
    _save(store, "orig", {"date": "2023-12-23", "precision": "day", "method": "metadata", "confidence": 0.95})
    _save(store, "copy", None)
    _save(store, "given", {"date": "2023-12-24", "precision": "day", "method": "given", "confidence": 1.0})
    _save(store, "same_event", {"date": None, "precision": "unknown", "method": "inferred", "earliest": "2022-09-01"})
    _save(store, "alone", None)
    store.replace_corpus("copies", {"orig": {"original": "orig", "duplicates": ["copy", "given"]}})
    store.replace_corpus("article_events", {"orig": "e1", "same_event": "e1"})
    dates_stage(store, settings, set())
    copy = store.get_article("copy", layers=False).published
    # a copy takes the date of its best-dated member (a given date beats metadata)
    assert (copy.date, copy.method) == ("2023-12-24", "propagated")
    assert copy.evidence[-1] == {"kind": "propagated", "relation": "copy", "article": "given", "value": "2023-12-24"}
    assert store.get_article("given", layers=False).published.method == "given"
    ev = store.get_article("same_event", layers=False).published
    # an article of the same event (or a later chapter of the story): a window of days
    # around the event's best-dated report as bounds, never a date
    assert ev.method == "propagated" and ev.date is None and ev.precision == "unknown"
    assert (ev.earliest, ev.latest) == ("2023-12-02", "2024-01-13")
    assert store.get_article("alone", layers=False).published.method == "none"


def test_dates_corpus_stage_with_empty_corpus(settings) -> None:
    store = open_store(":memory:")
    dates_stage(store, settings, set())
    _save(store, "a", None)
    dates_stage(store, settings, set())
    assert store.get_article("a", layers=False).published.date is None


def test_seed_weekday_article(seeds_dir, settings) -> None:
    import json

    recs = [json.loads(x) for x in (seeds_dir / "seeds.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for rec in recs:
        doc = run(RawDoc(source=rec["id"], text=rec["text"]), settings)
        pub = doc.article.published
        assert pub.confidence < 0.9
        if pub.date:
            assert rec["published"] and rec["published"].startswith(pub.date), rec["id"]
    claimed = [run(RawDoc(source=r["id"], text=r["text"]), settings).article.published.date for r in recs]
    assert "2023-12-23" in claimed
    assert sum(1 for c in claimed if c) <= 2  # the others cannot be fixed from their text


def test_reader_metadata_date_is_kept(settings) -> None:
    # a feed or WARC reader gives its date as metadata: it is not re-derived from the text
    raw = RawDoc(source="feed#1", text="It happened on Saturday, December 23, after the fall of 2022.", published="2023-12-24",
                 published_method="metadata")
    doc = run(raw, settings)
    assert (doc.article.published.date, doc.article.published.method) == ("2023-12-24", "metadata")


def test_an_ambiguous_event_member_does_not_take_the_event_date(settings) -> None:
    store = open_store(":memory:")
    _save(store, "dated", {"date": "2023-12-23", "precision": "day", "method": "given", "confidence": 1.0})
    _save(store, "unsure", None)
    _save(store, "sure", None)
    store.replace_corpus("article_events", {"dated": "e1", "unsure": "e1", "sure": "e1"})
    store.replace_corpus("event_membership", {"unsure": {"event": "e1", "margin": 0.01},
                                              "sure": {"event": "e1", "margin": 0.3}})
    dates_stage(store, settings, set())
    unsure = store.get_article("unsure", layers=False).published
    assert unsure.date is None and unsure.earliest is None
    sure = store.get_article("sure", layers=False).published
    assert sure.date is None and (sure.earliest, sure.latest) == ("2023-12-02", "2024-01-13")


def test_a_date_that_names_a_thing_does_not_date_the_sentence() -> None:
    from storyline.stages.time import annotate_dates

    _, sents = annotate_dates("Kyiv wants a return to the 1991 borders, the minister said.", "2023-12-23")
    assert sents[0]["date"]["source"] == "published"
    _, sents = annotate_dates("The deal bans strikes until 2028, the union said.", "2023-12-23")
    assert sents[0]["date"]["source"] == "published"
    _, sents = annotate_dates("The talks collapsed in 1991 after a week.", "2023-12-23")
    assert (sents[0]["date"]["value"], sents[0]["date"]["source"]) == ("1991", "timex")


def test_a_date_inside_a_noun_clause_dates_neither_the_sentence_nor_the_quote(settings) -> None:
    """"the regions claimed in 2022" and "who invaded in 2022" say when something about a
    noun happened, not when the sentence's event did; the parse marks them, and the marks
    survive the dates corpus stage re-anchoring the article without a parse."""
    from storyline.stages.time import date_layers

    text = (
        "Putin demanded full control of the four regions claimed in 2022.\n\n"
        "Putin, who invaded Ukraine in 2022, said talks were possible.\n\n"
        "Russia invaded Ukraine in 2022."
    )
    doc = run(RawDoc(source="a", text=text, published="2025-03-12"), settings, parse=True)
    art = doc.article
    dates = [s["date"] for s in art.layers["sentences"]]
    assert [d["source"] for d in dates] == ["published", "published", "timex"], dates
    assert dates[2]["value"] == "2022"
    start = text.index("talks")
    said = date_for_span(art, start, text.index(".", start))
    assert said is not None and said["value"] == "2025-03-12"
    # re-anchored without a parse (dates corpus stage): the marks are kept
    date_layers(art)
    assert [s["date"]["source"] for s in art.layers["sentences"]] == ["published", "published", "timex"]


def test_a_season_modifying_a_noun_after_a_determiner_is_attributive(settings) -> None:
    """"the winter heating of the country": the determiner and "winter" both hang on
    "heating"; the season names a kind of heating, not when anything happened."""
    text = "The judge said the strike must not put the winter heating of the country at risk."
    doc = run(RawDoc(source="a", text=text, published="2023-10-19"), settings, parse=True)
    assert [s["date"]["source"] for s in doc.article.layers["sentences"]] == ["published"]


def test_a_date_inside_the_quoted_words_is_not_when_the_next_line_was_said(settings) -> None:
    text = (
        "“We have trained sixty drivers since March and we will train more,” Ekholm said. "
        "“But we cannot pay people to sit idle,” he added."
    )
    doc = run(RawDoc(source="a", text=text, published="2024-05-17"), settings)
    dates = [s["date"] for s in doc.article.layers["sentences"]]
    assert dates[1]["source"] == "published" and dates[1]["value"] == "2024-05-17", dates


def test_a_date_of_the_main_clause_dates_the_sentence_before_one_of_an_adverbial_clause(settings) -> None:
    """"Days before it was to report earnings on Wednesday, the company said on Friday
    ...": the adverbial clause sets the scene; the statement was made on Friday."""
    from storyline.stages.time import date_layers

    text = (
        "Just days before it was to report its yearly results on Wednesday, the ferry company said on Friday "
        "that it had cancelled 40 crossings.\n\n"
        "After the talks collapsed on Monday, the envoy left the capital.\n\n"
        "The minister said on Monday that the troops withdrew on Friday."
    )
    doc = run(RawDoc(source="a", text=text, published="2016-02-08"), settings, parse=True)
    art = doc.article
    want = ["2016-02-05", "2016-02-08", "2016-02-08"]  # the only date stays; of one clause level, the first
    assert [s["date"]["value"] for s in art.layers["sentences"]] == want
    date_layers(art)  # re-anchored without a parse (dates corpus stage): the marks are kept
    assert [s["date"]["value"] for s in art.layers["sentences"]] == want
