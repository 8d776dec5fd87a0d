"""Scoring for ``storyline eval quotes`` on synthetic brat data; the real run is slow."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storyline.eval.quotes import GoldDoc, Pred, parse_ann, score, storyline_preds

TEXT = "“We are ready,” Smith said. Jones said that the plan would fail."
#        0              15    21   26


def _ann() -> str:
    q_end = TEXT.index(" Smith")
    s0 = TEXT.index("Smith")
    c0 = TEXT.index("said")
    j0 = TEXT.index("Jones")
    jc = TEXT.index("said", j0)
    t0 = TEXT.index("that")
    return "\n".join(
        [
            f"T1\tSource {s0} {s0 + 5}\tSmith",
            f"T2\tCue {c0} {c0 + 4}\tsaid",
            f"T3\tContent 0 {q_end}\t{TEXT[:q_end]}",
            f"T4\tAttribution {c0} {c0 + 4}\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            f"T5\tSource {j0} {j0 + 5}\tJones",
            f"T6\tCue {jc} {jc + 4}\tsaid",
            f"T7\tContent {t0} {len(TEXT) - 1}\t{TEXT[t0:-1]}",
            f"T8\tAttribution {jc} {jc + 4}\tsaid",
            "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        ]
    )


def test_parse_ann_marks_direct_and_sources() -> None:
    atts = parse_ann(_ann(), TEXT)
    assert [a.direct for a in atts] == [True, False]
    assert [a.source_text for a in atts] == ["Smith", "Jones"]


def test_score_coverage_threshold_and_speaker() -> None:
    doc = GoldDoc("d", TEXT, parse_ann(_ann(), TEXT))
    s0 = TEXT.index("Smith")
    t0 = TEXT.index("that")
    # a prediction covering a third of the indirect content, with the wrong speaker
    preds = {
        "d": [
            Pred([(0, 15)], [(s0, s0 + 5)], "direct", "Smith"),
            Pred([(t0, t0 + 14)], [(0, 2)], "indirect", "Someone"),
        ]
    }
    direct = score([doc], preds, "direct", 0.3)
    assert (direct["precision"], direct["recall"], direct["speaker_accuracy"]) == (1.0, 1.0, 1.0)
    sourced = score([doc], preds, "sourced", 0.3)
    assert sourced["recall"] == 1.0 and sourced["speaker_accuracy"] == 0.5
    strict = score([doc], preds, "sourced", 0.8)
    assert strict["matched"] == 1  # the partial indirect content no longer counts


def test_same_entity_by_surname_counts_as_right_speaker() -> None:
    doc = GoldDoc("d", TEXT, parse_ann(_ann(), TEXT))
    preds = {"d": [Pred([(0, 15)], [(40, 41)], "direct", "John Smith")]}
    assert score([doc], preds, "direct", 0.3)["speaker_accuracy"] == 1.0


def test_continued_quotes_join_their_attribution() -> None:
    layer = {
        "quotes": [
            {"start": 0, "end": 5, "kind": "direct", "speaker": {"start": 10, "end": 12, "name": "A"}},
            {"start": 20, "end": 30, "kind": "direct", "speaker": {"start": 10, "end": 12}, "continues": True},
        ]
    }
    (p,) = storyline_preds(layer)
    assert p.content == [(0, 5), (20, 30)]


@pytest.mark.slow
def test_eval_quotes_on_polnear_dev_meets_floors() -> None:
    from storyline.eval import data_dir
    from storyline.eval.quotes import command

    if not (data_dir() / "polnear" / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR dev not found under {data_dir()} (see ../shared/data/README.md)")
    res = CliRunner().invoke(
        command,
        [
            "--json",
            "--no-textacy",
            "--min-direct-f1",
            "0.90",
            "--min-direct-speaker",
            "0.895",
            "--min-sourced-f1",
            "0.735",
        ],
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.output[res.output.index("{") :])
    assert report["storyline"]["sourced@0.3"]["speaker_accuracy"] >= 0.92
