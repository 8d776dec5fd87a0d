"""Words of the temporal grammar: months, weekdays, seasons, units, number words."""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sept", "sep"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

WEEKDAYS: dict[str, int] = {}  # Monday = 0, as date.weekday()
for _i, _names in enumerate(
    [
        ("monday", "mon"),
        ("tuesday", "tue", "tues"),
        ("wednesday", "wed"),
        ("thursday", "thu", "thur", "thurs"),
        ("friday", "fri"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    ]
):
    for _n in _names:
        WEEKDAYS[_n] = _i

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# First month of each season (northern meteorological seasons, as TIMEX3 uses them)
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

DAYPARTS = {
    "morning": "TMO",
    "afternoon": "TAF",
    "evening": "TEV",
    "night": "TNI",
    "overnight": "TNI",
}

UNITS = {
    "second": "S",
    "minute": "MIN",
    "hour": "H",
    "day": "D",
    "week": "W",
    "weekend": "WE",
    "fortnight": "FN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
    "centurie": "CE",
    "millennium": "ML",
    "millennia": "ML",
}

NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "thousand": 1000,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0,
}
VAGUE_NUMBERS = {"few", "a few", "several", "some", "many", "a number of", "numerous", "multiple", "the"}

ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": 4,
    "final": 4,
}

_UNITS_1_9 = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
NUM_WORD_RE = rf"(?:(?:{_TENS})(?:[-\s](?:{_UNITS_1_9}))?|{_TEENS}|{_UNITS_1_9})"
NUMBER_RE = (
    r"(?:\d+(?:\.\d+)?(?:\s+1/2)?|" + NUM_WORD_RE + r"(?:\s+and\s+a\s+half)?|a\s+couple\s+of|couple\s+of|a\s+dozen|dozens\s+of|"
    r"a\s+hundred|a\s+thousand|a\s+few|few|several|some|many|a|an)"
)


def parse_number(text: str) -> int | None:
    """The integer a number phrase denotes; None for vague ones ('several', 'a few')."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    t = re.sub(r"\s+and a half$|\s+1/2$", "", t)
    if t in VAGUE_NUMBERS or t.startswith("dozens"):
        return None
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    try:
        return int(float(t))
    except ValueError:
        pass
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.|Oct\.?|Nov\.?|Dec\.?)"
)
WEEKDAY_RE = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Mon\.|Tues?\.|Wed\.|Thu(?:rs?)?\.|Fri\.|Sat\.|Sun\.)"
)
SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"
DAYPART_RE = r"(?:morning|afternoon|evening|night|overnight)"


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def weekday_number(text: str) -> int:
    return WEEKDAYS[text.lower().rstrip(".")]
