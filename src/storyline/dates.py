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


def sort_key(iso: str | None) -> str:
    """A key that sorts partial dates before the days they contain ('2023-09' < '2023-09-01')."""
    return iso or "9999"
