"""Display dates to ISO 8601: ``posted_iso`` on every comment record.

A page shows either an absolute date ("June 2, 2023 9:41 am", "2023-06-02T09:41:00+01:00")
or a relative one ("10 months ago"). Absolute dates are parsed (the standard library for ISO
and WordPress's usual format, dateutil for the rest) and written with their UTC offset when
the page gives one, without one when it does not. A relative date is resolved against the
moment the page was saved, when that is known (``--saved-at``, or a ``saved_at`` in threads'
own JSON); without it the result is None, never a guess from today's date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from threads.errors import OptionError

#: Formats tried before dateutil (a million comments share a few formats).
_FORMATS = ("%d %B %Y %H:%M", "%Y-%m-%d %H:%M:%S")
_MONTHS = {
    name: number
    for number, month in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
    for name in (month, month[:3])
}
_RELATIVE = re.compile(
    r"^(?:(an?|one|\d+)\s+(second|minute|hour|day|week|month|year)s?\s+ago|"
    r"(just now|now|today|yesterday))$",
    re.I,
)
_UNITS = {unit: f"{unit}s" for unit in ("second", "minute", "hour", "day", "week", "month", "year")}
_EPOCH = re.compile(r"(\d{9,10}(?:\.\d+)?)|(\d{12,13})")
# Two defaults that differ in every field: a date string that leaves a field out parses
# differently under each, so it is refused (dateutil would fill it in from today).
_DEFAULTS = (datetime(2001, 1, 1, 0, 0, 0), datetime(2002, 2, 2, 0, 0, 0))
# WordPress's usual "June 2, 2023 9:41 am", read without strptime (ten times faster).
_WORDPRESS = re.compile(
    r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})(?: (\d{1,2}):(\d{2}) ?([apAP])\.?[mM]\.?)?"
)


def parse_absolute(text: str) -> datetime | None:
    """The moment an absolute date names (with its offset when it gives one), or None when
    ``text`` is no date or leaves out the year, month or day."""
    text = " ".join(text.split())
    if not text or len(text) > 80:
        return None
    wordpress = _WORDPRESS.fullmatch(text)
    if wordpress is not None:
        moment = _wordpress(*wordpress.groups())
        if moment is not None:
            return moment
    if text[0].isdigit():
        epoch = _EPOCH.fullmatch(text)
        if epoch is not None:  # Unix time (a "timestamp" column): seconds, or milliseconds
            seconds = float(text) / (1000 if epoch.group(2) else 1)
            return datetime.fromtimestamp(seconds, UTC)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    for form in _FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    # dateutil only here: its parser takes a tenth of a second to import, and every
    # ``import threads`` reaches this module.
    from dateutil.parser import parse as parse_date

    try:
        first, second = (parse_date(text, default=d) for d in _DEFAULTS)
        # 02/06/2023: June or February? Refused unless both readings agree.
        day_first = parse_date(text, default=_DEFAULTS[0], dayfirst=True)
    except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
        return None
    return first if first.date() == second.date() == day_first.date() else None


def _wordpress(
    month: str, day: str, year: str, hour: str | None, minute: str | None, half: str | None
) -> datetime | None:
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    h = 0 if hour is None else int(hour) % 12 + (12 if half in ("p", "P") else 0)
    try:
        return datetime(int(year), number, int(day), h, int(minute or 0))
    except ValueError:  # February 30, 13:00 pm
        return None


def parse_relative(text: str, saved_at: datetime) -> datetime | None:
    """``saved_at`` minus the age ``text`` gives ("10 months ago", "yesterday"), or None."""
    match = _RELATIVE.match(" ".join(text.split()))
    if match is None:
        return None
    count, unit, word = match.groups()
    if word is not None:
        return saved_at - timedelta(days=1) if word.lower() == "yesterday" else saved_at
    from dateutil.relativedelta import relativedelta  # see parse_absolute

    number = 1 if count.lower() in ("a", "an", "one") else int(count)
    try:
        age = relativedelta(**{_UNITS[unit.lower()]: number})  # type: ignore[arg-type]
        result: datetime = saved_at - age
    except (OverflowError, ValueError):
        return None
    return result


@lru_cache(maxsize=4096)
def posted_iso(posted_at: str | None, posted: str | None, saved_at: str | None) -> str | None:
    """ISO 8601 for a comment's date: ``posted_at`` (the absolute date) first, else ``posted``
    as absolute, else ``posted`` as relative to ``saved_at`` (an ISO string); else None."""
    for text in (posted_at, posted):
        if text:
            moment = parse_absolute(text)
            if moment is not None:
                return moment.isoformat()
    if posted and saved_at:
        moment = parse_relative(posted, datetime.fromisoformat(saved_at))
        if moment is not None:
            return moment.isoformat()
    return None


def check_saved_at(value: str | None) -> str | None:
    """``saved_at`` as ISO 8601, or :class:`OptionError` naming the value."""
    if value is None:
        return None
    moment = parse_absolute(value)
    if moment is None:
        raise OptionError(
            "saved_at", f"must be a date with year, month and day (2024-04-02T10:00); got {value!r}"
        )
    return moment.isoformat()
