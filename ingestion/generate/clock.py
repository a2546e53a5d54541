"""Wall-clock helpers: every business event happens at a local (Europe/Berlin) time of day.

The generator thinks in local days (a shop's day ends at local midnight) and stores UTC. Local
times between 02:00 and 03:00 are never produced: on the two DST switch days that hour is
missing or ambiguous, and a `de` export (naive local time) could not be read back unambiguously.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(days=1)


def at(day: date, seconds: int) -> datetime:
    """Naive UTC datetime of local wall-clock `seconds` after midnight of `day` (hour 2 skipped)."""
    seconds = int(seconds) % 86400
    if 7200 <= seconds < 10800:
        seconds += 3600
    local = datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=BERLIN)
    return local.astimezone(UTC).replace(tzinfo=None)


def local(moment: datetime) -> datetime:
    """Aware local time of a naive UTC datetime."""
    return moment.replace(tzinfo=UTC).astimezone(BERLIN)


def local_day(moment: datetime) -> date:
    return local(moment).date()


def is_ambiguous(local_time: datetime) -> bool:
    """True for wall-clock times that DST makes missing or double (never written to `de` files)."""
    naive = local_time.replace(tzinfo=None)
    return BERLIN.utcoffset(naive.replace(fold=0)) != BERLIN.utcoffset(naive.replace(fold=1))


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += DAY


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - DAY


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_business_day(day: date) -> date:
    """Banks and warehouses work Monday to Friday."""
    while day.weekday() >= 5:
        day += DAY
    return day
