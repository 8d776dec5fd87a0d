"""The OpenAPI 3.0 document of the HTTP API, written by hand (served at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any

import storyline

_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2023-12"}
_ANY_OBJ: dict[str, Any] = {"type": "object", "additionalProperties": True}


def _param(name: str, schema: dict[str, Any], description: str, where: str = "query", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


LIMIT = _param("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "Page size.")
OFFSET = _param("offset", {"type": "integer", "minimum": 0, "maximum": 10_000_000}, "Items to skip.")
FROM = _param("from", _DATE, "Earliest date (YYYY, YYYY-MM or YYYY-MM-DD); partial dates that overlap count.")
TO = _param("to", _DATE, "Latest date (YYYY, YYYY-MM or YYYY-MM-DD).")
TEXT = {"type": "string", "maxLength": 500}


def _page_of(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["total", "limit", "offset", "items"],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": ref}},
        },
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERR = {"$ref": "#/components/responses/Error"}


def _get(summary: str, params: list[dict[str, Any]], schema: dict[str, Any], not_found: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": _json(schema), "400": _ERR}
    if not_found:
        responses["404"] = _ERR
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def openapi_document(writes: bool = False) -> dict[str, Any]:
    """The document; ``writes`` only changes the description (the write endpoints are always listed)."""
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error", "status"],
            "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
        },
        "PubDate": {
            "type": "object",
            "required": ["date", "precision", "method"],
            "properties": {
                "date": {"type": "string", "nullable": True},
                "precision": {"type": "string", "enum": ["day", "month", "season", "year", "decade", "unknown"]},
                "method": {"type": "string"},
                "confidence": {"type": "number"},
                "evidence": {"type": "array", "items": {}},
                "earliest": {"type": "string", "nullable": True},
                "latest": {"type": "string", "nullable": True},
            },
        },
        "Article": {
            "type": "object",
            "required": ["id", "source", "text", "published"],
            "properties": {
                "id": {"type": "string"},
                "source": {"type": "string"},
                "url": {"type": "string", "nullable": True},
                "title": {"type": "string", "nullable": True},
                "outlet": {"type": "string", "nullable": True},
                "authors": {"type": "array", "items": {"type": "string"}},
                "published": {"$ref": "#/components/schemas/PubDate"},
                "language": {"type": "string", "nullable": True},
                "text": {"type": "string"},
            },
            "additionalProperties": True,
        },
        "Entity": {
            "type": "object",
            "required": ["id", "name", "type"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "type": {"type": "string"},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "roles": {"type": "array", "items": _ANY_OBJ},
                "mentions": {"type": "array", "items": _ANY_OBJ},
            },
            "additionalProperties": True,
        },
        "Quote": {
            "type": "object",
            "required": ["id", "article", "start", "end", "text"],
            "properties": {
                "id": {"type": "string"},
                "article": {"type": "string"},
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "text": {"type": "string"},
                "kind": {"type": "string"},
                "speaker": {"type": "object", "nullable": True, "additionalProperties": True},
            },
            "additionalProperties": True,
        },
        "Event": {
            "type": "object",
            "required": ["id", "date", "precision", "title", "articles"],
            "properties": {
                "id": {"type": "string"},
                "date": {"type": "string", "nullable": True},
                "precision": {"type": "string"},
                "title": {"type": "string"},
                "articles": {"type": "array", "items": {"type": "string"}},
                "sentences": {"type": "array", "items": _ANY_OBJ},
                "entities": {"type": "array", "items": {"type": "string"}},
                "independent_sources": {"type": "integer"},
            },
            "additionalProperties": True,
        },
        "TimelineEntry": {
            "type": "object",
            "description": "A dated entry of the story timeline, or (with ?actor=) one statement of the actor.",
            "required": ["date"],
            "properties": {
                "date": {"type": "string", "nullable": True},
                "precision": {"type": "string"},
                "summary": {"type": "string"},
                "sentences": {"type": "array", "items": _ANY_OBJ},
                "articles": {"type": "array", "items": {"type": "string"}},
                "entities": {"type": "array", "items": {"type": "string"}},
                "independent_sources": {"type": "integer"},
                "quotes": {"type": "array", "items": _ANY_OBJ},
            },
            "additionalProperties": True,
        },
        "SearchHit": {
            "type": "object",
            "required": ["id", "snippet", "highlights"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string", "nullable": True},
                "outlet": {"type": "string", "nullable": True},
                "url": {"type": "string", "nullable": True},
                "published": _ANY_OBJ,
                "snippet": {"type": "string"},
                "highlights": {
                    "type": "array",
                    "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
                },
            },
        },
        "NewArticle": {
            "type": "object",
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "id": {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string"},
                "outlet": {"type": "string"},
                "source": {"type": "string"},
                "language": {"type": "string"},
                "authors": {"type": "array", "items": {"type": "string"}},
                "published": _DATE,
            },
        },
        "Correction": {
            "type": "object",
            "description": "One operation of 'storyline correct' (kept in the corrections file, re-applied on rebuilds). "
            "Entities are given by id, name or alias.",
            "required": ["op"],
            "properties": {
                "op": {"type": "string", "enum": ["merge", "split", "rename", "alias", "identifier"]},
                "entity": {"type": "string", "description": "split, rename, alias, identifier"},
                "entities": {"type": "array", "items": {"type": "string"}, "minItems": 2, "description": "merge"},
                "names": {"type": "array", "items": {"type": "string"}, "description": "split"},
                "name": {"type": "string", "description": "rename (new name); split (name of the new entity)"},
                "alias": {"type": "string", "description": "alias"},
                "scheme": {"type": "string", "description": "identifier, e.g. wikidata"},
                "value": {"type": "string", "description": "identifier, e.g. Q7747"},
            },
        },
    }
    write_responses = {
        "201": _json(_ANY_OBJ, "Created"),
        "400": _ERR,
        "401": _ERR,
        "403": _ERR,
        "404": _ERR,
        "413": _ERR,
        "501": _ERR,
    }
    paths: dict[str, Any] = {
        "/api/articles": _get("Articles in date order", [LIMIT, OFFSET, FROM, TO], _page_of("#/components/schemas/Article"))
        | {
            "post": {
                "summary": "Ingest one article (needs the server's token)",
                "security": [{"bearer": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewArticle"}}},
                },
                "responses": write_responses,
            }
        },
        "/api/articles/{article_id}": _get(
            "One article with its layers",
            [_param("article_id", {"type": "string"}, "Article id", "path", True)],
            {"$ref": "#/components/schemas/Article"},
            not_found=True,
        ),
        "/api/entities": _get(
            "Entities, filterable and sortable",
            [
                LIMIT,
                OFFSET,
                _param("q", TEXT, "Part of a name or alias"),
                _param("type", TEXT, "Entity type, e.g. PERSON"),
                _param(
                    "sort",
                    {"type": "string", "enum": ["name", "-name", "type", "-type", "mentions", "-mentions", "articles", "-articles", "quotes", "-quotes"]},
                    "Sort key; '-' for descending",
                ),
            ],
            _page_of("#/components/schemas/Entity"),
        ),
        "/api/entities/{entity_id}": _get(
            "One entity (by id, name or alias)",
            [_param("entity_id", {"type": "string"}, "Entity id, name or alias", "path", True)],
            {"$ref": "#/components/schemas/Entity"},
            not_found=True,
        ),
        "/api/quotes": _get(
            "Quotes, filterable and sortable",
            [
                LIMIT,
                OFFSET,
                FROM,
                TO,
                _param("q", TEXT, "Words in the quote (full-text)"),
                _param("speaker", TEXT, "Speaker entity id, name or alias"),
                _param("kind", {"type": "string", "enum": ["direct", "indirect", "mixed"]}, "Quote kind"),
                _param("sort", {"type": "string", "enum": ["date", "-date", "speaker"]}, "Sort order"),
            ],
            _page_of("#/components/schemas/Quote"),
        ),
        "/api/events": _get("Events in date order", [LIMIT, OFFSET, FROM, TO], _page_of("#/components/schemas/Event")),
        "/api/timeline": _get(
            "The story timeline (the CLI's filters); with actor=, that actor's statements over time",
            [
                LIMIT,
                OFFSET,
                FROM,
                TO,
                _param("query", TEXT, "Only entries about these words"),
                _param("max_dates", {"type": "integer", "minimum": 1, "maximum": 100000}, "Keep the N most reported dates"),
                _param("per_date", {"type": "integer", "minimum": 1, "maximum": 100000}, "At most N entries per date"),
                _param("actor", TEXT, "Entity id, name or alias"),
                _param("topic", TEXT, "Only entries or statements about this topic"),
                _param(
                    "view",
                    {"type": "string", "enum": ["summary", "events", "auto"]},
                    "summary (default): the CLI's timeline; events: every event; auto: events when there are any",
                ),
            ],
            _page_of("#/components/schemas/TimelineEntry"),
            not_found=True,
        ),
        "/api/search": _get(
            "Full-text search over articles and quotes",
            [_param("q", {"type": "string", "minLength": 1, "maxLength": 500}, "Search words", required=True), LIMIT, OFFSET],
            {
                "type": "object",
                "required": ["query", "articles", "quotes"],
                "properties": {
                    "query": {"type": "string"},
                    "articles": _page_of("#/components/schemas/SearchHit"),
                    "quotes": _page_of("#/components/schemas/Quote"),
                },
            },
        ),
        "/api/corrections": {
            "post": {
                "summary": "Correct entity resolution: merge, split, rename, alias, identifier (needs the server's token)",
                "security": [{"bearer": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Correction"}}},
                },
                "responses": write_responses,
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "storyline API",
            "version": storyline.__version__,
            "description": "Read-only access to a story database; objects have the shapes of the JSON export. "
            + ("Writes are enabled on this server (Bearer token)." if writes else "Writes are disabled on this server."),
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": _json({"$ref": "#/components/schemas/Error"}, "Error")},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
