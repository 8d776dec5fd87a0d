"""Which language an article is written in, and whether the NLP model reads it.

The spaCy model is English (``Settings.spacy_model``), and so are the entity and quote
stages built on its parse and on English cue words: run on Portuguese or Korean text they
produce confident nonsense (a verb taken for a speaker, a function word for a person).  So
each article's language is settled before the ``nlp`` stage, from what the input declares
(an HTML ``lang`` attribute, a ``language`` field) and from the text itself (py3langid 0.3,
langid.py's Naive Bayes model over byte n-grams, shipped inside its wheel), and the language-bound
stages are skipped for a language the model does not read, with a warning that says so.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["MIN_CHARS", "CONFIDENT", "detect", "settle", "primary", "supported"]

MIN_CHARS = 200  # shorter texts are not identified (too little evidence)
CONFIDENT = 0.9  # a detection this sure overrides what the input declared


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # py3langid 0.3: langid.py's model

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def primary(tag: str | None) -> str | None:
    """The primary subtag of a language tag, lowercased: ``en-GB`` -> ``en``."""
    if not tag:
        return None
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return code or None


def detect(text: str) -> tuple[str, float] | None:
    """``(ISO 639-1 code, probability)`` for a text of at least :data:`MIN_CHARS`
    characters, else None."""
    sample = text[:5000]
    if len(sample.strip()) < MIN_CHARS:
        return None
    code, prob = _identifier().classify(sample)
    return str(code), float(prob)


def settle(declared: str | None, text: str) -> tuple[str | None, dict[str, Any]]:
    """The article's language and the evidence for it.

    A confident detection wins over the declaration (sites declare ``en`` in a template
    for pages in every language); otherwise the declaration stands, and a text with no
    declaration takes whatever was detected.
    """
    found = detect(text)
    evidence: dict[str, Any] = {"declared": declared}
    if found:
        evidence["detected"], evidence["confidence"] = found[0], round(found[1], 3)
    code = primary(declared)
    if found and (code is None or found[1] >= CONFIDENT):
        code = found[0]
    return code, evidence


def supported(code: str | None, languages: str) -> bool:
    """Whether the NLP model reads ``code`` (unknown languages are given the benefit)."""
    if code is None:
        return True
    return code in {c.strip().lower() for c in languages.split(",") if c.strip()}
