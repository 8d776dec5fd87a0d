"""The nlp stage's spaCy pipeline: tokenizer adjustments."""

from __future__ import annotations

from storyline.settings import Settings
from storyline.stages.nlp import load_spacy


def test_quote_marks_glued_to_words_are_split() -> None:
    nlp = load_spacy(Settings().spacy_model)
    cases = {
        "“We will win,”Halvorsen said.": ["win", ",", "”", "Halvorsen", "said"],
        "He said:“We are ready.”": ["said", ":", "“", "We"],
        "“It is over.”Ekholm added.": ["over", ".", "”", "Ekholm", "added"],
    }
    for text, expected in cases.items():
        toks = [t.text for t in nlp(text)]
        assert all(e in toks for e in expected), toks
        assert " ".join(expected) in " ".join(toks), toks
    # apostrophes inside words are not quote marks
    assert "n’t" in [t.text for t in nlp("They don’t agree.")]
