"""Small date helpers shared by readers, stages and exports.

Dates are ISO strings whose length gives their precision: ``YYYY-MM-DD`` (day),
``YYYY-MM`` (month), ``YYYY`` (year).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from storyline.errors import E, StorylineError
from storyline.model import Precision

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_iso_date(value: str) -> tuple[str, Precision]:
    """Parse a given date (ISO date or datetime, or an RFC 2822 feed date) to (iso, precision)."""
    v = value.strip()
    m = _ISO.match(v)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        try:
            if d:
                return date(int(y), int(mo), int(d)).isoformat(), "day"
            if mo:
                date(int(y), int(mo), 1)
                return f"{y}-{int(mo):02d}", "month"
            return y, "year"
        except ValueError:
            pass
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(v).date().isoformat(), "day"
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00")).date().isoformat(), "day"
    except ValueError as exc:
        raise StorylineError(E.BAD_DATE, value=value) from exc


def precision_of(iso: str | None) -> Precision:
    if not iso:
        return "unknown"
    return {10: "day", 7: "month", 4: "year"}.get(len(iso), "unknown")  # type: ignore[return-value]


def claimable(value: str | None, precision: str | None) -> str | None:
    """The ISO date a timeline may print for a date value of ``precision``: a season is
    stored as its first month (``2022-FA`` -> ``2022-09``) but claims only its year."""
    if value and precision in ("season", "decade") and len(value) > 4:
        return value[:4]
    return value


def sort_key(iso: str | None) -> str:
    """A key that sorts partial dates before the days they contain ('2023-09' < '2023-09-01')."""
    return iso or "9999"


_TIMEX_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_TIMEX_WEEK = re.compile(r"^(\d{4})-W(\d\d)")
_TIMEX_MONTH = re.compile(r"^(\d{4})-(\d\d)$")
_TIMEX_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_TIMEX_QUARTER = re.compile(r"^(\d{4})-([QH])(\d)$")
_TIMEX_YEAR = re.compile(r"^(\d{4})$")
_TIMEX_DECADE = re.compile(r"^(\d{3})X?$")
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def timex_to_iso(value: str | None) -> tuple[str, Precision] | None:
    """A TIMEX3 value as an ISO date and its precision, or None when it names no calendar date.

    ``2022-12-02`` / ``2022-12-02T15:00`` -> day; ``2023-09`` -> month; ``2023-W42`` -> the
    month of that week's Thursday; ``2022-FA`` -> the season's first month, precision
    ``season``; ``2023-Q3`` / ``2023-H1`` -> the year (precision ``year``); ``199`` -> decade.
    Values with unknown parts (``XXXX-12-23``), durations and ``PRESENT_REF`` give None.
    """
    if not value or "X" in value[:4]:
        return None
    m = _TIMEX_DAY.match(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day"
        except ValueError:
            return None
    m = _TIMEX_WEEK.match(value)
    if m:
        try:
            thursday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 4)
        except ValueError:
            return None
        return f"{thursday.year:04d}-{thursday.month:02d}", "month"
    m = _TIMEX_MONTH.match(value)
    if m and 1 <= int(m.group(2)) <= 12:
        return value, "month"
    m = _TIMEX_SEASON.match(value)
    if m:
        return f"{m.group(1)}-{_SEASON_MONTH[m.group(2)]:02d}", "season"
    m = _TIMEX_QUARTER.match(value)
    if m:
        return m.group(1), "year"
    m = _TIMEX_YEAR.match(value)
    if m:
        return value, "year"
    m = _TIMEX_DECADE.match(value)
    if m:
        return m.group(1) + "0", "decade"
    return None
