"""SemEval-2015 TimeLine scoring (temporal awareness over timeline relations) and the eval command."""

from __future__ import annotations

import pytest

from storyline.eval.entity_timeline import TimelineLine, _mention_spans, awareness, closure, relations, sentence_date


def _tl(*rows: tuple[int, str, str]) -> list[TimelineLine]:
    return [TimelineLine(r, d, e.split()) for r, d, e in rows]


def test_relations_and_closure() -> None:
    gold = _tl((0, "XXXX-XX-XX", "1-1-said"), (1, "2008-06-09", "1-2-launched 1-3-launching"), (2, "2010", "2-4-sold"),
               (3, "XXXX-XX-XX", "2-5-fell"))
    rels = relations(gold)
    assert ("=", "1-2-launched", "1-3-launching") in rels
    assert ("<", "1-2-launched", "2-4-sold") in rels and ("<", "2-4-sold", "2-5-fell") in rels
    assert ("in", "2-4-sold", "2010") in rels
    assert not any("1-1-said" in r[1:] for r in rels if r[0] == "<")  # rank 0 is unordered
    clo = closure(rels)
    assert ("<", "1-3-launching", "2-5-fell") in clo and ("in", "1-3-launching", "2008-06-09") in clo
    assert awareness(gold, gold) == (len(rels), len(rels), len(rels), len(rels))


def test_awareness_partial() -> None:
    gold = _tl((1, "2008", "a"), (2, "2009", "b"), (3, "2010", "c"))
    # right order, one event skipped: a<c is in the gold closure but not in its reduced graph
    sys_tl = _tl((1, "2008", "a"), (2, "2010", "c"))
    hp, n_sys, hr, n_gold = awareness(sys_tl, gold)
    assert (n_sys, n_gold) == (3, 5)
    assert hp == 3  # a<c, a in 2008, c in 2010 all hold in the gold closure
    assert hr == 2  # of the gold's a<b, b<c, a/b/c in their years, only a and c's dates are found


def test_mentions_and_dates() -> None:
    words = ["Apple", "Corps", ",", "the", "Beatles", "'", "company", ",", "sued", "Apple", "Computer", "in", "2003", "."]
    assert _mention_spans(words, "Beatles Apple Corps") == [(0, 2)]
    assert _mention_spans(["Jobs", "returned", "to", "Apple", "."], "Steve Jobs") == [(0, 1)]
    assert sentence_date("The company was founded in 1976 .", "2008-06-09", use_time_stage=False) == "1976"
    assert sentence_date("The suit was filed in March 2006 .", "2008-06-09", use_time_stage=False) == "2006-03"
    assert sentence_date("Apple today launched it .", "2008-06-09", use_time_stage=False) == "2008-06-09"


@pytest.mark.slow
def test_eval_entity_timeline() -> None:
    from storyline.eval import data_dir

    if not (data_dir() / "timelines" / "semeval2015-task4-trial").is_dir():
        pytest.skip(f"SemEval-2015 TimeLine trial data not found under {data_dir()} (see ../shared/data/README.md)")
    from storyline.eval.entity_timeline import evaluate

    res = evaluate()
    assert len(res["timelines"]) == 6 and res["f1"] > 7.85
