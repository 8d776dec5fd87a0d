"""Checks that the bundled example corpus (examples/harbour-strike) is well-formed.

These tests look only at the corpus files themselves: encodings, JSON, ids, and that every
substring named in expected.json really occurs in the article it names. They do not run storyline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "harbour-strike"
JSONL_FIELDS = {"id", "text", "url", "title", "outlet", "authors", "published", "language"}


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    assert data, f"{path} is empty"
    assert not data.startswith(b"\xef\xbb\xbf"), f"{path} starts with a BOM"
    text = data.decode("utf-8")  # raises on invalid UTF-8
    assert "\r" not in text, f"{path} has CR line endings"
    assert "\ufffd" not in text, f"{path} contains U+FFFD"
    return text


def _jsonl_rows() -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(_read_utf8(CORPUS / "articles" / "articles.jsonl").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            assert isinstance(row, dict), f"articles.jsonl line {n} is not an object"
            rows.append(row)
    return rows


def _expected() -> dict[str, Any]:
    return json.loads(_read_utf8(CORPUS / "expected.json"))


def _article_files() -> list[Path]:
    return sorted((CORPUS / "articles" / "text").glob("*.txt")) + sorted((CORPUS / "articles" / "html").glob("*.html"))


def _texts() -> dict[str, str]:
    """Article id -> the text in which expected substrings must occur."""
    texts: dict[str, str] = {}
    for path in _article_files():
        assert path.stem not in texts, f"duplicate article id {path.stem}"
        texts[path.stem] = _read_utf8(path)
    for row in _jsonl_rows():
        assert row["id"] not in texts, f"duplicate article id {row['id']}"
        texts[row["id"]] = row["text"]
    return texts


def _visible_words(path: Path, text: str) -> int:
    if path.suffix == ".html":
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    return len(text.split())


def test_corpus_layout() -> None:
    assert (CORPUS / "README.md").is_file()
    readme = _read_utf8(CORPUS / "README.md")
    assert "fictional" in readme.lower()
    assert len(list((CORPUS / "articles" / "text").glob("*.txt"))) >= 5
    assert len(list((CORPUS / "articles" / "html").glob("*.html"))) == 2
    assert (CORPUS / "articles" / "articles.jsonl").is_file()
    assert (CORPUS / "expected.json").is_file()


@pytest.mark.parametrize("path", _article_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_article_file_is_utf8_and_sized(path: Path) -> None:
    text = _read_utf8(path)
    assert text.strip()
    assert 250 <= _visible_words(path, text) <= 700


def test_html_files_have_metadata() -> None:
    for path in sorted((CORPUS / "articles" / "html").glob("*.html")):
        html = _read_utf8(path)
        assert re.search(r"<title>[^<]+</title>", html), path
        assert 'property="og:site_name"' in html, path
        assert 'name="author"' in html, path
        assert "article:published_time" in html or '"datePublished"' in html, path
        for tag in ("<nav", "<footer", "<aside", "<article"):
            assert tag in html, (path, tag)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S):
            json.loads(block)


def test_jsonl_rows_are_complete() -> None:
    rows = _jsonl_rows()
    assert 2 <= len(rows) <= 3
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert set(row) == JSONL_FIELDS, row.get("id")
        for key in ("id", "text", "url", "title", "outlet", "published", "language"):
            assert isinstance(row[key], str) and row[key].strip(), (row["id"], key)
        assert isinstance(row["authors"], list) and all(isinstance(a, str) for a in row["authors"])
        dt.datetime.fromisoformat(row["published"])
        assert 250 <= len(row["text"].split()) <= 700, row["id"]


def test_ids_unique_and_expected_articles_match_corpus() -> None:
    texts = _texts()
    expected = _expected()
    listed = [a["id"] for a in expected["articles"]]
    assert len(listed) == len(set(listed)), "duplicate ids in expected.json articles"
    assert set(listed) == set(texts), "expected.json articles and corpus files differ"
    jsonl_ids = {row["id"] for row in _jsonl_rows()}
    for art in expected["articles"]:
        src = CORPUS / art["source"]
        assert src.is_file(), art["source"]
        if art["format"] == "jsonl":
            assert art["id"] in jsonl_ids
        else:
            assert src.stem == art["id"]


def test_expected_dates_are_well_formed() -> None:
    expected = _expected()
    unfixable = [a for a in expected["articles"] if not a["year_fixable"]]
    assert unfixable, "at least one article should have no fixable year"
    for art in expected["articles"]:
        if art["year_fixable"]:
            dt.date.fromisoformat(art["published"])
        else:
            assert art["published"] is None
    by_id = {row["id"]: row for row in _jsonl_rows()}
    for art in expected["articles"]:
        if art["id"] in by_id:
            assert by_id[art["id"]]["published"][:10] == art["published"]
    dates = [e["date"] for e in expected["events"]]
    for d in dates:
        dt.date.fromisoformat(d)
    assert dates == sorted(dates)
    span = dt.date.fromisoformat(dates[-1]) - dt.date.fromisoformat(dates[0])
    assert 14 * 30 <= span.days <= 18 * 31


def _named_substrings(expected: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(where in expected.json, article id, substring) for every substring expected.json names."""
    out: list[tuple[str, str, str]] = []
    for art in expected["articles"]:
        for clue in art.get("date_clues", []):
            out.append(("articles.date_clues", art["id"], clue))
    for q in expected["quotes"]:
        out.append(("quotes.contains", q["article"], q["contains"]))
        if "continues_with" in q:
            out.append(("quotes.continues_with", q["article"], q["continues_with"]))
    for key in ("not_quotes", "relative_dates", "boilerplate", "body_after_newsletter"):
        for item in expected[key]:
            out.append((key, item["article"], item["text"]))
    for ent in expected["same_entity"]:
        for v in ent["variants"] + ent.get("role_mentions", []):
            out.append(("same_entity", v["article"], v["text"]))
    for pair in expected["distinct_entities"]:
        ev = pair["evidence"]
        out.append(("distinct_entities", ev["article"], ev["text"]))
    for event in expected["events"]:
        for m in event["mentions"]:
            out.append(("events", m["article"], m["text"]))
    return out


def test_every_named_substring_occurs() -> None:
    texts = _texts()
    missing = [
        (where, art, s) for where, art, s in _named_substrings(_expected()) if art not in texts or s not in texts[art]
    ]
    assert not missing, missing


def test_quotes_and_copies_reference_known_articles() -> None:
    texts = _texts()
    expected = _expected()
    for q in expected["quotes"]:
        assert q["speaker"].strip()
        if q["said_on"]:
            assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", q["said_on"]), q
    for pair in expected["copies"] + expected["not_copies"]:
        a, b = (pair["original"], pair["copy"]) if "original" in pair else (pair["a"], pair["b"])
        assert a in texts and b in texts and a != b
    copy_pairs = {frozenset((p["original"], p["copy"])) for p in expected["copies"]}
    assert not copy_pairs & {frozenset((p["a"], p["b"])) for p in expected["not_copies"]}


def test_name_variants_are_distinct_spellings() -> None:
    expected = _expected()
    mirenko = next(e for e in expected["same_entity"] if e["entity"] == "Oleksandra Mirenko")
    spellings = {v["text"] for v in mirenko["variants"]}
    assert {"Oleksandra Mirenko", "Oleksandra Mirenco", "OleksandraMirenko", "Oleksndra Mirnko"} <= spellings
    corpus = "\n".join(_texts().values())
    for pair in expected["distinct_entities"]:
        assert pair["a"] != pair["b"]
        assert pair["a"] in corpus and pair["b"] in corpus, pair
        for ent in expected["same_entity"]:
            members = {ent["entity"]} | {v["text"] for v in ent["variants"]}
            assert not {pair["a"], pair["b"]} <= members, (pair, ent["entity"])
