"""Timeline-summarisation metrics (tilse-compatible) and the ``eval tls`` command."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.eval.rouge import align_m1, concat_rouge, date_f1, rouge_counts, rouge_tokens
from storyline.eval.tls import fallback_sentence_date, read_tilse_timeline, topic_from_annotated


def test_rouge_tokens_like_rouge155() -> None:
    # lowercase, hyphens split, SMART stop words out, Porter stems on tokens longer than 3
    assert rouge_tokens("The protesters were running to Cairo 's Tahrir -LRB- Liberation -RRB- Square") == [
        "protest", "run", "cairo", "tahrir", "lrb", "liber", "rrb", "squar",
    ]
    assert rouge_tokens("anti-government, Jan. 25") == ["anti", "govern", "25"]


def test_rouge_counts() -> None:
    # bigrams are formed over the joined summary, as ROUGE-1.5.5 does
    assert rouge_counts(["Police fire tear gas ."], ["Police fire tear gas in Cairo ."], 1) == (4, 4, 5)
    assert rouge_counts(["Police fire .", "Tear gas ."], ["Police fire tear gas ."], 2) == (3, 3, 3)


def test_align_m1_perfect_and_shifted() -> None:
    ref = {date(2011, 1, 25): ["Protesters fill Tahrir Square ."], date(2011, 2, 11): ["Mubarak resigns as president ."]}
    res = align_m1(ref, ref)
    assert res["rouge_1"]["f_score"] == pytest.approx(1.0) and res["rouge_2"]["f_score"] == pytest.approx(1.0)
    shifted = {date(2011, 1, 26): ref[date(2011, 1, 25)], date(2011, 2, 11): ref[date(2011, 2, 11)]}
    r = align_m1(shifted, ref)["rouge_1"]
    # one date off by a day: its hits count half
    assert r["precision"] == pytest.approx((4 / 2 + 3) / 7)  # 4 + 3 content tokens
    assert concat_rouge(shifted, ref)["rouge_1"]["f_score"] == pytest.approx(1.0)
    assert date_f1(shifted, ref)["f_score"] == pytest.approx(0.5)
    assert align_m1({}, ref)["rouge_1"]["f_score"] == 0.0


def test_read_tilse_timeline(tmp_path) -> None:
    p = tmp_path / "tl.txt"
    p.write_text("2011-01-25\nProtests begin .\nThree dead .\n--------------------------------\n2011-01-26\nMore protests .\n"
                 "--------------------------------\n")
    tl = read_tilse_timeline(p)
    assert tl == {date(2011, 1, 25): ["Protests begin .", "Three dead ."], date(2011, 1, 26): ["More protests ."]}


def test_fallback_dates() -> None:
    pub = date(2011, 2, 2)  # a Wednesday
    assert fallback_sentence_date("Mubarak spoke on January 28 , 2011 .", pub) == date(2011, 1, 28)
    assert fallback_sentence_date("Mubarak spoke on Jan. 28 .", pub) == date(2011, 1, 28)
    assert fallback_sentence_date("Crowds gathered on Monday .", pub) == date(2011, 1, 31)
    assert fallback_sentence_date("Crowds gathered yesterday .", pub) == date(2011, 2, 1)
    assert fallback_sentence_date("On 25 December the talks failed .", pub) == date(2010, 12, 25)
    assert fallback_sentence_date("Nothing dated here .", pub) is None


def test_sentence_dates_from_day_mentions_only() -> None:
    text = "Crowds gathered last night .\nThe vote is due in March .\nIt lasted two days .\nNothing dated ."
    timexes = [
        {"start": 16, "end": 26, "text": "last night", "type": "TIME", "value": "2011-02-01TNI"},
        {"start": 48, "end": 53, "text": "March", "type": "DATE", "value": "2011-03"},
        {"start": 66, "end": 74, "text": "two days", "type": "DURATION", "value": "P2D"},
    ]
    topic = topic_from_annotated("t", [("2011-02-02", text, timexes)])
    got = [(s.date, s.source) for s in topic.sentences]
    # a time of day dates its day; a month is not spread to a day: the sentence keeps its article's date
    assert got == [("2011-02-01", "timex"), ("2011-02-02", "published"), ("2011-02-02", "published"),
                   ("2011-02-02", "published")]
    assert topic.tagger == "time-stage"
    fallback = topic_from_annotated("t", [("2011-02-02", "Crowds gathered yesterday .", None)])
    assert fallback.tagger == "fallback-regex" and fallback.sentences[0].date == "2011-02-01"


@pytest.mark.slow
def test_eval_tls_runs_on_one_topic() -> None:
    from storyline.eval import data_dir

    if not (data_dir() / "tls" / "t17" / "h1n1").is_dir():
        pytest.skip(f"Timeline17 not found under {data_dir()} (see ../shared/data/README.md)")
    from storyline.eval.tls import evaluate

    res = evaluate(["h1n1"])
    assert res["all"]["timelines"] == 3
    assert res["all"]["rouge_1"] > 0.08 and res["all"]["date_f1"] > 0.5


def test_run_timeline_reads_only_articles_published_within_the_span() -> None:
    # news-tls: the input is the articles published between the gold timeline's first and
    # last dates; a later retrospective article must not pick the dates
    from storyline.eval.tls import run_timeline

    later = topic_from_annotated(
        "t",
        [
            ("2011-03-01", "Protesters marched in the capital on January 28 , 2011 , and clashed with police .", None),
            ("2011-03-02", "The crackdown of January 28 , 2011 , left hundreds of protesters injured .", None),
        ],
    )
    gold = {date(2011, 1, 25): ["Protests begin ."], date(2011, 1, 28): ["Police clash with protesters ."]}
    assert run_timeline(later, gold)["predicted_dates"] == 0
    within = topic_from_annotated(
        "t", [("2011-01-28", "Protesters marched in the capital on Friday and clashed with police .", None)]
    )
    assert run_timeline(within, gold)["predicted_dates"] == 1


def test_tls_averages_like_news_tls() -> None:
    # F of the averaged precision and recall (news-tls get_average_results), not the mean F
    from storyline.eval.rouge import f_score

    rows = [{"prf": {"date_f1": [1.0, 0.2]}, "date_f1": f_score(1.0, 0.2)}, {"prf": {"date_f1": [0.2, 1.0]}, "date_f1": f_score(0.2, 1.0)}]
    from storyline.eval.tls import aggregate

    a = aggregate(rows, keys=("date_f1",))
    assert a["date_f1"] == pytest.approx(0.6) and a["mean_f"]["date_f1"] == pytest.approx(f_score(1.0, 0.2))


def test_datewise_reference_features_and_fit() -> None:
    # news-tls SupervisedDateRanker statistics: sentences and articles naming a day, split
    # by whether they were written after it ("before": the date precedes publication)
    from storyline.eval.tls import DATEWISE_FEATURES, datewise_features, datewise_scorer, fit_datewise
    from storyline.timeline import DatedSentence

    sents = [
        DatedSentence("a", "2011-01-25", "2011-01-26", article="x", source="timex"),
        DatedSentence("b", "2011-01-25", "2011-01-26", article="x", source="timex"),
        DatedSentence("c", "2011-01-25", "2011-01-25", article="y", source="timex"),
        DatedSentence("d", "2011-01-27", "2011-01-26", article="y", source="timex"),
        DatedSentence("e", "2011-01-26", "2011-01-26", article="y", source="published"),
    ]
    f = {d: dict(zip(DATEWISE_FEATURES, v, strict=True)) for d, v in datewise_features(sents, list(range(5))).items()}
    assert set(f) == {"2011-01-25", "2011-01-27"}
    assert (f["2011-01-25"]["sents_total"], f["2011-01-25"]["sents_before"], f["2011-01-25"]["docs_total"]) == (3, 2, 2)
    assert f["2011-01-25"]["docs_before"] == 1 and f["2011-01-27"]["sents_after"] == 1
    assert f["2011-01-25"]["docs_published"] == 0  # declared, never counted, as in news-tls
    w = fit_datewise([(datewise_features(sents, list(range(5))), {"2011-01-25"})])
    scores = datewise_scorer(w)(sents, list(range(5)))
    assert scores["2011-01-25"] > scores["2011-01-27"]
