"""A rule-based temporal-expression tagger and normaliser (TIMEX3), in pure Python.

Recognition is a regular grammar over the text: each rule matches one family of
expressions ("Saturday, December 23", "the fall of 2022", "more than 9 months", "last
week", "a day after") and turns it into a small semantic form (``sem``): what is known
of the date (year, month, day, weekday, season, quarter), how it is relative to the
anchor (``rel``: -1 last, 0 this, +1 next, None: decided by tense) or to another
expression (``k='offset'``).  Overlapping matches are resolved longest-first.

Normalisation (:func:`resolve`) turns a ``sem`` into a TIMEX3 value against an anchor
date (the document creation / publication date) and the tense of the clause: "on
Friday" in a past-tense clause is the Friday before the anchor, in a future one the
Friday after.  Without an anchor, relative values stay underspecified (``XXXX-12-23``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storyline.temporal.lexicon import (
    DAYPART_RE,
    DAYPARTS,
    MONTH_RE,
    NUMBER_RE,
    SEASON_RE,
    SEASON_START,
    SEASONS,
    UNITS,
    WEEKDAY_RE,
    month_number,
    parse_number,
    weekday_number,
)

Sem = dict[str, Any]


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    sem: Sem
    value: str = ""
    anchor: int | None = None  # index of the timex this one is anchored to
    tense: str = "none"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_item(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text, "type": self.type, "value": self.value}
        if self.anchor is not None:
            d["anchor"] = self.anchor
        return d


# --------------------------------------------------------------------------- grammar
MODS = (
    r"(?:more\s+than|less\s+than|fewer\s+than|about|around|nearly|almost|at\s+least|up\s+to|under|roughly|"
    r"approximately|barely|well\s+over|close\s+to|the\s+better\s+part\s+of|upwards\s+of|"
    r"as\s+long\s+as|as\s+many\s+as|no\s+more\s+than|at\s+most|some|another|a\s+full|the\s+full|nearly\s+a|an?\s+additional)"
)
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)"
DAYN = r"(?:[12]\d|3[01]|0?[1-9])"
UNIT_RE = r"(?:seconds?|minutes?|hours?|days?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?|century|centuries|millenni(?:um|a))"
POINT_MOD = r"(?:(?:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+end\s+of)[-\s]+)"
DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

Handler = Callable[[re.Match[str], str], "tuple[str, Sem] | None"]
RULES: list[tuple[str, re.Pattern[str], Handler, int]] = []


def rule(name: str, pattern: str, priority: int = 0) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        RULES.append((name, re.compile(r"(?<!\w)(?:" + pattern + ")", re.IGNORECASE | re.VERBOSE), fn, priority))
        return fn

    return register


def _cap(word: str | None) -> bool:
    return bool(word) and word[0].isupper()  # type: ignore[index]


def _month_ok(m: re.Match[str], group: str = "mon", with_day: bool = False) -> bool:
    word = m.group(group)
    if not _cap(word):
        return False
    if with_day:
        return True  # "Mar 2": an abbreviation beside a day number is a month
    w = word.lower().rstrip(".")
    # abbreviations without a period are too ambiguous ("Mar", "Sun", "Jan" as names)
    return not (len(w) <= 4 and w not in {"may", "june", "july", "sept"} and not word.endswith(".") and w not in {"june", "july"})


def _year(text: str) -> int:
    return int(text)


def _point_mod(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower().strip(" -")
    if t.startswith("early") or "beginning" in t or "start" in t or "first half" in t:
        return "START"
    if t.startswith("late") or "end" in t or "second half" in t:
        return "END"
    if t.startswith("mid") or "middle" in t:
        return "MID"
    return None


# Full dates: "Saturday, December 23, 2023", "Dec. 2", "December 23rd"
@rule(
    "mdy",
    rf"""(?:(?P<wd>{WEEKDAY_RE}|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s?,?\s+(?:the\s+)?)?(?P<mod>{POINT_MOD})?(?P<mon>{MONTH_RE}|Mar|Sep)\s+(?P<d>{DAYN})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|:\d))
        (?:\s?,?\s+(?P<y>{YEAR4})\b)?""",
    2,
)
def _mdy(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _month_ok(m, with_day=True):
        return None
    wd = weekday_number(m.group("wd")) if m.group("wd") and _cap(m.group("wd")) else None
    if m.group("wd") and wd is None:
        return None
    y = _year(m.group("y")) if m.group("y") else None
    return "DATE", {"k": "date", "y": y, "m": month_number(m.group("mon")), "d": int(m.group("d")), "wd": wd}


# "23 December 2023", "the 23rd of December", "Saturday 23 December"
@rule(
    "dmy",
    rf"""(?:(?P<wd>{WEEKDAY_RE}),?\s+)?(?:the\s+)?(?P<d>{DAYN})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_RE})(?!\s+\d{{1,2}}\b)
        (?:\s?,?\s+(?P<y>{YEAR4})\b)?""",
    2,
)
def _dmy(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _month_ok(m, with_day=True):
        return None
    wd = weekday_number(m.group("wd")) if m.group("wd") and _cap(m.group("wd")) else None
    y = _year(m.group("y")) if m.group("y") else None
    return "DATE", {"k": "date", "y": y, "m": month_number(m.group("mon")), "d": int(m.group("d")), "wd": wd}


# ISO and numeric dates: 2023-12-23, 12/23/2023, 23.12.2023
@rule("iso", rf"\b(?P<y>{YEAR4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b(?:T(?P<t>\d\d:\d\d))?", 3)
def _iso(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    try:
        date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return "DATE", {"k": "date", "y": int(m.group("y")), "m": int(m.group("m")), "d": int(m.group("d")), "t": m.group("t")}


@rule("numeric", r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.]|\.\d)", 1)
def _numeric(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    a, b = int(m.group("a")), int(m.group("b"))
    y = int(m.group("y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    mo, d = (a, b) if m.group("sep") == "/" else (b, a)
    if mo > 12 and d <= 12:
        mo, d = d, mo
    try:
        date(y, mo, d)
    except ValueError:
        return None
    # 08/03/2020 is March 8 in most of the world and August 3 in the US
    ambiguous = m.group("sep") == "/" and a <= 12 and b <= 12 and a != b
    return "DATE", {"k": "date", "y": y, "m": mo, "d": d, "order_unknown": ambiguous}


# "December 2023", "mid-March 2022", "June last year"
@rule("month_year", rf"(?P<mod>{POINT_MOD})?(?P<mon>{MONTH_RE}),?\s+(?:of\s+)?(?P<y>{YEAR4})\b(?!\s*(?:%|percent))", 1)
def _month_year(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _month_ok(m):
        return None
    return "DATE", {"k": "date", "y": _year(m.group("y")), "m": month_number(m.group("mon")), "mod": _point_mod(m.group("mod"))}


@rule("month_rel_year", rf"(?P<mod>{POINT_MOD})?(?P<mon>{MONTH_RE})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year", 2)
def _month_rel_year(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _month_ok(m):
        return None
    rel = {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    return "DATE", {"k": "date", "y": None, "yrel": rel, "m": month_number(m.group("mon"))}


_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|to|through|during|of|before|after|between|and|or|early|late|mid|last|next|this|"
    r"earlier|later|each|every|on|for|around|about|until|last|past)\s*|-)$",
    re.IGNORECASE,
)


# Month on its own: "in March", "last September", "early June"
@rule("month", rf"(?P<pre>(?:(?:earlier|later|early|late|mid|last|next|this|this\s+past|this\s+coming)[-\s]+)|{POINT_MOD})?(?P<mon>{MONTH_RE})\b(?!\s*\d)", 0)
def _month(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _month_ok(m):
        return None
    word = m.group("mon").lower().rstrip(".")
    pre = (m.group("pre") or "").lower().strip(" -")
    if word in {"may", "march"} and not pre:
        before = text[max(0, m.start() - 15) : m.start()]
        if not _PREP_BEFORE.search(before):
            return None
    rel = None
    if pre.startswith("last"):
        rel = -1
    elif pre.startswith("next"):
        rel = 1
    elif pre == "this past":
        rel = -1
    elif pre == "this coming":
        rel = 1
    elif pre.startswith("this"):
        rel = 0
    return "DATE", {"k": "date", "y": None, "m": month_number(word), "rel": rel, "mod": _point_mod(pre)}


# Years: "2022", "in fiscal 1990", "early 2023", "the end of 2022"
@rule("year", rf"(?P<mod>{POINT_MOD})?(?P<fy>fiscal[-\s]+(?:year\s+)?)?(?P<y>{YEAR4})(?!s\b|'s?\b|\d|,\d|\.\d|-\d|\s*(?:%|percent|per\s*cent)|[a-z])", 0)
def _year_rule(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    before = text[max(0, m.start() - 2) : m.start()]
    if "$" in before or "#" in before or before.endswith(("No.", "no.")):
        return None
    after = text[m.end() : m.end() + 12]
    if re.match(r"\s*(?:-|to)\s*\d", after) and not re.match(r"\s*-\s*(?:19|20)\d\d", after):
        return None
    y = _year(m.group("y"))
    if m.group("fy"):
        return "DATE", {"k": "lit", "v": f"FY{y}"}
    return "DATE", {"k": "date", "y": y, "mod": _point_mod(m.group("mod"))}


# Spoken years (broadcast transcripts): "nineteen ninety-six", "two thousand one"
_SPOKEN_TENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SPOKEN_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


@rule(
    "spoken_year",
    r"""(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?
        (?:nineteen[-\s](?P<t>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?P<o>one|two|three|four|five|six|seven|eight|nine))?
        |two\s+thousand(?:\s+and)?(?:\s+(?P<o2>one|two|three|four|five|six|seven|eight|nine))?)\b""",
    1,
)
def _spoken_year(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("t"):
        y = 1900 + _SPOKEN_TENS[m.group("t").lower()] + (_SPOKEN_ONES[m.group("o").lower()] if m.group("o") else 0)
    else:
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:in|year|since|until|by|of)\s+$", before) and not m.group("mon"):
            return None
        y = 2000 + (_SPOKEN_ONES[m.group("o2").lower()] if m.group("o2") else 0)
    mon = month_number(m.group("mon").strip()) if m.group("mon") and _cap(m.group("mon")) else None
    return "DATE", {"k": "date", "y": y, "m": mon}


# Decades and centuries: "the 1990s", "the '90s", "the nineties", "the 20th century"
@rule(
    "decade",
    r"""(?:the\s+)?(?:(?:early|late|mid)[-\s]+)?(?:(?P<c>1[6-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b""",
    1,
)
def _decade(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("c"):
        return "DATE", {"k": "lit", "v": m.group("c") + m.group("d")}
    if not m.group(0).lower().startswith("the"):
        return None
    d = m.group("d2") or str(DECADE_WORDS[m.group("w").lower()])
    return "DATE", {"k": "decade", "d": int(d)}


@rule("century", r"(?:the\s+)?(?P<n>\d{1,2}|first|second|nineteenth|twentieth|twenty-first)(?:st|nd|rd|th)?[-\s]+century\b", 1)
def _century(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    n = {"first": 1, "second": 2, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}.get(m.group("n").lower())
    if n is None:
        n = int(m.group("n"))
    return "DATE", {"k": "lit", "v": f"{n - 1:02d}"}


# Seasons: "the fall of 2022", "last autumn", "this summer", "in the spring"
@rule(
    "season",
    rf"""(?P<pre>(?:(?:this\s+past|this\s+coming|this|last|next|the|early|late|mid|the\s+early|the\s+late|the\s+end\s+of\s+the|the\s+end\s+of)[-\s]+)*)
        (?P<s>{SEASON_RE})\b(?:\s+(?:of\s+)?(?P<y>{YEAR4})\b|\s+(?P<yrel>last|this|next)\s+year)?""",
    1,
)
def _season(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower()).strip()
    s = SEASONS[m.group("s").lower()]
    y = _year(m.group("y")) if m.group("y") else None
    after = text[m.end() : m.end() + 30]
    if y is None and re.match(r"\s+of\s+(?!(?:19|20)\d\d)", after):
        return None  # "the fall of Rome"
    if y is None and not pre and not m.group("yrel"):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:in|during|since|by|until|through|over|this|last|next|each|every)\s+$", before):
            return None
    if y is None and pre in {"the", ""} and s == "FA" and not m.group("yrel"):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:in|during|since|by|until|through|over)\s+$", before):
            return None  # "the fall" is mostly a decline
    rel = None
    if "last" in pre or "this past" in pre:
        rel = -1
    elif "next" in pre or "this coming" in pre:
        rel = 1
    elif "this" in pre:
        rel = 0
    if m.group("yrel"):
        yrel = {"last": -1, "this": 0, "next": 1}[m.group("yrel").lower()]
        return "DATE", {"k": "season", "s": s, "y": None, "yrel": yrel}
    return "DATE", {"k": "season", "s": s, "y": y, "rel": rel}


# Quarters and halves: "the third quarter", "third-quarter", "the fourth quarter of 1997", "first half"
@rule(
    "quarter",
    rf"""(?P<pre>(?:the|its|a|this\s+year's|next\s+year's|last\s+year's|the\s+year-(?:ago|earlier))\s+)?(?:(?P<y1>{YEAR4})\s+)?(?:fiscal[-\s]+)?
        (?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[-\s](?:fiscal[-\s])?(?P<u>quarter|half)\b(?!s)
        (?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR4}))?""",
    2,
)
def _quarter(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}[
        m.group("ord").lower()
    ]
    half = m.group("u").lower() == "half"
    if half and q > 2:
        return None
    y = m.group("y1") or m.group("y2")
    pre = (m.group("pre") or "").lower()
    trim = 0
    if pre.strip() in {"a", "its"} or (pre.strip() == "the" and "-" in m.group(0)[len(pre):]):
        trim = len(pre)
    yrel = -1 if ("last year" in pre or "year-ago" in pre or "year-earlier" in pre) else (1 if "next year" in pre else None)
    return "DATE", {"k": "quarter", "q": q, "half": half, "y": int(y) if y else None, "yrel": yrel, "_trim": trim}


@rule(
    "quarter_ref",
    r"""(?P<pre>the|this|that|its|last\s+year's|this\s+year's)\s+(?P<adj>(?:latest|current|same|year-ago|year-earlier|comparable|recent|previous|prior|just-ended|latest\s+fiscal|
        comparable\s+year-ago|comparable\s+year-earlier|corresponding)\s+)?(?P<u>quarter|period)\b(?!s)(?P<ago>\s+a\s+year\s+(?:ago|earlier))?""",
    1,
)
def _quarter_ref(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    adj = (m.group("adj") or "").lower()
    pre = m.group("pre").lower()
    if m.group("u").lower() == "period" and not adj:
        return None
    yrel = -1 if ("year-" in adj or "last year" in pre or m.group("ago") or "corresponding" in adj) else 0
    latest = any(w in adj for w in ("latest", "just-ended", "recent", "previous", "prior"))
    return "DATE", {"k": "quarter", "q": None, "y": None, "ref": True, "yrel": yrel, "current": "current" in adj or pre == "this",
                    "latest": latest}


@rule(
    "yearago_adj",
    r"(?P<w>year-ago|year-earlier|a\s+year\s+earlier|a\s+year\s+ago|the\s+year-ago\s+period|the\s+year-earlier\s+period|the\s+corresponding\s+period\s+last\s+year)(?!-)",
    3,
)
def _yearago(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    return "DATE", {"k": "yearago"}


# Deictic: today, yesterday, tonight, now, recently, the future ...
_DEICTIC: dict[str, tuple[str, Sem]] = {
    "today": ("DATE", {"k": "rel", "u": "D", "n": 0}),
    "yesterday": ("DATE", {"k": "rel", "u": "D", "n": -1}),
    "tomorrow": ("DATE", {"k": "rel", "u": "D", "n": 1}),
    "the day before yesterday": ("DATE", {"k": "rel", "u": "D", "n": -2}),
    "the day after tomorrow": ("DATE", {"k": "rel", "u": "D", "n": 2}),
    "tonight": ("TIME", {"k": "rel", "u": "D", "n": 0, "part": "TNI"}),
    "last night": ("TIME", {"k": "rel", "u": "D", "n": -1, "part": "TNI"}),
    "this morning": ("TIME", {"k": "rel", "u": "D", "n": 0, "part": "TMO"}),
    "this afternoon": ("TIME", {"k": "rel", "u": "D", "n": 0, "part": "TAF"}),
    "this evening": ("TIME", {"k": "rel", "u": "D", "n": 0, "part": "TEV"}),
    "now": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "right now": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "just now": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "nowadays": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "these days": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "currently": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "current": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "at present": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "presently": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "the present": ("DATE", {"k": "lit", "v": "PRESENT_REF"}),
    "recently": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "recent": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "lately": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "previously": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "formerly": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "the past": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "once": ("DATE", {"k": "lit", "v": "PAST_REF"}),
    "the future": ("DATE", {"k": "lit", "v": "FUTURE_REF"}),
    "future": ("DATE", {"k": "lit", "v": "FUTURE_REF"}),
    "soon": ("DATE", {"k": "lit", "v": "FUTURE_REF"}),
    "the near future": ("DATE", {"k": "lit", "v": "FUTURE_REF"}),
    "the days ahead": ("DATE", {"k": "lit", "v": "FUTURE_REF"}),
}
_DEICTIC_WEAK = {"current", "recent", "once", "future", "soon", "formerly", "presently", "lately"}


@rule(
    "deictic",
    r"""\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight|last\s+night|
        this\s+(?:morning|afternoon|evening)|just\s+now|now|nowadays|these\s+days|currently|current|at\s+present|presently|
        the\s+present|recently|recent|lately|previously|formerly|the\s+past|the\s+near\s+future|the\s+future|future|soon|the\s+days\s+ahead)\b(?!-)""",
    0,
)
def _deictic(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if w in {"once", "formerly", "presently", "lately", "previously", "soon"}:
        return None
    if w == "current":
        after = text[m.end() : m.end() + 25].lower()
        if not re.match(r"\s+(?:quarter|year|month|week|period|level|levels|rate|pace|crisis|situation|session)\b", after):
            return None
    if w == "recent":
        after = text[m.end() : m.end() + 20].lower()
        if not re.match(r"\s+(?:years?|months?|weeks?|days?|decades?|times|history)\b", after):
            return None
    if w in {"future", "the future"}:
        before = text[max(0, m.start() - 10) : m.start()].lower()
        if w == "future" and not re.search(r"\b(?:in|near|the|foreseeable)\s+$", before):
            return None
    if w == "the past":
        after = text[m.end() : m.end() + 20].lower()
        if re.match(r"\s+(?:" + NUMBER_RE + r"\s+)?" + UNIT_RE, after, re.IGNORECASE):
            return None
    if w == "now":
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if re.search(r"\b(?:by|until|till|from|since)\s+$", before):
            pass
    typ, base_sem = _DEICTIC[w]
    return typ, dict(base_sem)


# Day parts with a day: "Friday morning", "yesterday afternoon", "Wednesday night"
@rule(
    "day_part",
    rf"(?P<pre>(?:early|late|earlier|later)\s+)?(?P<day>{WEEKDAY_RE}|yesterday|today|tomorrow)\s+(?P<part>{DAYPART_RE})\b",
    2,
)
def _day_part(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    day = m.group("day").lower()
    part = DAYPARTS[m.group("part").lower()]
    if day in {"yesterday", "today", "tomorrow"}:
        return "TIME", {"k": "rel", "u": "D", "n": {"yesterday": -1, "today": 0, "tomorrow": 1}[day], "part": part}
    if not _cap(m.group("day")):
        return None
    # annotators (TimeBank) mostly give a weekday evening the day's value
    return "DATE", {"k": "wd", "wd": weekday_number(day), "rel": None}


# Weekdays: "on Friday", "last Tuesday", "next Monday"
@rule(
    "weekday",
    rf"(?P<pre>(?:last|next|this|this\s+past|this\s+coming|coming|past|earlier|later|early|late)\s+)?(?P<wd>{WEEKDAY_RE})(?!\w)",
    1,
)
def _weekday(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _cap(m.group("wd")):
        return None
    w = m.group("wd").lower().rstrip(".")
    if w in {"sun", "sat", "wed", "mon", "fri"} and not m.group("wd").endswith("."):
        return None
    pre = (m.group("pre") or "").lower().strip()
    rel = {"last": -1, "this past": -1, "past": -1, "next": 1, "this coming": 1, "coming": 1, "this": 0}.get(pre)
    trim = len(m.group("pre")) if pre in {"earlier", "later", "early", "late"} else 0
    return "DATE", {"k": "wd", "wd": weekday_number(w), "rel": rel, "_trim": trim}


# Relative periods: "last week", "this year", "next month", "earlier this year", "the past year"
@rule(
    "rel_period",
    r"""(?P<pre>(?:early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|
        until\s+the\s+end\s+of)[-\s]+)?
        (?P<rel>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+last|the\s+previous|the\s+coming|the\s+following|the\s+current|the\s+next|past|coming|current|previous)
        \s+(?P<u>week|weekend|month|year|decade|century|fiscal\s+year)(?!-|s\b)(?!\s+(?:or|and)\s)""",
    1,
)
def _rel_period(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    u = m.group("u").lower().replace("fiscal ", "")
    unit = UNITS[u]
    pre = (m.group("pre") or "").lower()
    if rel in {"the past", "the last", "the previous", "past", "previous", "the coming", "the next", "coming"} and not pre:
        # "the past year" is a span of one year ending at the anchor
        n = 10 if unit == "DE" else 1
        code = {"DE": "Y", "CE": "CE", "WE": "WE"}.get(unit, unit)
        if unit == "DE" and rel in {"the last", "the past"}:
            return "DATE", {"k": "rel", "u": "DE", "n": -1}
        return "DURATION", {"k": "lit", "v": f"P{n}{code}" if code not in {"CE", "WE"} else ("P100Y" if code == "CE" else "P2D")}
    if rel in {"the following"}:
        return "DATE", {"k": "offset", "u": unit, "n": 1, "dir": "later"}
    n = {"this": 0, "the current": 0, "current": 0, "last": -1, "this past": -1, "next": 1, "this coming": 1}.get(rel, 0)
    return "DATE", {"k": "rel", "u": unit, "n": n, "mod": _point_mod(pre)}


# "the year": a fiscal year ("for the year ended Sept. 30", a duration) or the current one
@rule("the_year", r"the\s+(?:fiscal\s+)?year\b(?!\s+(?:19|20)\d\d)(?=\s+(?P<ended>ended|ending|that\s+ended|through|to\s+date)\b)?", 0)
def _the_year(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("ended"):
        return "DURATION", {"k": "lit", "v": "P1Y"}
    before = text[max(0, m.start() - 20) : m.start()].lower()
    after = text[m.end() : m.end() + 12].lower()
    if re.search(r"\b(?:for|of|during|in|throughout|earlier\s+in|later\s+in)\s+$", before) and not re.match(r"['’]?s?\s*(?:ago|earlier|before|after|later|-)", after):
        return "DATE", {"k": "rel", "u": "Y", "n": 0}
    return None


@rule("the_weekend", r"the\s+weekend\b", 0)
def _the_weekend(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    return "DATE", {"k": "rel", "u": "WE", "n": None}


# "two years ago", "a week ago", "years ago"
@rule(
    "ago",
    rf"(?:(?P<mod>{MODS})\s+)?(?P<n>{NUMBER_RE})[-\s]+(?P<u>{UNIT_RE})\s+(?:or\s+so\s+)?ago\b|(?P<vague>(?:many\s+|several\s+|a\s+few\s+|some\s+)?(?:years|months|weeks|days|decades|centuries))\s+ago\b",
    2,
)
def _ago(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("vague"):
        return "DATE", {"k": "lit", "v": "PAST_REF"}
    n = parse_number(m.group("n"))
    u = UNITS[m.group("u").lower().rstrip("s") if not m.group("u").lower().startswith("centur") else "century"]
    if n is None:
        return "DATE", {"k": "lit", "v": "PAST_REF"}
    return "DATE", {"k": "rel", "u": u, "n": -n, "ago": True}


# Offsets from another expression: "a day after ...", "two days later", "the next day", "that day"
@rule(
    "offset",
    rf"""(?P<n>{NUMBER_RE}|the)[-\s]+(?P<u>days?|weeks?|months?|years?)\s+(?P<dir>later|earlier|after|before|afterwards?|prior(?:\s+to)?)\b
        |(?P<the>the\s+(?:next|following|previous|preceding)\s+(?P<u2>day|week|month|year|morning|evening|night))
        |(?P<that>(?:that|the\s+same)\s+(?:day|night|morning|evening|week|month|year))
        |(?P<tdb>the\s+day\s+(?:before|after))(?!\s+(?:yesterday|tomorrow))""",
    1,
)
def _offset(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("the"):
        w = m.group("the").lower()
        u2 = m.group("u2").lower()
        sign = 1 if ("next" in w or "following" in w) else -1
        if u2 in {"morning", "evening", "night"}:
            return "TIME", {"k": "offset", "u": "D", "n": sign, "dir": "later", "part": DAYPARTS[u2]}
        return "DATE", {"k": "offset", "u": UNITS[u2], "n": sign, "dir": "later"}
    if m.group("that"):
        w = m.group("that").lower().split()[-1]
        if w in DAYPARTS:
            return "TIME", {"k": "offset", "u": "D", "n": 0, "dir": "later", "part": DAYPARTS[w]}
        return "DATE", {"k": "offset", "u": UNITS[w], "n": 0, "dir": "later"}
    if m.group("tdb"):
        w = m.group("tdb").lower()
        return "DATE", {"k": "offset", "u": "D", "n": 1 if w.endswith("after") else -1, "dir": "later"}
    nt = m.group("n").lower()
    n = 1 if nt == "the" else parse_number(nt)
    if n is None or (nt == "the" and m.group("u").lower().endswith("s")):
        return None
    unit = UNITS[m.group("u").lower().rstrip("s")]
    d = m.group("dir").lower()
    if nt == "the" and d not in {"before", "after"}:
        return None
    if d.startswith("prior"):
        d = "before"
    if d.startswith("afterward"):
        d = "later"
    # "a day after <X>": X happened n units before the clause's own time, and vice versa
    return "DATE", {"k": "offset", "u": unit, "n": n, "dir": d}


# Durations: "more than 9 months", "the past three years", "two-day", "five hours"
@rule(
    "duration",
    rf"""(?:(?P<mod>{MODS})\s+)?(?P<the>the\s+|a\s+|an\s+|its\s+|their\s+)?(?:(?P<qual>past|last|next|first|coming|previous|following|latest|final|remaining|entire|whole|full|initial|year-earlier|ensuing|same)\s+)?
        (?P<n>{NUMBER_RE})(?:\s+(?:or|to|and)\s+(?P<n2>{NUMBER_RE}))?(?:\s+(?:more|additional|full|straight|consecutive))?[-\s]+(?P<u>{UNIT_RE})(?P<suf>-long)?\b(?!-)""",
    0,
)
def _duration(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    nt = m.group("n").lower()
    unit_word = m.group("u").lower()
    uw = "century" if unit_word.startswith("centur") else ("millennium" if unit_word.startswith("millenni") else unit_word.rstrip("s"))
    if uw == "second" and nt in {"a", "an"} and not m.group("mod"):
        return None
    unit = UNITS[uw]
    n = parse_number(nt)
    after = text[m.end() : m.end() + 14].lower()
    if re.match(r"\s+(?:old|of\s+age)\b", after):
        return None  # an age
    if unit == "Q" and re.match(r"\s+of\s+(?!(?:fiscal\s+)?(?:19|20)\d\d)", after):
        return None  # "three-quarters of its food": a fraction
    if nt in {"a", "an"}:
        before = text[max(0, m.start() - 12) : m.start()].lower()
        # "$5 million a year", "twice a day": a rate
        if re.search(r"(?:\d|million|billion|thousand|percent|%|times|twice|once)\s*$", before) and not m.group("mod"):
            return "SET", {"k": "lit", "v": _dur_value(1, unit)}
    if nt in {"the"}:
        return None
    if n is None and not unit_word.endswith("s") and unit_word not in {"century"}:
        return None
    if nt in {"some"} and not unit_word.endswith("s"):
        return None
    if n is None:
        return "DURATION", {"k": "lit", "v": _dur_value(None, unit)}
    qual = (m.group("qual") or "").lower()
    if m.group("n2"):
        n2 = parse_number(m.group("n2"))
        if n2 is not None and n2 != n:
            return "DURATION", {"k": "lit", "v": _dur_value(None, unit)}
    del qual
    sem: Sem = {"k": "lit", "v": _dur_value(n, unit)}
    the = m.group("the")
    if the and not m.group("mod") and not m.group("qual") and re.search(r"\w-" + re.escape(unit_word), m.group(0), re.IGNORECASE):
        sem["_trim"] = m.start("the") - m.start() + len(the)
    return "DURATION", sem


@rule(
    "vague_duration",
    rf"""(?:(?P<mod>{MODS})\s+)?(?:(?P<the>the|its)\s+)?(?:(?P<qual>past|last|next|coming|recent|following|ensuing|previous|early|first|final)\s+)?
        (?:(?:few|several|many|couple\s+of)\s+)?(?P<u>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)\b(?:-long)?(?!\s+(?:old|ago))(?!-)""",
    -1,
)
def _vague_duration(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    u = m.group("u").lower()
    unit = UNITS["century" if u.startswith("centur") else u[:-1]]
    qual = (m.group("qual") or "").lower()
    whole = m.group(0).lower()
    if unit == "Q" and whole.strip() == "quarters":
        return None  # "living quarters"
    before = text[max(0, m.start() - 20) : m.start()].lower()
    if re.search(r"(?:\d|\b(?:" + NUMBER_RE[3:-1] + r"))[-\s]*$", before):
        return None  # part of a number phrase we did not parse
    if qual in {"recent", "past", "last"} and unit in {"Y", "DE"} and "few" not in whole and "several" not in whole:
        return "DATE", {"k": "lit", "v": "PAST_REF"}
    if qual in {"coming", "next"} and unit in {"Y", "DE", "Q"} and "few" not in whole:
        return "DATE", {"k": "lit", "v": "FUTURE_REF"}
    return "DURATION", {"k": "lit", "v": _dur_value(None, unit)}


def _dur_value(n: int | None, unit: str) -> str:
    num = "X" if n is None else str(n)
    if unit in {"H", "MIN", "S"}:
        return f"PT{num}{'M' if unit == 'MIN' else unit}"
    if unit == "DE":
        return f"P{num}0Y" if n is not None else "PXDE"
    if unit == "CE":
        return f"P{num}00Y" if n is not None else "PXCE"
    if unit == "ML":
        return f"P{num}000Y" if n is not None else "PXML"
    if unit == "FN":
        return f"P{2 * n}W" if n is not None else "PXW"
    if unit == "WE":
        return f"P{2 * n}D" if n is not None else "PXD"
    return f"P{num}{unit}"


# Clock times: "3 p.m.", "11:30 a.m. local time", "9 a.m. Tuesday", "noon Friday"
@rule(
    "clock",
    rf"""(?P<h>[012]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC|[ECMP]T|local\s+time))?
        (?:,?\s+(?:on\s+)?(?P<day>{WEEKDAY_RE}|yesterday|today|tomorrow))?
        |(?P<word>noon|midnight|midday)(?:,?\s+(?:on\s+)?(?P<day2>{WEEKDAY_RE}|yesterday|today|tomorrow))?""",
    2,
)
def _clock(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("word"):
        w = m.group("word").lower()
        hh, mm = (24, 0) if w == "midnight" else (12, 0)
        day = m.group("day2")
    else:
        hh = int(m.group("h"))
        mm = int(m.group("mi") or 0)
        ap = m.group("ap").lower()
        if hh > 12 and ap != "o'clock":
            return None
        if ap.startswith("p") and hh < 12:
            hh += 12
        if ap.startswith("a") and hh == 12:
            hh = 0
        day = m.group("day")
    t = f"{hh:02d}:{mm:02d}"
    sem: Sem
    if day and day.lower() in {"yesterday", "today", "tomorrow"}:
        sem = {"k": "rel", "u": "D", "n": {"yesterday": -1, "today": 0, "tomorrow": 1}[day.lower()], "t": t}
    elif day:
        sem = {"k": "wd", "wd": weekday_number(day), "rel": None, "t": t}
    else:
        sem = {"k": "rel", "u": "D", "n": 0, "t": t, "clock_only": True}
    return "TIME", sem


# Sets: "every day", "each year", "daily", "annually"
_SET_WORDS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "nightly": "P1D",
    "hourly": "PT1H",
    "biweekly": "P2W",
}


@rule(
    "set",
    rf"""(?P<q>every|each|per|once\s+a|twice\s+a)\s+(?P<u>day|week|month|year|quarter|hour|minute|night|morning|weekend|{WEEKDAY_RE}|{MONTH_RE}|{SEASON_RE})\b
        |(?P<w>daily|weekly|monthly|annually|yearly|nightly|hourly|biweekly)\b""",
    1,
)
def _set(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if m.group("w"):
        w = m.group("w").lower()
        after = text[m.end() : m.end() + 2]
        if after.startswith("-"):
            return None
        return "SET", {"k": "lit", "v": _SET_WORDS[w]}
    u = m.group("u").lower().rstrip(".")
    if u in {"day", "night", "morning"}:
        return "SET", {"k": "lit", "v": "P1D"}
    if u in UNITS:
        return "SET", {"k": "lit", "v": _dur_value(1, UNITS[u])}
    try:
        return "SET", {"k": "lit", "v": f"XXXX-WXX-{weekday_number(u) + 1}"}
    except KeyError:
        pass
    try:
        return "SET", {"k": "lit", "v": f"XXXX-{month_number(u):02d}"}
    except KeyError:
        pass
    if u in SEASONS:
        return "SET", {"k": "lit", "v": f"XXXX-{SEASONS[u]}"}
    return None


# Holidays with a fixed or computable date
_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
}


@rule(
    "holiday",
    rf"(?P<pre>(?:last|next|this)\s+)?(?P<h>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year[’']s\s+(?:Eve|Day)|Halloween|Valentine[’']s\s+Day|Independence\s+Day|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?)(?:\s+(?P<y>{YEAR4}))?\b",
    1,
)
def _holiday(m: re.Match[str], text: str) -> tuple[str, Sem] | None:
    if not _cap(m.group("h")):
        return None
    h = re.sub(r"\s+", " ", m.group("h").lower()).replace("’", "'")
    pre = (m.group("pre") or "").strip().lower()
    rel = {"last": -1, "next": 1, "this": 0}.get(pre)
    y = int(m.group("y")) if m.group("y") else None
    if h.startswith("thanksgiving"):
        return "DATE", {"k": "holiday", "h": "thanksgiving", "y": y, "rel": rel}
    if h.startswith("easter"):
        return "DATE", {"k": "holiday", "h": "easter", "y": y, "rel": rel}
    mo, d = _HOLIDAYS[h]
    return "DATE", {"k": "date", "y": y, "m": mo, "d": d, "rel": rel}


def _easter(y: int) -> date:
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def _holiday_date(name: str, y: int) -> date:
    if name == "easter":
        return _easter(y)
    first = date(y, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


# --------------------------------------------------------------------------- recognition
# Rules that can only match near a trigger word run only in windows around those words
# (the grammar's cost is then paid on a small part of a long text).
_UNIT_TRIGGER = re.compile(UNIT_RE[:-1] + "|" + DAYPART_RE[3:-1] + r"|ago)\b", re.IGNORECASE)
_MONTH_TRIGGER = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_WEEKDAY_TRIGGER = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun|yesterday|today|tomorrow)", re.IGNORECASE)
_TRIGGERS: dict[str, tuple[re.Pattern[str], int, int]] = {
    "duration": (_UNIT_TRIGGER, 60, 12),
    "vague_duration": (_UNIT_TRIGGER, 50, 12),
    "ago": (_UNIT_TRIGGER, 60, 12),
    "offset": (_UNIT_TRIGGER, 45, 25),
    "rel_period": (_UNIT_TRIGGER, 60, 12),
    "mdy": (_MONTH_TRIGGER, 40, 40),
    "dmy": (_MONTH_TRIGGER, 40, 40),
    "month": (_MONTH_TRIGGER, 40, 20),
    "month_year": (_MONTH_TRIGGER, 40, 30),
    "month_rel_year": (_MONTH_TRIGGER, 40, 30),
    "weekday": (_WEEKDAY_TRIGGER, 30, 20),
    "day_part": (_WEEKDAY_TRIGGER, 30, 30),
}


def _windows(text: str, trigger: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in trigger.finditer(text):
        lo, hi = max(0, m.start() - before), min(len(text), m.end() + after)
        # widen to word boundaries so no match is cut
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _matches(name: str, pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    trig = _TRIGGERS.get(name)
    if trig is None:
        return list(pattern.finditer(text))
    out: list[re.Match[str]] = []
    for lo, hi in _windows(text, *trig):
        out.extend(pattern.finditer(text, lo, hi))
    return out


def find(text: str) -> list[Timex]:
    """Temporal expressions in ``text`` (spans, types and semantic forms; values unresolved)."""
    cands: list[tuple[int, int, int, str, Sem]] = []
    for _name, pattern, handler, priority in RULES:
        for m in _matches(_name, pattern, text):
            if m.end() == m.start():
                continue
            s, e = m.start(), m.end()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] == "-" and _name not in {"month"}):
                continue
            if e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
                continue
            out = handler(m, text)
            if out is None:
                continue
            typ, sem = out
            s += int(sem.pop("_trim", 0))
            # trim trailing punctuation/space captured by optional groups
            while e > s and text[e - 1] in " ,\n\t":
                e -= 1
            cands.append((s, e, priority, typ, sem))
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Timex] = []
    for s, e, _p, typ, sem in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(Timex(start=s, end=e, text=text[s:e], type=typ, sem=sem))
    chosen.sort(key=lambda t: t.start)
    return chosen


# --------------------------------------------------------------------------- tense
_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|'ll|going\s+to|plans?\s+to|planned|planning|scheduled|expects?\s+to|expected\s+to|is\s+to|are\s+to|"
    r"due\s+to|would\s+(?:be\s+)?(?:hold|meet|begin|start|travel|visit|take|arrive)|upcoming|next|set\s+to|intends?\s+to|hopes?\s+to|"
    r"aims?\s+to)\b",
    re.IGNORECASE,
)
_PAST_NEAR = re.compile(r"\b(?:was|were|had|did|\w{3,}ed)\b", re.IGNORECASE)
_PAST = re.compile(
    r"\b(?:said|says|told|was|were|had|did|been|announced|reported|came|went|took|made|met|began|left|held|gave|saw|"
    r"won|lost|sent|spoke|wrote|ago|earlier|last|\w{3,}ed)\b",
    re.IGNORECASE,
)


def clause_tense(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> str:
    """'future', 'past' or 'none' for the clause around text[start:end] (within [lo, hi))."""
    hi = len(text) if hi is None else hi
    left = text[max(lo, start - 90) : start]
    right = text[end : min(hi, end + 50)]
    # stay within the clause: cut at the last strong boundary on each side
    left = re.split(r"[;:.!?]\s|,\s+(?:and|but|while|whereas)\s", left)[-1]
    right = re.split(r"[;:.!?]\s|,\s+(?:and|but|while)\s", right)[0]
    if re.search(r"\b(?:until|till|as\s+(?:soon|early)\s+as|by)\s+(?:\S+\s+){0,3}$", left[-40:], re.IGNORECASE) and not _PAST_NEAR.search(left[-40:]):
        return "future"
    # the nearest tense marker decides (markers to the left count a little more: "said on Friday")
    best: tuple[float, str] | None = None
    for rx, label in ((_FUTURE, "future"), (_PAST, "past")):
        for m in rx.finditer(left):
            dist = float(len(left) - m.end())
            if best is None or dist < best[0]:
                best = (dist, label)
        for m in rx.finditer(right):
            dist = 1.5 * m.start() + 5
            if best is None or dist < best[0]:
                best = (dist, label)
    if best and best[1] == "past":
        # "will be held on Friday": a future auxiliary governs the participle after it
        tail = re.split(r",\s|\bthat\b|\bwho\b|\bwhich\b", left[-45:])[-1]
        if _FUTURE.search(tail) and not re.search(r"\b(?:said|says|told|announced)\b", tail):
            return "future"
    return best[1] if best else "none"


# --------------------------------------------------------------------------- resolution
def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _shift(d: date, unit: str, n: int) -> date:
    if unit == "D":
        return d + timedelta(days=n)
    if unit in {"W", "WE"}:
        return d + timedelta(weeks=n)
    if unit == "FN":
        return d + timedelta(weeks=2 * n)
    if unit in {"M", "Q"}:
        y, m = _add_months(d.year, d.month, n * (3 if unit == "Q" else 1))
        day = min(d.day, 28)
        return date(y, m, day)
    if unit in {"Y", "DE", "CE", "ML"}:
        k = {"Y": 1, "DE": 10, "CE": 100, "ML": 1000}[unit]
        try:
            return d.replace(year=d.year + n * k)
        except ValueError:
            return d.replace(year=d.year + n * k, day=28)
    return d


def _at_unit(d: date, unit: str, ago: bool = False) -> str:
    """The value of date ``d`` at the granularity of ``unit``."""
    if unit in {"D", "H", "MIN", "S"}:
        return d.isoformat()
    if unit in {"W", "FN"}:
        return _week(d)
    if unit == "WE":
        return _week(d) + "-WE"
    if unit == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "Q":
        return f"{d.year:04d}-Q{_quarter_of(d)}"
    if unit == "Y":
        return f"{d.year:04d}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def _choose_year(m: int, d: int | None, anchor: date, tense: str, rel: int | None) -> int:
    """The year of month ``m`` (day ``d``) for a date written without one: the candidate
    nearest the anchor, with the clause's tense breaking near-ties ("last March" and "next
    March" point one way)."""
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cands.append(date(y, m, d if d is not None else 15))
        except ValueError:
            continue
    if not cands:
        return anchor.year
    if d is None:
        key_anchor = anchor.year * 12 + anchor.month
        months = {c.year: c.year * 12 + c.month - key_anchor for c in cands}
        if rel == -1:
            past = [y for y, k in months.items() if k < 0]
            return max(past) if past else anchor.year
        if rel == 1:
            fut = [y for y, k in months.items() if k > 0]
            return min(fut) if fut else anchor.year
        if rel == 0:
            return anchor.year

        def mcost(y: int) -> float:
            k = months[y]
            pen = 6.0 if (tense == "past" and k > 0) or (tense == "future" and k < 0) else 0.0
            if tense == "none" and k > 0:
                pen = 3.0  # news reports the past more often than it announces
            return abs(k) + pen

        return min(months, key=mcost)
    if rel == -1:
        past_days = [c for c in cands if c < anchor]
        return max(past_days).year if past_days else anchor.year
    if rel == 1:
        fut_days = [c for c in cands if c > anchor]
        return min(fut_days).year if fut_days else anchor.year

    def cost(c: date) -> float:
        k = (c - anchor).days
        pen = 200.0 if (tense == "past" and k > 3) or (tense == "future" and k < -3) else 0.0
        if tense == "none" and k > 3:
            pen = 30.0  # news reports the past more often than it announces
        return abs(k) + pen

    return min(cands, key=cost).year


def resolve_weekday(wd: int, anchor: date, tense: str, rel: int | None) -> date:
    delta = wd - anchor.weekday()
    if rel == -1:
        return anchor + timedelta(days=(delta - 7) if delta >= 0 else delta)
    if rel == 1:
        return anchor + timedelta(days=(delta + 7) if delta <= 0 else delta)
    if rel == 0:
        return anchor + timedelta(days=delta)
    if delta == 0:
        return anchor
    if tense == "future":
        return anchor + timedelta(days=delta if delta > 0 else delta + 7)
    # news default: a bare weekday refers to the past week
    return anchor + timedelta(days=delta if delta < 0 else delta - 7)


def _part(value: str, sem: Sem) -> str:
    if sem.get("t"):
        return f"{value}T{sem['t']}"
    if sem.get("part"):
        return f"{value}{sem['part']}"
    return value


def resolve(sem: Sem, anchor: date | None, tense: str = "none", ref: date | None = None, ctx: dict[str, Any] | None = None) -> str:
    """The TIMEX3 value of a semantic form against ``anchor`` (None: leave relative parts open).

    ``ref`` is the date of the expression an offset ("a day after") is anchored to;
    ``ctx`` carries document state (the last quarter mentioned, for "the quarter").
    """
    ctx = ctx if ctx is not None else {}
    k = sem["k"]
    if k == "lit":
        return str(sem["v"])
    if k == "decade":
        base = anchor.year // 100 if anchor else 19
        dec = int(sem["d"])
        if anchor and dec * 10 > anchor.year % 100:
            base -= 1
        return f"{base:02d}{dec}"
    if k == "date":
        y, m, d = sem.get("y"), sem.get("m"), sem.get("d")
        if y is None and sem.get("yrel") is not None:
            y = anchor.year + sem["yrel"] if anchor else None
        if m is None:
            return f"{y:04d}" if y is not None else "XXXX"
        if y is None:
            if anchor is not None:
                y = _choose_year(m, d, anchor, tense, sem.get("rel"))
            elif d is not None and sem.get("wd") is not None:
                y = None
        ys = f"{y:04d}" if y is not None else "XXXX"
        if d is None:
            return _part(f"{ys}-{m:02d}", sem)
        return _part(f"{ys}-{m:02d}-{d:02d}", sem)
    if k == "season":
        s = sem["s"]
        y = sem.get("y")
        if y is None and anchor is not None:
            if sem.get("yrel") is not None:
                y = anchor.year + sem["yrel"]
            else:
                y = _season_year(s, anchor, tense, sem.get("rel"))
        return f"{y:04d}-{s}" if y is not None else f"XXXX-{s}"
    if k == "quarter":
        if sem.get("ref"):
            last = None if sem.get("latest") else ctx.get("quarter")
            if last:
                y, q = int(last[:4]), int(last[-1])
            elif anchor is not None:
                cur = date(anchor.year, anchor.month, 1)
                y, q = cur.year, _quarter_of(cur)
                if not sem.get("current"):
                    y, mo = _add_months(y, (q - 1) * 3 + 1, -3)
                    q = (mo - 1) // 3 + 1
            else:
                return "XXXX-QX"
            y += sem.get("yrel") or 0
            return f"{y:04d}-Q{q}"
        q = int(sem["q"])
        y = sem.get("y")
        if y is None and anchor is not None:
            y = anchor.year + (sem.get("yrel") or 0)
            if sem.get("yrel") is None and not sem.get("half"):
                cur_q = _quarter_of(anchor)
                if q > cur_q and tense != "future":
                    y -= 1
        ys = f"{y:04d}" if y is not None else "XXXX"
        return f"{ys}-H{q}" if sem.get("half") else f"{ys}-Q{q}"
    if k == "yearago":
        last = ctx.get("quarter")
        if last and ctx.get("quarter_near"):
            return f"{int(last[:4]) - 1:04d}-Q{last[-1]}"
        return f"{anchor.year - 1:04d}" if anchor else "XXXX"
    if k == "holiday":
        if anchor is None and sem.get("y") is None:
            return "XXXX-XX-XX"
        y = sem.get("y")
        if y is None:
            assert anchor is not None
            cands = [_holiday_date(sem["h"], yy) for yy in (anchor.year - 1, anchor.year, anchor.year + 1)]
            rel = sem.get("rel")
            if rel == -1 or (rel is None and tense == "past"):
                past = [c for c in cands if c <= anchor]
                return max(past).isoformat()
            if rel == 1 or (rel is None and tense == "future"):
                return min(c for c in cands if c >= anchor).isoformat()
            return _holiday_date(sem["h"], anchor.year).isoformat()
        return _holiday_date(sem["h"], int(y)).isoformat()
    if k == "wd":
        if anchor is None:
            return _part(f"XXXX-WXX-{sem['wd'] + 1}", sem)
        return _part(resolve_weekday(sem["wd"], anchor, tense, sem.get("rel")).isoformat(), sem)
    if k == "rel":
        u = sem["u"]
        n = sem.get("n")
        if anchor is None:
            return _part({"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(u, "XXXX"), sem)
        if n is None:  # "the weekend": the nearest one in the clause's direction
            if tense == "future":
                day = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
            else:
                day = anchor - timedelta(days=(anchor.weekday() - 5) % 7 if anchor.weekday() >= 5 else anchor.weekday() + 2)
            return _week(day) + "-WE"
        day = _shift(anchor, u, n)
        if sem.get("ago") and u in {"DE", "CE"}:
            u = "Y"
        return _part(_at_unit(day, u), sem)
    if k == "offset":
        ref_day = ref or anchor
        if ref_day is None:
            return "XXXX-XX-XX" if sem["u"] == "D" else "XXXX"
        n = int(sem["n"])
        direction = sem.get("dir")
        # "<n> after X": X is n before the clause's time; "<n> later": n after the reference
        sign = {"later": 1, "earlier": -1, "after": -1, "before": 1}.get(str(direction), 1)
        day = _shift(ref_day, sem["u"], sign * n)
        return _part(_at_unit(day, sem["u"]), sem)
    return "XXXX"


def _season_year(s: str, anchor: date, tense: str, rel: int | None) -> int:
    start = SEASON_START[s]
    # the season containing or preceding the anchor month
    m = anchor.month
    in_season = (m - start) % 12 < 3
    if rel == -1:
        # the last completed season of that name
        if s == "WI":
            return anchor.year - 1 if m >= 3 else anchor.year - 2
        return anchor.year if m >= start + 3 else anchor.year - 1
    if rel == 1:
        if s == "WI":
            return anchor.year
        return anchor.year if m < start else anchor.year + 1
    if s == "WI" and m < 3:
        return anchor.year - 1
    if rel == 0 or in_season:
        return anchor.year
    if tense == "past":
        if s == "WI":
            return anchor.year - 1
        return anchor.year if m >= start else anchor.year - 1
    if tense == "future":
        return anchor.year if m < start else anchor.year + 1
    return anchor.year


# --------------------------------------------------------------------------- whole texts
_SENT = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z•\-*])")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Gov|Sen|Rep|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|U\.S|U\.K|U\.N|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|a\.m|p\.m|[A-Z])\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a plain text without spaCy (a rule-based splitter for news prose)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT.finditer(text):
        left = text[start : m.start()]
        if _ABBREV.search(left) and "\n" not in m.group(0):
            continue
        if left.strip():
            s = start + (len(left) - len(left.lstrip()))
            spans.append((s, start + len(left.rstrip())))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        s = start + (len(tail) - len(tail.lstrip()))
        spans.append((s, start + len(tail.rstrip())))
    return spans


def _start_of(value: str) -> date | None:
    """The first day of a dated value of any precision ('1998', '1998-10', '1998-W42', '1998-10-23')."""
    d = _day_of(value)
    if d is not None:
        return d
    m = re.match(r"^(\d{4})(?:-(\d\d))?(?!\d|-W|-Q|-H|-[A-Z])", value)
    if m:
        return date(int(m.group(1)), int(m.group(2) or 1), 1)
    m = re.match(r"^(\d{4})-W(\d\d)", value)
    if m:
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    return None


def _day_of(value: str) -> date | None:
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def tag(text: str, anchor: date | None, sentences: list[tuple[int, int]] | None = None) -> list[Timex]:
    """Recognise and normalise every temporal expression of ``text`` against ``anchor``."""
    timexes = find(text)
    if sentences is None:
        sentences = split_sentences(text)
    ctx: dict[str, Any] = {}
    si = 0
    bounds: list[tuple[int, int]] = []
    last_quarter_at = -10_000
    # pass 1: everything anchored to the document date
    for t in timexes:
        while si < len(sentences) - 1 and sentences[si][1] <= t.start:
            si += 1
        lo, hi = sentences[si] if sentences else (0, len(text))
        bounds.append((lo, hi))
        t.tense = clause_tense(text, t.start, t.end, lo, hi)
        if t.sem["k"] == "offset":
            continue
        if t.sem["k"] == "yearago":
            ctx["quarter_near"] = t.start - last_quarter_at < 400
        t.value = resolve(t.sem, anchor, t.tense, ctx=ctx)
        if re.match(r"^\d{4}-Q\d$", t.value):
            if t.sem["k"] == "quarter" and not t.sem.get("yrel") and t.sem.get("y") is None:
                ctx["quarter"] = t.value
            last_quarter_at = t.end
    # pass 2: offsets, anchored to another expression ("a day after ...", "two days later")
    for i, t in enumerate(timexes):
        if t.sem["k"] != "offset":
            continue
        lo, hi = bounds[i]
        ref_idx, ref = _offset_ref(timexes, i, lo, hi)
        t.anchor = ref_idx
        t.value = resolve(t.sem, anchor, t.tense, ref=ref, ctx=ctx)
    return timexes


def _offset_ref(timexes: list[Timex], i: int, lo: int, hi: int) -> tuple[int | None, date | None]:
    """The expression an offset is anchored to: for "n after X" the clause's own dated
    expression in the same sentence, for "n later" the last dated expression before it."""
    t = timexes[i]
    if t.sem.get("dir") in {"after", "before"}:
        best: tuple[int, int, date] | None = None
        for j, o in enumerate(timexes):
            if j == i or o.end <= lo or o.start >= hi or o.sem["k"] == "offset":
                continue
            d = _day_of(o.value)
            if d is not None:
                dist = abs(o.start - t.start) + (0 if j < i else 1)
                if best is None or dist < best[0]:
                    best = (dist, j, d)
        if best is not None:
            return best[1], best[2]
    need_day = t.sem.get("u") in {"D", "H", "MIN", "S"}
    for j in range(i - 1, -1, -1):
        d = _day_of(timexes[j].value) if need_day else _start_of(timexes[j].value)
        if d is not None:
            return j, d
    return None, None
