"""The data model: an Article with its clean text, and annotation layers over it.

Every annotation is a character span over ``Article.text`` (``start`` inclusive,
``end`` exclusive), like a spaCy ``Span``.  Layers are named lists of plain dicts
(JSON-serialisable); their item shapes are described by the TypedDicts below and by
the JSON Schema in ``storyline/export/schema.json``.  Stages add layers; readers never
need to change for that.

Corpus-level objects (entities, events, timeline entries) are dataclasses too; they
refer to articles by id and to text by (article, start, end).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

Precision = Literal["day", "month", "season", "year", "decade", "unknown"]


class SpanDict(TypedDict):
    start: int
    end: int


class SentenceItem(TypedDict):
    start: int
    end: int
    # Added by the time stage: the date the sentence refers to.
    date: NotRequired[dict[str, Any] | None]


class MentionItem(TypedDict):
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ...
    cluster: NotRequired[str | None]  # article-local entity cluster id
    kind: NotRequired[str]  # name, description or pronoun


class TimexItem(TypedDict):
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value, e.g. 2022-12-02, 2023-09, P9M, PRESENT_REF


class SpeakerDict(TypedDict):
    entity: str | None  # corpus entity id, filled by entity resolution
    cluster: NotRequired[str | None]  # article-local cluster id (see MentionItem)
    name: str | None
    start: int | None
    end: int | None
    text: str | None


class QuoteItem(TypedDict):
    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect", "mixed"]
    speaker: SpeakerDict
    cue: NotRequired[dict[str, Any] | None]
    addressee: NotRequired[str | None]
    via: NotRequired[list[dict[str, Any]]]
    said_on: NotRequired[dict[str, Any] | None]


class RemovedBlock(TypedDict):
    """A block the cleaner cut, with offsets into the *raw* input text."""

    start: int
    end: int
    text: str
    reason: str


Layer = list[dict[str, Any]]


@dataclass
class PubDate:
    """A publication date with how it was obtained.

    ``method`` is one of ``given`` (the user's input said so), ``metadata`` (HTML meta,
    JSON-LD, feed, WARC header, URL), ``inferred`` (from the text), ``propagated`` (from
    articles reporting the same event) or ``none``.
    """

    date: str | None = None  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: Precision = "unknown"
    method: str = "none"
    confidence: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)
    earliest: str | None = None  # bounds when the date stays open
    latest: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> PubDate:
        if not d:
            return cls()
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)


@dataclass
class Article:
    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    published: PubDate = field(default_factory=PubDate)
    # The text as the reader produced it, before cleaning (``text`` is the clean text).
    raw_text: str | None = None
    # Reader / extraction metadata that has no field of its own (canonical URL, site name...)
    meta: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)

    def layer(self, name: str) -> Layer:
        return self.layers.setdefault(name, [])

    def span_text(self, item: dict[str, Any]) -> str:
        return self.text[item["start"] : item["end"]]

    def to_dict(self, layers: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "authors": list(self.authors),
            "published": self.published.to_dict(),
            "language": self.language,
            "text": self.text,
            "meta": self.meta,
        }
        if layers:
            d["layers"] = self.layers
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            source=d.get("source") or "",
            text=d.get("text") or "",
            title=d.get("title"),
            outlet=d.get("outlet"),
            authors=list(d.get("authors") or []),
            language=d.get("language"),
            url=d.get("url"),
            published=PubDate.from_dict(d.get("published")),
            raw_text=d.get("raw_text"),
            meta=dict(d.get("meta") or {}),
            layers=dict(d.get("layers") or {}),
        )


@dataclass
class RawDoc:
    """What a reader yields: one input document before any stage ran."""

    source: str  # path, path#record, or URL, as given
    text: str | None = None
    html: str | None = None
    id: str | None = None  # the input's own id when it gives one
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    language: str | None = None
    published: str | None = None  # given by the user / feed / WARC: always wins
    published_method: str = "given"
    meta: dict[str, Any] = field(default_factory=dict)

    def content(self) -> str:
        return self.text if self.text is not None else (self.html or "")


@dataclass
class ReadError:
    """A reader could not produce a document from an input; the run goes on."""

    source: str
    reason: str
    code: str = "E000"


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)  # {role, first_seen, last_seen, articles}
    mentions: list[dict[str, Any]] = field(default_factory=list)  # {article, start, end, text}
    ids: dict[str, str] = field(default_factory=dict)  # e.g. {"wikidata": "Q7747"}
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    id: str
    date: str | None
    precision: Precision
    title: str
    articles: list[str] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)  # {article, start, end, text}
    entities: list[str] = field(default_factory=list)
    independent_sources: int = 0
    thread: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TimelineEntry:
    date: str
    precision: Precision
    summary: str
    sentences: list[dict[str, Any]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    independent_sources: int = 0
    quotes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """The normal form that content-derived ids and exact-copy hashes are computed on."""
    text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", text).strip().lower()


def content_id(text: str, length: int = 16) -> str:
    """A stable article id derived from the normalised content."""
    return hashlib.sha1(normalise_for_id(text).encode("utf-8")).hexdigest()[:length]
