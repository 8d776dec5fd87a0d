"""The rule-based TIMEX3 tagger: recognition, normalisation, tense, anchoring."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.dates import timex_to_iso
from storyline.temporal.tagger import split_sentences, tag

ANCHOR = date(2022, 12, 3)  # a Saturday


def values(text: str, anchor: date | None = ANCHOR) -> dict[str, str]:
    return {t.text: t.value for t in tag(text, anchor)}


@pytest.mark.parametrize(
    "text, expr, value",
    [
        ("The Kremlin said on Friday that it was open to talks.", "Friday", "2022-12-02"),
        ("The two leaders will meet on Friday in Paris.", "Friday", "2022-12-09"),
        ("Officials gave similar signals in the fall of 2022.", "the fall of 2022", "2022-FA"),
        ("After more than 9 months of fighting, aid is rising.", "more than 9 months", "P9M"),
        ("Prices rose last week.", "last week", "2022-W47"),
        ("The deal collapsed two years ago.", "two years ago", "2020"),
        ("Talks have been under way since last September.", "last September", "2022-09"),
        ("The minister spoke on Dec. 2 in London.", "Dec. 2", "2022-12-02"),
        ("It happened on March 3, 2021, in Kyiv.", "March 3, 2021", "2021-03-03"),
        ("The report was published on 2023-12-23.", "2023-12-23", "2023-12-23"),
        ("Growth slowed in the third quarter.", "the third quarter", "2022-Q3"),
        ("Russia attacked Ukraine on February 24.", "February 24", "2022-02-24"),
        ("He said yesterday that nothing had changed.", "yesterday", "2022-12-02"),
        ("The plant is now closed.", "now", "PRESENT_REF"),
        ("Exports doubled in the 1990s.", "the 1990s", "199"),
        ("The council meets every week.", "every week", "P1W"),
        ("Voting will close at 3 p.m. on Sunday.", "3 p.m. on Sunday", "2022-12-04T15:00"),
    ],
)
def test_values_against_an_anchor(text: str, expr: str, value: str) -> None:
    assert values(text).get(expr) == value


def test_types() -> None:
    items = {t.text: t.type for t in tag("It lasted two weeks. It recurs daily. It ended at 9 a.m. yesterday.", ANCHOR)}
    assert items["two weeks"] == "DURATION"
    assert items["daily"] == "SET"
    assert items["9 a.m. yesterday"] == "TIME"


def test_without_anchor_relative_values_stay_open() -> None:
    v = values("The New York Times wrote about this on Saturday, December 23.", None)
    assert v["Saturday, December 23"] == "XXXX-12-23"
    assert values("They met on Friday.", None)["Friday"] == "XXXX-WXX-5"


def test_offset_anchored_to_the_clause_date() -> None:
    text = "The Kremlin said on Friday that Putin was open to talks, a day after Biden said he was ready."
    ts = tag(text, ANCHOR)
    offset = next(t for t in ts if t.text == "a day after")
    friday = next(i for i, t in enumerate(ts) if t.text == "Friday")
    assert offset.anchor == friday
    assert offset.value == "2022-12-01"  # what Biden said happened the day before Friday


def test_later_offset_follows_the_previous_date() -> None:
    ts = tag("The strike began on March 3, 2021. Two days later, the talks resumed.", None)
    assert next(t for t in ts if t.text.startswith("Two days later")).value == "2021-03-05"


def test_no_false_positives_on_common_words() -> None:
    text = "Prices may fall as the March of progress goes on; he will march, and the fall of Rome is a story."
    assert all(t.text.lower() not in {"may", "fall", "march", "the fall"} for t in tag(text, ANCHOR))
    assert not any(t.text == "2000" for t in tag("It cost $2000 and 2000 percent more.", ANCHOR))


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Cleverly said on Dec. 11 that talks were a cover. Mr. Peskov disagreed.\n\nNew paragraph here."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Cleverly said on Dec. 11 that talks were a cover.",
        "Mr. Peskov disagreed.",
        "New paragraph here.",
    ]


def test_timex_to_iso() -> None:
    assert timex_to_iso("2022-12-02T15:00") == ("2022-12-02", "day")
    assert timex_to_iso("2022-FA") == ("2022-09", "season")
    assert timex_to_iso("2023-W42") == ("2023-10", "month")
    assert timex_to_iso("XXXX-12-23") is None
    assert timex_to_iso("P9M") is None


@pytest.mark.slow
def test_tempeval3_heldout_floors() -> None:
    from click.testing import CliRunner

    from storyline.eval import data_dir
    from storyline.eval.timex import command

    if not (data_dir() / "temporal" / "tempeval3" / "train").exists():
        pytest.skip("TempEval-3 gold data absent (../shared/data/temporal/tempeval3/train)")
    res = CliRunner().invoke(command, ["--split", "heldout", "--min-value-f1", "0.79", "--min-relaxed-f1", "0.92", "--min-strict-f1", "0.83"])
    assert res.exit_code == 0, res.output


def test_speed_annotate_dates_without_spacy() -> None:
    """annotate_dates must stay cheap: it runs over tens of thousands of sentences."""
    import time

    from storyline.stages.time import annotate_dates

    text = " ".join(["The minister said on Friday that talks would resume next week, two years after they collapsed."] * 400)
    t0 = time.perf_counter()
    timexes, sents = annotate_dates(text, "2015-03-02")
    elapsed = time.perf_counter() - t0
    assert len(sents) == 400 and len(timexes) == 1200
    assert elapsed < 5.0  # ~40k characters; measured ~0.3 s
