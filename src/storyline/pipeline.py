"""The stage list and how a corpus flows through it.

Article stages, in order (each in its own module under ``storyline.stages``):

==========  =========================================================================
extract     HTML -> text and metadata (title, authors, outlet, language, canonical URL)
clean       boilerplate removal on text input; removed blocks kept as layer ``removed``
nlp         spaCy: layers ``sentences`` and ``ner`` (first the language is settled; see
            ``LANGUAGE_BOUND_STAGES``)
time        publication date (given > metadata > inferred), ``timexes``, sentence dates
entities    layer ``entities`` (mentions with article-local ``cluster``), ``entity_clusters``
quotes      layer ``quotes``
signature   copy-detection signatures and sentence embeddings (blobs)
==========  =========================================================================

Corpus stages, in order, over the store: ``copies``, ``entities`` (cross-document
resolution), ``events`` (grouping and story threads), ``dates`` (publication dates shared
across copies and events; the articles whose date changed are re-anchored).  Timelines are computed on request from the store.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
from collections.abc import Iterable, Mapping

from storyline import __version__
from storyline.errors import E, StorylineError
from storyline.model import Article, PubDate, RawDoc, content_id
from storyline.settings import Settings
from storyline.stages import ARTICLE_STAGES, CORPUS_STAGES, ArticleDoc, ArticleStage, CorpusStage

log = logging.getLogger("storyline")

ARTICLE_STAGE_ORDER: list[tuple[str, str]] = [
    # (stage name, module under storyline.stages)
    ("extract", "extract"),
    ("clean", "clean"),
    ("nlp", "nlp"),
    ("time", "time"),
    ("entities", "entities"),
    ("quotes", "quotes"),
    ("signature", "copies"),
]

CORPUS_STAGE_ORDER: list[tuple[str, str]] = [
    ("copies", "copies"),
    ("entities", "entities"),
    ("events", "events"),
    ("dates", "time"),
]


def _load(order: list[tuple[str, str]], registry: Mapping[str, object]) -> list[tuple[str, object]]:
    out = []
    for name, module in order:
        if name not in registry:
            try:
                importlib.import_module(f"storyline.stages.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"storyline.stages.{module}":
                    raise
                log.debug("stage module %s not present; skipping stage %s", module, name)
                continue
        if name in registry:
            out.append((name, registry[name]))
    return out


def article_stages(skip: Iterable[str] = ()) -> list[tuple[str, ArticleStage]]:
    skip = set(skip)
    return [(n, f) for n, f in _load(ARTICLE_STAGE_ORDER, ARTICLE_STAGES) if n not in skip]  # type: ignore[misc]


def corpus_stages(skip: Iterable[str] = ()) -> list[tuple[str, CorpusStage]]:
    skip = set(skip)
    return [(n, f) for n, f in _load(CORPUS_STAGE_ORDER, CORPUS_STAGES) if n not in skip]  # type: ignore[misc]


def pipeline_version(settings: Settings) -> str:
    """Changes when the code version or any setting that affects article stages changes."""
    relevant = {
        "version": __version__,
        "spacy_model": settings.spacy_model,
        "model_languages": settings.model_languages,
        "clean": settings.clean,
        "stages": settings.stages,
    }
    return hashlib.sha1(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]


def input_hash(raw: RawDoc) -> str:
    """A hash of everything the reader gave (content and given metadata)."""
    payload = json.dumps(
        [raw.text, raw.html, raw.id, raw.title, raw.outlet, raw.authors, raw.url, raw.language, raw.published],
        ensure_ascii=False,
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def article_id(raw: RawDoc) -> str:
    """The input's own id when it gives one, else derived from its normalised content."""
    return raw.id if raw.id else content_id(raw.content())


def new_article(raw: RawDoc) -> Article:
    """The article as the reader gives it, before any stage ran."""
    published = PubDate()
    if raw.published:
        from storyline.dates import parse_iso_date

        date, precision = parse_iso_date(raw.published)
        published = PubDate(
            date=date,
            precision=precision,
            method=raw.published_method,
            confidence=1.0,
            evidence=[{"kind": raw.published_method, "value": raw.published}],
        )
    return Article(
        id=article_id(raw),
        source=raw.source,
        text=raw.text if raw.text is not None else "",
        title=raw.title,
        outlet=raw.outlet,
        authors=list(raw.authors),
        language=raw.language,
        url=raw.url,
        published=published,
        raw_text=raw.text,
        meta=dict(raw.meta),
    )


# stages that read the text through the English model and English cue words: skipped for
# an article in a language the model does not read (see storyline.language)
LANGUAGE_BOUND_STAGES = ("entities", "quotes")


def _settle_language(doc: ArticleDoc, settings: Settings) -> bool:
    """Set the article's language; False when the NLP model does not read it."""
    from storyline.language import settle, supported

    art = doc.article
    code, evidence = settle(art.language, art.text)
    art.language = code or art.language
    art.meta["language"] = evidence
    if supported(code, settings.model_languages):
        return True
    art.meta.setdefault("stage_warnings", []).append(
        f"{doc.raw.source}: written in '{code}', which the NLP model ({settings.model_languages}) does not read; "
        f"no entities or quotes taken from it"
    )
    return False


def process(raw: RawDoc, settings: Settings, skip: Iterable[str] = ()) -> ArticleDoc:
    """Run every article stage on one input; raises StorylineError naming the source."""
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    readable = True
    for name, stage in article_stages(skip):
        if name == "nlp" and not doc.article.text.strip():
            raise StorylineError(E.NO_ARTICLE, source=raw.source)
        if name == "nlp":
            readable = _settle_language(doc, settings)
        if not readable and name in LANGUAGE_BOUND_STAGES:
            continue
        try:
            stage(doc, settings)
        except StorylineError:
            raise
        except Exception as exc:  # a stage bug must not lose the rest of the run
            log.debug("stage %s failed on %s", name, raw.source, exc_info=True)
            raise StorylineError(
                E.STAGE_FAILED, source=raw.source, stage=name, reason=f"{type(exc).__name__}: {exc}"
            ) from exc
        if name == "nlp" and not readable:
            doc.article.layers["ner"] = []  # the English tagger's guesses on another language
    return doc
