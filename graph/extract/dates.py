"""Dates as Vietnamese documents write them, found in the folded text.

16/9/2004, 04.02.2008, 16-9-2004, "ngày 16 tháng 9 năm 2004", month only ("tháng 1/2010",
"tháng 1 năm 2010": precision "month"), year only ("năm 2008": precision "year"), with any
whitespace (a line break included) between the parts.
Impossible dates (31/2/2010) are not dates.
"""
from __future__ import annotations

import datetime as dt
import re

from .model import DateMention

_WORDS = re.compile(r"ngay(?<!\wngay)\s+(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?nam\s+(\d{4})(?!\d)")
# the first digit before its look-behind (the same test): the regex engine then skips to digits
_NUMERIC = re.compile(r"(\d(?<![\w/.\-]\d)\d?)\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\w/]|\.\d)")
_MONTH = re.compile(r"thang(?<!\wthang)\s+(\d{1,2})\s*(?:[/.\-]|\s+nam\s+)\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"nam(?<!\wnam)\s+(\d{4})(?![\d/.\-])")
YEARS = range(1900, 2101)


def _date(year: str, month: str, day: str = "1") -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if value.year in YEARS else None


def find_dates(fold: str) -> list[DateMention]:
    """Every date in the folded text, in order; overlapping matches keep the first and longest."""
    found: list[DateMention] = []
    for m in _WORDS.finditer(fold):
        if (d := _date(m.group(3), m.group(2), m.group(1))):
            found.append(DateMention(m.start(), m.end(), d, "day"))
    for m in _NUMERIC.finditer(fold):
        if (d := _date(m.group(4), m.group(3), m.group(1))):
            found.append(DateMention(m.start(), m.end(), d, "day"))
    for m in _MONTH.finditer(fold):
        if (d := _date(m.group(2), m.group(1))):
            found.append(DateMention(m.start(), m.end(), d, "month"))
    for m in _YEAR.finditer(fold):               # "năm 2008": the year only
        if (d := _date(m.group(1), "1")):
            found.append(DateMention(m.start(), m.end(), d, "year"))
    found.sort(key=lambda d: (d.start, -d.end))
    out: list[DateMention] = []
    for d in found:
        if out and d.start < out[-1].end:
            continue
        out.append(d)
    return out
