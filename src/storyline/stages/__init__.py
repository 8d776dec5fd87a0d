"""Pipeline stages and their registry.

Two kinds of stage:

* **article stages** ``fn(doc: ArticleDoc, settings: Settings) -> None`` run on one
  article at a time, in worker processes; they read the layers earlier stages wrote and
  add their own to ``doc.article.layers`` (character spans over ``doc.article.text``).
  They depend only on their input, so they can run in any process, in any order of
  articles, any number of times, with the same result.
* **corpus stages** ``fn(store: Store, settings: Settings, new_ids: set[str]) -> None``
  run after the article stages, over the whole store (``new_ids`` are the articles this
  run added, for incremental work).

Stages register themselves with the decorators below; the order lives in
``storyline.pipeline``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.model import Article, RawDoc
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.store import Store


@dataclass
class ArticleDoc:
    """What article stages pass along: the raw input, the article, and the spaCy Doc."""

    raw: RawDoc
    article: Article
    spacy: Any = None  # spacy.tokens.Doc over article.text, set by the nlp stage


ArticleStage = Callable[[ArticleDoc, Settings], None]
CorpusStage = Callable[["Store", Settings, set[str]], None]

ARTICLE_STAGES: dict[str, ArticleStage] = {}
CORPUS_STAGES: dict[str, CorpusStage] = {}


def article_stage(name: str) -> Callable[[ArticleStage], ArticleStage]:
    def register(fn: ArticleStage) -> ArticleStage:
        ARTICLE_STAGES[name] = fn
        return fn

    return register


def corpus_stage(name: str) -> Callable[[CorpusStage], CorpusStage]:
    def register(fn: CorpusStage) -> CorpusStage:
        CORPUS_STAGES[name] = fn
        return fn

    return register
