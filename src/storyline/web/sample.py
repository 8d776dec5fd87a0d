"""Small stores built without NLP, for the web tests, the browser tests and the benchmark.

* :func:`hostile_store` — a few articles whose text, title, authors and URL carry
  ``<script>``, ``<img onerror=...>`` and ``javascript:`` payloads, with every layer and
  corpus kind the UI shows (entities, quotes, timexes, removed boilerplate, copies, events).
* :func:`seed_store` — the seed corpus (``seeds.jsonl``): through ``storyline.build`` when
  the pipeline exists, otherwise annotated here with simple patterns (sentences, quoted
  speech, dates, a list of known names).  The patterns are a stand-in, not NLP.
* :func:`synthetic_store` — N generated articles with events and quotes (benchmark).
"""

from __future__ import annotations

import importlib
import json
import random
import re
from pathlib import Path
from typing import Any

from storyline.model import Article, PubDate
from storyline.store import Store, open_store

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
XSS_URL = "javascript:window.__xss=3"


def _sentences(text: str) -> list[dict[str, Any]]:
    out = []
    for m in re.finditer(r"[^\n.!?]+(?:[.!?]+[”\"]?|$)", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append({"start": s, "end": e})
    return out


def hostile_store(path: str | Path) -> Store:
    """A store whose article fields try to inject markup and script."""
    store = open_store(path)
    text = (
        f"Officials met on 2 December 2022. {XSS_SCRIPT} Minister Jane Roe said "
        f"“we will not accept {XSS_IMG} any deal”. Read more at {XSS_URL} today."
    )
    jane = text.index("Jane Roe")
    q_start = text.index("“")
    q_end = text.index("”") + 1
    date_start = text.index("2 December 2022")
    a1 = Article(
        id="evil1",
        source="evil.html",
        text=text,
        title=f"Talks {XSS_SCRIPT} {XSS_IMG}",
        outlet=f"Outlet {XSS_IMG}",
        authors=[f"Mallory {XSS_SCRIPT}", "Eve"],
        url=XSS_URL,
        language="en",
        published=PubDate(
            date="2022-12",
            precision="month",
            method="inferred",
            confidence=0.6,
            evidence=[{"kind": "timex", "text": f"December 2022 {XSS_SCRIPT}", "start": date_start}],
            earliest="2022-12-02",
            latest="2022-12-31",
        ),
        raw_text=f"Cookie banner {XSS_SCRIPT}\n\n{text}",
        layers={
            "sentences": _sentences(text),
            "timexes": [
                {
                    "start": date_start,
                    "end": date_start + len("2 December 2022"),
                    "text": "2 December 2022",
                    "type": "DATE",
                    "value": "2022-12-02",
                }
            ],
            "entities": [
                {"start": jane, "end": jane + 8, "text": "Jane Roe", "label": "PERSON", "kind": "name", "cluster": "c0",
                 "entity": "e-jane"}
            ],
            "entity_clusters": [{"id": "c0", "name": "Jane Roe", "type": "PERSON", "mentions": [0], "roles": []}],
            "quotes": [
                {
                    "start": q_start,
                    "end": q_end,
                    "text": text[q_start:q_end],
                    "kind": "direct",
                    "speaker": {"entity": "e-jane", "name": "Jane Roe", "start": jane, "end": jane + 8, "text": "Jane Roe"},
                    "said_on": {"value": "2022-12-02"},
                }
            ],
            "removed": [{"start": 0, "end": 14 + len(XSS_SCRIPT), "text": f"Cookie banner {XSS_SCRIPT}", "reason": "boilerplate <b>"}],
        },
    )
    a2 = Article(
        id="evil2",
        source="copy.html",
        text=text,
        title="A copy of the talks story",
        outlet="Wire",
        authors=[],
        url="https://example.org/talks?a=1&b=<x>",
        published=PubDate(date="2022-12-03", precision="day", method="metadata", confidence=0.95),
        layers={"sentences": _sentences(text)},
        meta={"stage_warnings": [f"copy.html: written in 'xx {XSS_SCRIPT}'; no entities or quotes taken from it"]},
    )
    a3 = Article(
        id="plain3",
        source="plain.txt",
        text="Later, in 2023, Jane Roe changed her position on the deal and welcomed talks.",
        title="Roe changes course",
        outlet="Daily",
        url="HTTPS://example.com/roe",
        published=PubDate(date="2023", precision="year", method="given", confidence=1.0),
        layers={},
    )
    a3.layers["sentences"] = _sentences(a3.text)
    for a in (a1, a2, a3):
        store.save_article(a)
    store.replace_corpus(
        "entities",
        {
            "e-jane": {
                "id": "e-jane",
                "name": f"Jane Roe {XSS_IMG}",
                "type": "PERSON",
                "aliases": ["Jane Roe", f"Roe {XSS_SCRIPT}"],
                "roles": [{"role": f"minister {XSS_SCRIPT}", "first_seen": "2022-12", "last_seen": "2023", "articles": ["evil1"]}],
                "mentions": [{"article": "evil1", "start": jane, "end": jane + 8, "text": "Jane Roe"}],
            }
        },
    )
    store.replace_corpus("entity_links", {"evil1:c0": "e-jane"})
    store.replace_corpus(
        "copies", {"evil1": {"original": "evil1", "duplicates": ["evil2"]}, "evil2": {"original": "evil1", "duplicates": []}}
    )
    s0 = a1.layers["sentences"][0]
    store.replace_corpus(
        "events",
        {
            "ev1": {
                "id": "ev1",
                "date": "2022-12",
                "precision": "month",
                "title": f"Officials met {XSS_SCRIPT}",
                "articles": ["evil1", "evil2"],
                "sentences": [{"article": "evil1", "start": s0["start"], "end": s0["end"], "text": text[s0["start"] : s0["end"]]}],
                "entities": ["e-jane"],
                "independent_sources": 1,
            },
            "ev2": {
                "id": "ev2",
                "date": "2023",
                "precision": "year",
                "title": "Roe changes course",
                "articles": ["plain3"],
                "sentences": [{"article": "plain3", "start": 0, "end": len(a3.text), "text": a3.text}],
                "entities": ["e-jane"],
                "independent_sources": 1,
            },
        },
    )
    store.replace_corpus("article_events", {"evil1": "ev1", "evil2": "ev1", "plain3": "ev2"})
    return store


# -- the seed corpus ---------------------------------------------------------------------
_KNOWN = {
    "Vladimir Putin": ("PERSON", ["Putin", "Vladimir Putin", "the Russian leader"]),
    "Joe Biden": ("PERSON", ["Biden", "Joe Biden"]),
    "James Cleverly": ("PERSON", ["Cleverly", "James Cleverly"]),
    "Dmitry Peskov": ("PERSON", ["Peskov", "Dmitry Peskov"]),
    "Volodymyr Zelensky": ("PERSON", ["Zelensky", "Zelenskyy", "Volodymyr Zelensky"]),
    "Emmanuel Macron": ("PERSON", ["Macron", "Emmanuel Macron"]),
    "Olaf Scholz": ("PERSON", ["Scholz", "Olaf Scholz"]),
    "Donald Trump": ("PERSON", ["Trump", "Donald Trump"]),
    "Marco Rubio": ("PERSON", ["Rubio", "Marco Rubio"]),
    "Kremlin": ("ORG", ["Kremlin", "the Kremlin"]),
    "NATO": ("ORG", ["NATO"]),
    "Ukraine": ("GPE", ["Ukraine", "Kyiv"]),
    "Russia": ("GPE", ["Russia", "Moscow"]),
}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_DATE_RE = re.compile(
    r"\b(?:(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})|(" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})|("
    + "|".join(_MONTHS)
    + r") (\d{4}))\b"
)


def _timexes(text: str) -> list[dict[str, Any]]:
    out = []
    for m in _DATE_RE.finditer(text):
        if m.group(1):
            value = f"{m.group(3)}-{_MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
        elif m.group(4):
            value = f"{m.group(6)}-{_MONTHS.index(m.group(4)) + 1:02d}-{int(m.group(5)):02d}"
        else:
            value = f"{m.group(8)}-{_MONTHS.index(m.group(7)) + 1:02d}"
        out.append({"start": m.start(), "end": m.end(), "text": m.group(0), "type": "DATE", "value": value})
    return out


def _eid(name: str) -> str:
    return "e-" + re.sub(r"\W+", "-", name.lower()).strip("-")


def _mentions(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    pairs = sorted(((alias, name) for name, (_, aliases) in _KNOWN.items() for alias in aliases), key=lambda p: -len(p[0]))
    for alias, name in pairs:
        for m in re.finditer(r"\b" + re.escape(alias) + r"\b", text):
            if any(m.start() < e and m.end() > s for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(
                {"start": m.start(), "end": m.end(), "text": m.group(0), "label": _KNOWN[name][0], "cluster": _eid(name), "entity": _eid(name)}
            )
    return sorted(found, key=lambda m: m["start"])


def _quotes(text: str, mentions: list[dict[str, Any]], sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for m in re.finditer(r"“[^”]{12,}”", text):
        sent = next((s for s in sentences if s["start"] <= m.start() < s["end"]), None)
        lo = sent["start"] if sent else max(0, m.start() - 200)
        hi = sent["end"] if sent else m.end()
        people = [x for x in mentions if x["label"] == "PERSON" and lo <= x["start"] < hi]
        sp = min(people, key=lambda x: abs(x["start"] - m.start())) if people else None
        out.append(
            {
                "start": m.start(),
                "end": m.end(),
                "text": m.group(0),
                "kind": "direct",
                "speaker": {
                    "entity": sp["entity"] if sp else None,
                    "name": next((n for n in _KNOWN if _eid(n) == sp["entity"]), None) if sp else None,
                    "start": sp["start"] if sp else None,
                    "end": sp["end"] if sp else None,
                    "text": sp["text"] if sp else None,
                },
            }
        )
    return out


def seed_store(path: str | Path, seeds: str | Path = "/work/shared/seeds/seeds.jsonl", use_pipeline: bool = True) -> Store:
    """A store of the seed corpus (see the module docstring)."""
    if use_pipeline:
        try:
            build = getattr(importlib.import_module("storyline"), "build", None)
        except ImportError:
            build = None
        if callable(build):
            build([str(seeds)], db=str(path))
            return open_store(path)
    store = open_store(path)
    records = [json.loads(line) for line in Path(seeds).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_date: dict[str, list[tuple[Article, dict[str, Any]]]] = {}
    all_mentions: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        text = rec["text"]
        lines = [ln for ln in text.splitlines() if ln.strip()]
        removed: list[dict[str, Any]] = []
        clean = text
        if lines and (lines[0].startswith("Home »") or lines[0] in {"News", "News Feed"}):
            cut = text.index(lines[0]) + len(lines[0])
            removed.append({"start": 0, "end": cut, "text": text[:cut], "reason": "navigation"})
            clean = text[cut:].lstrip("\n")
        title = next((ln.strip() for ln in clean.splitlines() if ln.strip()), "")[:140]
        pub = rec.get("published")
        sentences = _sentences(clean)
        timexes = _timexes(clean)
        if pub:
            published = PubDate(date=pub, precision="day", method="given", confidence=1.0)
        elif timexes:
            v = timexes[0]["value"]
            published = PubDate(
                date=v[:7],
                precision="month",
                method="inferred",
                confidence=0.5,
                evidence=[{"kind": "timex", "text": timexes[0]["text"], "start": timexes[0]["start"]}],
            )
        else:
            published = PubDate(date="2022-12", precision="month", method="inferred", confidence=0.3,
                                evidence=[{"kind": "neighbours", "text": "reports the same talks as the 2022-12-11 article"}])
        mentions = _mentions(clean)
        a = Article(
            id=rec["id"],
            source=f"seeds.jsonl#{rec['id']}",
            text=clean,
            title=title,
            outlet=None,
            language="en",
            published=published,
            raw_text=text,
            layers={
                "sentences": sentences,
                "timexes": timexes,
                "entities": mentions,
                "quotes": _quotes(clean, mentions, sentences),
                "removed": removed,
            },
        )
        store.save_article(a)
        all_mentions[a.id] = mentions
        first = sentences[1] if len(sentences) > 1 else (sentences[0] if sentences else {"start": 0, "end": 0})
        by_date.setdefault(published.date or "", []).append((a, first))
    entities: dict[str, Any] = {}
    for aid, ms in all_mentions.items():
        for m in ms:
            name = next(n for n in _KNOWN if _eid(n) == m["entity"])
            e = entities.setdefault(
                m["entity"],
                {"id": m["entity"], "name": name, "type": _KNOWN[name][0], "aliases": list(_KNOWN[name][1]), "roles": [], "mentions": []},
            )
            e["mentions"].append({"article": aid, "start": m["start"], "end": m["end"], "text": m["text"]})
    store.replace_corpus("entities", entities)
    # Articles published the same day are one event; two seeds are the same report.
    events: dict[str, Any] = {}
    art_events: dict[str, str] = {}
    for i, (d, items) in enumerate(sorted(by_date.items())):
        eid = f"ev{i}"
        arts = [a.id for a, _ in items]
        ents = sorted({m["entity"] for a, _ in items for m in all_mentions[a.id]})
        events[eid] = {
            "id": eid,
            "date": d,
            "precision": items[0][0].published.precision,
            "title": items[0][0].title or "",
            "articles": arts,
            "sentences": [{"article": a.id, "start": s["start"], "end": s["end"], "text": a.text[s["start"] : s["end"]]} for a, s in items],
            "entities": ents,
            "independent_sources": len(arts),
        }
        for aid in arts:
            art_events[aid] = eid
    store.replace_corpus("events", events)
    store.replace_corpus("article_events", art_events)
    store.replace_corpus("copies", {})
    return store


# -- synthetic scale data ------------------------------------------------------------------
_SPEAKERS = [f"Speaker {i}" for i in range(40)]
_TOPICS = ["ceasefire", "sanctions", "talks", "grain", "energy", "prisoners", "aid", "borders"]


def synthetic_store(path: str | Path, n_articles: int = 10_000, seed: int = 7) -> Store:
    """``n_articles`` generated articles (3 quotes each), ~n/4 events over 2022-2025, copies."""
    rnd = random.Random(seed)
    store = open_store(path)
    entities: dict[str, dict[str, Any]] = {
        f"e{i}": {"id": f"e{i}", "name": name, "type": "PERSON", "aliases": [name.split()[-1]], "roles": [], "mentions": []}
        for i, name in enumerate(_SPEAKERS)
    }
    n_events = max(1, n_articles // 4)
    events: dict[str, Any] = {}
    art_events: dict[str, str] = {}
    copies: dict[str, Any] = {}
    with store.transaction():
        for i in range(n_articles):
            y, m, d = 2022 + rnd.randrange(4), 1 + rnd.randrange(12), 1 + rnd.randrange(28)
            day = f"{y}-{m:02d}-{d:02d}"
            precise = rnd.random() < 0.8
            topic = rnd.choice(_TOPICS)
            spk = [rnd.randrange(len(_SPEAKERS)) for _ in range(3)]
            parts = [f"Article {i} reports on the {topic} negotiations."]
            quotes = []
            for k in spk:
                name = _SPEAKERS[k]
                start = sum(len(p) + 1 for p in parts)
                qtext = f"“We discussed {topic} and {rnd.choice(_TOPICS)} at length,” {name} said."
                parts.append(qtext)
                quotes.append(
                    {
                        "start": start,
                        "end": start + qtext.index("”") + 1,
                        "text": qtext[: qtext.index("”") + 1],
                        "kind": "direct",
                        "speaker": {"entity": f"e{k}", "name": name, "start": None, "end": None, "text": name},
                    }
                )
                entities[f"e{k}"]["mentions"].append({"article": f"a{i}", "start": start, "end": start + 5, "text": name})
            text = " ".join(parts)
            a = Article(
                id=f"a{i}",
                source=f"synthetic/{i}",
                text=text,
                title=f"{topic.title()} talks, report {i}",
                outlet=f"Outlet {i % 50}",
                url=f"https://example.org/{i}",
                published=PubDate(date=day if precise else day[:7], precision="day" if precise else "month", method="metadata", confidence=0.9),
                layers={"sentences": _sentences(text), "quotes": quotes},
            )
            store.save_article(a)
            ev = f"ev{i % n_events}"
            art_events[a.id] = ev
            e = events.setdefault(
                ev,
                {"id": ev, "date": a.published.date, "precision": a.published.precision, "title": f"{topic.title()} talks", "articles": [], "sentences": [], "entities": [], "independent_sources": 0},
            )
            e["articles"].append(a.id)
            if len(e["sentences"]) < 3:
                e["sentences"].append({"article": a.id, "start": 0, "end": len(parts[0]), "text": parts[0]})
            e["entities"] = sorted(set(e["entities"]) | {f"e{k}" for k in spk})
            if i % 10 == 9:
                copies[a.id] = {"original": f"a{i - 1}", "duplicates": []}
    for e in events.values():
        e["independent_sources"] = len({(copies.get(x) or {}).get("original", x) for x in e["articles"]})
    store.replace_corpus("entities", entities)
    store.replace_corpus("events", events)
    store.replace_corpus("article_events", art_events)
    store.replace_corpus("copies", copies)
    return store
