"""The article's language is settled before the NLP stage; the English-bound stages are
skipped, with a warning, for a language the model does not read."""

from __future__ import annotations

from storyline.language import primary, settle, supported
from storyline.model import RawDoc
from storyline.pipeline import process
from storyline.settings import Settings

PT = (
    "O presidente da câmara municipal disse na segunda-feira que as obras no porto vão recomeçar "
    "em março. “Não podemos esperar mais”, afirmou Joana Ferreira aos jornalistas, depois de uma "
    "reunião com os sindicatos. A greve dos estivadores durou três semanas e parou o comércio da cidade."
)
EN = (
    "The harbour authority said on Monday that work on the new quay would resume in March. "
    "“We cannot wait any longer,” Joanna Ferris told reporters after a meeting with the unions. "
    "The dockers' strike lasted three weeks and halted the city's trade."
)


def test_settle_prefers_a_confident_detection_over_the_declaration() -> None:
    code, evidence = settle("en", PT)
    assert code == "pt" and evidence["declared"] == "en" and evidence["detected"] == "pt"
    assert settle(None, EN)[0] == "en"


def test_short_text_keeps_its_declared_language() -> None:
    assert settle("de-AT", "Kurz.")[0] == "de"
    assert settle(None, "Too short to tell.")[0] is None
    assert primary("en_GB") == "en"


def test_supported_reads_the_settings_list() -> None:
    assert supported("en", "en") and supported(None, "en") and supported("pt", "en, pt")
    assert not supported("pt", "en")


def test_other_language_gets_no_entities_or_quotes_and_says_why() -> None:
    doc = process(RawDoc(source="porto.txt", text=PT), Settings(workers=1))
    art = doc.article
    assert art.language == "pt"
    assert not art.layers.get("quotes") and not art.layers.get("entities") and not art.layers.get("ner")
    assert art.layers.get("sentences")  # still split, stored and searchable
    warnings = art.meta.get("stage_warnings", [])
    assert any("porto.txt" in w and "'pt'" in w for w in warnings)


def test_english_article_is_analysed() -> None:
    doc = process(RawDoc(source="harbour.txt", text=EN), Settings(workers=1))
    assert doc.article.language == "en"
    assert any("Ferris" in q["speaker"]["text"] for q in doc.article.layers.get("quotes", []) if q.get("speaker"))
    assert not doc.article.meta.get("stage_warnings")


def test_model_languages_setting_lets_a_language_through() -> None:
    doc = process(RawDoc(source="porto.txt", text=PT), Settings(workers=1, model_languages="en,pt"))
    assert not doc.article.meta.get("stage_warnings") and "entities" in doc.article.layers
