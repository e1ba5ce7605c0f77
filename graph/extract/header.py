"""The header of a document the input *is*: its own number, date, type, issuer and title.

A Vietnamese decision or circular opens with the issuing body in capitals (one or two levels,
"ỦY BAN NHÂN DÂN / TỈNH X" or "UBND TỈNH X / SỞ …"; two ministries for a joint circular), its
number as "Số: N", the place and date line "Place, ngày D tháng M năm Y", the type in capitals
("QUYẾT ĐỊNH", "THÔNG TƯ") and the title under it. Everything from one header to the next is
that document's own text: its "Căn cứ" lines are what it is based on, "… này thay thế …" is
what it replaces, its provisions are its own (see pipeline). A text may hold several documents.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from tttt_kg.graph.vietnamese import fold as fold_text

from .citations import TYPE_WORDS
from .layout import first_between, positions
from .model import Citation, DateMention, OrgMention
from .syllables import is_code

_BEFORE = 400                 # how far above "Số:" the issuing body may be
_AFTER = 900                  # how far below it the place-date line and the type may be
_PLACE_DATE = re.compile(r"\s*[^\n,;.\d]{2,40},\s*")      # "Hà Nội, " before the date
_TYPE_LINE = re.compile(r"\n[ ]*(" + "|".join(sorted(TYPE_WORDS, key=len, reverse=True)) + r")[ ]*(?=\n)")
_BODY_START = re.compile(r"\n[ ]*(?:can cu|theo de nghi|xet de nghi|dieu 1|chuong i|phan i)(?![\w])")


@dataclass
class Header:
    start: int                 # where the header begins (the issuing body's first line)
    citation: Citation         # the document itself


def _line_start(fold: str, pos: int) -> int:
    return fold.rfind("\n", 0, pos) + 1


def _sentence_case(s: str) -> str:
    """A title in capitals in sentence case, its codes (TTLT-BTTTT-BNV) kept."""
    s = " ".join(s.split())
    if not (s.isupper() or s.upper() == s):
        return s
    s = re.sub(r"[^\W\d_][\w&]*", lambda m: m.group() if is_code(m.group()) else m.group().lower(), s)
    return s[:1].upper() + s[1:]


def find_headers(text: str, fold: str, written, cites: list[Citation], dates: list[DateMention],
                 orgs: list[OrgMention]) -> list[Header]:
    """Every "Số: N" header, completed with the date, type, issuers and title around it.

    ``written(start, end)`` is the input's own words for a span of the repaired text."""
    def original_caps(a: int, b: int) -> bool:
        return written(a, b).isupper()
    out: list[Header] = []
    last_end = 0
    running = None
    for c in cites:
        if not c.self_number:
            continue
        lo = max(last_end, c.start - _BEFORE)
        hi = min(len(fold), c.end + _AFTER)
        body = _BODY_START.search(fold, c.end, hi)
        hi = body.start() if body else hi
        # the issuing bodies: organisations above the number on lines of their own, in capitals
        starts = positions(orgs)
        above = [o for o in orgs[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, c.start)]
                 if o.kind == "administrative"
                 and original_caps(o.start, o.end) and _line_start(fold, o.start) == o.start - _indent(fold, o.start)]
        start = above[0].start if above else _line_start(fold, c.start)
        if above:
            c.issuer = above[-1]
            if len(above) > 1 and all(o.type == "ministry" for o in above[-2:]):
                c.issuer, c.co_issuers = above[-2], [above[-1]]         # a joint circular: both ministries
        # the place-date line
        d = first_between(dates, c.end, hi, lambda d: d.precision == "day" and _PLACE_DATE.fullmatch(
            fold, max(c.end, _line_start(fold, d.start)), d.start) is not None)
        if d is not None and c.date is None:
            c.date, c.date_rule = d, "header"
        # the type line and the title under it
        t = _TYPE_LINE.search(fold, c.end, hi)
        if t:
            c.doc_type = TYPE_WORDS[t.group(1)]
            title_start = t.end() + 1
            end = title_start
            while end < hi:
                nl = fold.find("\n", end)
                nl = hi if nl < 0 or nl > hi else nl
                line = text[end:nl].strip()
                if not line or not original_caps(end, nl) or _issuer_line(fold, end, nl, orgs):
                    break
                end = nl + 1
            if end > title_start:
                a, b = title_start, end - 1 if text[end - 1:end] == "\n" else end
                if running is None:
                    running = _running_names(orgs, original_caps)
                c.title = _title(written(a, b), a, b, orgs, running)
                c.title_span = (a, b)
        c.confidence = max(c.confidence, 0.95)
        out.append(Header(start, c))
        last_end = c.end
    return out


def _indent(fold: str, pos: int) -> int:
    ls = _line_start(fold, pos)
    return len(fold[ls:pos]) - len(fold[ls:pos].lstrip(" -"))


def _issuer_line(fold: str, a: int, b: int, orgs: list[OrgMention]) -> bool:
    """A line that is one organisation's name alone: the enacting body ("ỦY BAN NHÂN DÂN TỈNH X")."""
    o = first_between(orgs, a, b)
    return o is not None and fold[a:o.start].strip() == "" and fold[o.end:b].strip(" :") == ""


@lru_cache(maxsize=65536)
def _fold_name(name: str) -> str:
    """fold of an organisation's name, cached: a text names the same bodies again and again."""
    return fold_text(name)


def _running_names(orgs: list[OrgMention], caps) -> list[tuple[str, str]]:
    """(folded name, name) of the bodies the running text names, not in capitals; longest first."""
    return sorted({_fold_name(o.name): o.name for o in orgs if not caps(o.start, o.end)}.items(),
                  key=lambda kv: -len(kv[0]))


def _title(written: str, a: int, b: int, orgs: list[OrgMention], running) -> str:
    """The title in sentence case, organisation names in it spelt as the running text spells them
    (the place recased: "… TỈNH BẮC SƠN" → "… tỉnh Bắc Sơn"); ``running`` is _running_names()."""
    title = _sentence_case(written)
    low = fold_text(title)
    starts = positions(orgs)
    for o in orgs[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]:
        name_low = " ".join(_fold_name(o.name).split())
        i = low.find(name_low)
        if i < 0:
            continue
        spelt = next((name for key, name in running if name_low.startswith(key)), None)
        head = spelt if spelt else o.name
        rest = o.name[len(head):] if spelt else ""
        new = head + rest
        if len(new) == len(name_low):
            title = title[:i] + new + title[i + len(new):]
    return title


_START = attrgetter("start")


def header_at(headers: list[Header], pos: int) -> Citation | None:
    """The document whose own text ``pos`` lies in (the last header at or before it)."""
    i = bisect.bisect_right(headers, pos, key=_START) - 1
    return headers[i].citation if i >= 0 else None
