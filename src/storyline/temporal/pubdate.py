"""Inferring a publication date from the text alone, with bounds and evidence.

The reasoning, in order:

1. Every absolute date the text mentions (a year is written) bounds the publication: from
   below when the clause is past or present ("in the fall of 2022", "on March 3, 2023"),
   from above when it is future ("elections will be held in 2024").
2. A date written with its weekday but without a year ("Saturday, December 23") fixes
   the year among the few years where that day is that weekday: the first one not
   before the lower bound of step 1 (and not after the upper bound).
3. A relative expression written right beside an absolute one ("two years ago, in 2021";
   "last year (2022)") gives the publication year.
4. A news article is published on or just after the latest event it reports: when the
   latest past date is a day, that day is the estimate (precision ``day``); when the
   text cannot fix a year, the date stays open (``date`` None, precision ``unknown``)
   with its bounds.  Inferred dates never get confidence >= 0.9.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta
from typing import Any

from storyline.model import PubDate
from storyline.temporal.lexicon import SEASON_START
from storyline.temporal.tagger import Timex, split_sentences, tag

MAX_INFERRED_CONFIDENCE = 0.8
# "moved to 2022", "until 2030", "for 2021": the year is a target, not a past event
_TARGET = re.compile(
    r"\b(?:to|until|till|by|for|from|through|before|(?:starting|beginning|effective|as\s+of)(?:\s+(?:in|on))?|in\s+time\s+for)\s+(?:the\s+)?(?:end\s+of\s+|early\s+|late\s+|mid-?)?$"
)
# anything that makes a clause hypothetical, planned or future
_NOT_PAST = re.compile(
    r"\b(?:will|would|could|might|may|should|shall|must|can|plans?|planned|planning|expects?|expected|projected|forecasts?|"
    r"hopes?|hoped|aims?|targets?|due|scheduled|going\s+to|wants?|intends?|until|by|next|upcoming|coming|if|unless)\b|'ll\b",
    re.IGNORECASE,
)
# purpose clauses and scheduled things point forward: "to reduce emissions ... in 2025",
# "up for reelection in 2018", "the nomination in 2020"
_SCHEDULED = re.compile(
    r"\bto\s+(?!the\b|a\b|an\b)[a-z]+\b(?!\s+(?:in|on|by)\b)|\b(?:elections?|reelection|re-election|nomination|primar(?:y|ies)|midterms?|"
    r"campaign|race|presidency|budget|target|goal|deadline|candidate|candidacy|contender|bid|run|term|season|"
    r"tournament|games|olympics|world\s+cup)\s+(?:\w+\s+)?(?:in|of|for)\s+$",
    re.IGNORECASE,
)
# words that may follow a date used adverbially ("in 2022, ..." / "in 2022 when ..."); any other
# lower-case word after a bare year makes it attributive ("the 2016 race", "2020 target")
_AFTER_OK = {
    "and", "or", "but", "when", "while", "after", "before", "as", "that", "with", "to", "for", "at", "in", "on", "by",
    "from", "the", "a", "an", "was", "were", "is", "are", "had", "has", "have", "he", "she", "it", "they", "we", "i",
    "until", "because", "which", "who", "where", "amid", "during", "against", "over", "his", "her", "their", "its",
}


def _firmly_past(text: str, t: Timex, lo: int, hi: int) -> bool:
    """A mention that can bound the publication from below: a past clause, no modal or plan
    around it, and the date used as an adverbial (not "the 2016 race")."""
    if t.tense != "past":
        return False
    left = text[max(lo, t.start - 90) : t.start]
    left = re.split(r"[;:.!?]\s", left)[-1]
    right = re.split(r"[;:.!?]\s", text[t.end : min(hi, t.end + 50)])[0]
    if _TARGET.search(left[-30:].lower()) or _NOT_PAST.search(left[-70:]) or _NOT_PAST.search(right[:40]):
        return False
    if _SCHEDULED.search(left[-45:]):
        return False
    if t.sem.get("k") == "date" and not t.sem.get("m"):
        if re.search(r"\b(?:the|a|an|this|that|its|his|her|their)\s+$", left.lower()):
            return False
        nxt = re.match(r"\s+([A-Za-z]+)", right)
        if nxt and nxt.group(1)[0].islower() and nxt.group(1) not in _AFTER_OK:
            return False
    return True
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _period(sem: dict[str, Any]) -> tuple[date, date] | None:
    """First and last day of an absolute (year-bearing) expression, or None."""
    k = sem.get("k")
    y = sem.get("y")
    if not isinstance(y, int) or not 1800 <= y <= 2100:
        return None
    try:
        if k == "date":
            m, d = sem.get("m"), sem.get("d")
            if m and d:
                day = date(y, m, d)
                return day, day
            if m:
                first = date(y, m, 1)
                nxt = date(y + (m == 12), m % 12 + 1, 1)
                return first, nxt - timedelta(days=1)
            return date(y, 1, 1), date(y, 12, 31)
        if k == "season":
            start = SEASON_START[sem["s"]]
            first = date(y, start, 1)
            end_y, end_m = (y + 1, 3) if start == 12 else (y, start + 3)
            return first, date(end_y, end_m, 1) - timedelta(days=1)
        if k == "quarter" and sem.get("q") and not sem.get("half"):
            q = int(sem["q"])
            first = date(y, 3 * q - 2, 1)
            nxt = date(y + (q == 4), (3 * q) % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
    except ValueError:
        return None
    return None


def weekday_years(month: int, day: int, weekday: int, lo: int, hi: int) -> list[int]:
    """Years in [lo, hi] where month/day falls on ``weekday`` (Monday = 0)."""
    out = []
    for y in range(lo, hi + 1):
        try:
            if date(y, month, day).weekday() == weekday:
                out.append(y)
        except ValueError:
            continue
    return out


_DATELINE_CUE = re.compile(
    r"\b(?:published|posted|posted\s+on|updated|last\s+updated|date|dated|first\s+published|issued|released|"
    r"publié|publicado|pubblicato|veröffentlicht|aktualisiert|opublikowano|yayın|опубликовано|обновлено)\b",
    re.IGNORECASE,
)
_UPDATE_CUE = re.compile(r"\b(?:updated|last\s+updated|modified|aktualisiert|обновлено|actualizado|mis\s+à\s+jour)\b", re.IGNORECASE)


def dateline_dates(text: str, timexes: list[Timex]) -> list[tuple[date, dict[str, Any]]]:
    """Full dates standing on a short line of their own, or after a publication cue
    ("Published: 7 June 2020", "By Jane Doe | June 7, 2020 4:23 pm"): the page's own date line.
    Update lines come after publication lines."""
    out: list[tuple[int, int, date, dict[str, Any]]] = []
    head = max(1500, len(text) // 3)
    # the order of numeric dates (day/month or month/day) as the document itself reveals it
    orders = {("dm" if int(m.group(1)) > 12 else "md") for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(?:19|20)?\d\d\b", text)
              if int(m.group(1)) > 12 or int(m.group(2)) > 12}
    for t in timexes:
        s = t.sem
        if s.get("k") != "date" or not (isinstance(s.get("y"), int) and s.get("m") and s.get("d")):
            continue
        ls = text.rfind("\n", 0, t.start) + 1
        le = text.find("\n", t.end)
        le = len(text) if le < 0 else le
        line = text[ls:le]
        rest = (text[ls : t.start] + " " + text[t.end : le]).strip()
        words = re.findall(r"[^\W\d_]{2,}", rest)
        cue = _DATELINE_CUE.search(line)
        if len(line) > 140 or (len(words) > 4 and not cue) or (cue and len(words) > 14):
            continue
        if t.start > head and not cue:
            continue  # a date at the foot of a page is a print edition or a comment, not the dateline
        if re.search(r"@\w|\btweet", line, re.IGNORECASE) or re.match(r"\s*[—–-]\s", line):
            continue  # an embedded post's signature
        m_, d_ = s["m"], s["d"]
        if s.get("order_unknown"):
            if orders == {"dm"}:
                m_, d_ = d_, m_
            elif orders != {"md"}:
                m_ = d_ = None
        try:
            d = date(s["y"], m_ or 1, d_ or 1)
        except ValueError:
            continue
        if m_ is None:
            out.append((2, t.start, d, {"kind": "dateline", "text": line.strip()[:120], "value": str(s["y"]),
                                        "start": ls, "end": le, "note": "day/month order unknown"}))
            continue
        update = bool(_UPDATE_CUE.search(line))
        out.append((1 if update else 0, t.start, d, {"kind": "dateline", "text": line.strip()[:120], "value": d.isoformat(),
                                                     "start": ls, "end": le, "update": update}))
    out.sort(key=lambda x: (x[0], x[1]))
    return [(d, ev) for _u, _p, d, ev in out]


# How far after the latest past mention a weekday+date may be resolved from it.
_WEEKDAY_REACH_DAYS = 548


def infer_publication(text: str, timexes: list[Timex] | None = None, sentences: list[tuple[int, int]] | None = None) -> PubDate:
    """The publication date a text implies, with bounds, precision, confidence and evidence."""
    if sentences is None:
        sentences = split_sentences(text)
    if timexes is None:
        timexes = tag(text, None, sentences)
    starts = [s for s, _e in sentences]
    evidence: list[dict[str, Any]] = []
    lower: tuple[date, dict[str, Any]] | None = None  # latest past start
    latest_past_end: tuple[date, date, dict[str, Any]] | None = None  # (end, start, evidence) of the latest past mention
    upper: tuple[date, dict[str, Any]] | None = None
    for t in timexes:
        if t.sem.get("k") == "date" and t.sem.get("y") is None:
            continue
        per = _period(t.sem)
        if per is None:
            continue
        start, end = per
        ev = {"kind": "mention", "text": t.text, "start": t.start, "end": t.end, "value": start.isoformat() if start == end else t.value or f"{start}/{end}", "tense": t.tense}
        si = max(0, bisect_right(starts, t.start) - 1)
        lo, hi = sentences[si] if sentences else (0, len(text))
        if not _firmly_past(text, t, lo, hi):
            # a future (or undetermined) mention bounds nothing from below
            if t.tense != "future":
                continue
            ev["bound"] = "latest"
            if upper is None or end < upper[0]:
                upper = (end, ev)
            evidence.append(ev)
            continue
        if t.tense == "future":
            ev["bound"] = "latest"
            if upper is None or end < upper[0]:
                upper = (end, ev)
        else:
            ev["bound"] = "earliest"
            if lower is None or start > lower[0]:
                lower = (start, ev)
            if latest_past_end is None or (end, start) > (latest_past_end[0], latest_past_end[1]):
                latest_past_end = (end, start, ev)
        evidence.append(ev)
    if lower and upper and upper[0] < lower[0]:
        upper[1]["ignored"] = "contradicts a past mention"
        upper = None

    # relative + absolute in one sentence: "two years ago, in 2021"
    year_fix: tuple[int, dict[str, Any]] | None = None
    for i, t in enumerate(timexes):
        s = t.sem
        if s.get("k") != "rel" or s.get("u") != "Y" or not s.get("n") or (not s.get("ago") and s.get("n") not in (-1, 1)):
            continue
        for o in timexes[max(0, i - 2) : i + 3]:
            if o is t or abs(o.start - t.start) > 60:
                continue
            if o.sem.get("k") in ("date", "season") and isinstance(o.sem.get("y"), int) and not o.sem.get("m"):
                between = text[min(t.end, o.end) : max(t.start, o.start)]
                if not re.fullmatch(r"[\s,(]*(?:in|back\s+in)?\s*", between):
                    continue
                y = int(o.sem["y"]) - int(s["n"])
                ev = {"kind": "relative", "text": text[min(t.start, o.start) : max(t.end, o.end)], "value": str(y)}
                evidence.append(ev)
                year_fix = (y, ev)
                break

    # weekday beside a date without a year
    lo_year = lower[0].year if lower else None
    wd_fix: tuple[date, dict[str, Any]] | None = None
    open_days: list[dict[str, Any]] = []
    for t in timexes:
        s = t.sem
        if s.get("k") == "date" and s.get("y") is None and s.get("m") and s.get("d"):
            open_days.append({"kind": "mention", "text": t.text, "value": f"XXXX-{s['m']:02d}-{s['d']:02d}", "tense": t.tense})
            if s.get("wd") is None:
                continue
            if lo_year is None and year_fix is None:
                evidence.append({"kind": "weekday", "text": t.text, "value": None, "note": "no bound to choose among the years"})
                continue
            base = year_fix[0] - 1 if year_fix else lo_year
            assert base is not None
            years = weekday_years(s["m"], s["d"], s["wd"], base, base + 12)
            cands = [date(y, s["m"], s["d"]) for y in years]
            if lower:
                cands = [c for c in cands if c >= lower[0]]
            if upper:
                cands = [c for c in cands if c <= upper[0] + timedelta(days=366)]
            if not cands:
                continue
            chosen = cands[0]
            ev = {
                "kind": "weekday",
                "text": t.text,
                "value": chosen.isoformat(),
                "candidates": [c.isoformat() for c in cands[:3]],
                "why": f"{_WEEKDAY_NAMES[s['wd']]} {s['m']:02d}-{s['d']:02d} first falls after the lower bound in {chosen.year}",
            }
            evidence.append(ev)
            if wd_fix is None or chosen > wd_fix[0]:
                wd_fix = (chosen, ev)

    earliest = lower[0] if lower else None
    latest = upper[0] if upper else None

    # a date line of its own ("Published June 7, 2020"): the page says when it was published
    lines = dateline_dates(text, timexes)
    if lines and lines[0][1].get("note"):
        d, ev = lines[0]
        evidence.append(ev)
        if (earliest is None or earliest.year <= d.year) and (latest is None or latest.year >= d.year):
            return PubDate(date=str(d.year), precision="year", method="inferred", confidence=0.6, evidence=evidence,
                           earliest=max(earliest, date(d.year, 1, 1)).isoformat() if earliest else f"{d.year}-01-01",
                           latest=f"{d.year}-12-31")
        lines = []
    if lines:
        d, ev = lines[0]
        evidence.append(ev)
        agree = sum(1 for x, _ in lines if x == d)
        if (earliest is None or d >= earliest - timedelta(days=2)) and (latest is None or d <= latest):
            return PubDate(
                date=d.isoformat(), precision="day", method="inferred", confidence=0.75 if agree > 1 else 0.7,
                evidence=evidence, earliest=earliest.isoformat() if earliest else None, latest=latest.isoformat() if latest else None,
            )
    if wd_fix and earliest is not None and year_fix is None and (wd_fix[0] - earliest).days > _WEEKDAY_REACH_DAYS:
        # the latest past mention is too old to anchor the year: "since the summer of 1998"
        # says nothing of whether "Monday, April 17" is in 2000, 2006, 2017 or 2023
        wd_fix[1]["note"] = (
            f"the first matching year is more than {_WEEKDAY_REACH_DAYS // 30} months after the latest past "
            "mention: too far for that mention to fix the year"
        )
        wd_fix = None
    if wd_fix and (earliest is None or wd_fix[0] >= earliest):
        # the weekday date is the latest fixed day: publication on or just after it
        gap_years = (wd_fix[0].year - earliest.year) if earliest else 0
        conf = 0.7 if gap_years <= 2 or (year_fix and year_fix[0] == wd_fix[0].year) else 0.45
        return PubDate(
            date=wd_fix[0].isoformat(), precision="day", method="inferred", confidence=conf,
            evidence=evidence, earliest=wd_fix[0].isoformat(), latest=latest.isoformat() if latest else None,
        )
    if year_fix:
        y = year_fix[0]
        if (earliest is None or earliest.year <= y) and (latest is None or latest.year >= y):
            return PubDate(
                date=str(y), precision="year", method="inferred", confidence=0.6, evidence=evidence,
                earliest=max(earliest, date(y, 1, 1)).isoformat() if earliest else f"{y}-01-01",
                latest=f"{y}-12-31",
            )
    return PubDate(
        date=None, precision="unknown", method="inferred" if evidence else "none", confidence=0.0,
        evidence=evidence + open_days[:5], earliest=earliest.isoformat() if earliest else None,
        latest=latest.isoformat() if latest else None,
    )
