"""Unit lists after "gồm" / "gồm có", checked against the counts the text states.

"Gồm có Lãnh đạo Sở, 7 phòng chuyên môn (Văn phòng, …, Bưu chính, Viễn thông, …) và 1 đơn vị
sự nghiệp là Trung tâm …": the count phrases ("7 phòng", "07 phòng và 01 đơn vị") say how
many units of each kind the list holds. Commas are ambiguous ("Bưu chính, Viễn thông" may be
one phòng or two), so the count decides: when the pieces outnumber the count, adjacent pieces
are joined, preferring joins the document itself writes elsewhere as one name; every other
reading that fits is kept as an alternative, and a list that cannot fit its count is reported.
"""
from __future__ import annotations

import itertools
import re

from .layout import marked_lines
from .model import UnitItem, UnitList
from .scan import first_matches

# "gồm (có)", a count with its units in brackets ("có 4 phòng chuyên môn (…)"), or a heading "Cơ cấu tổ
# chức" over a list written one unit a line: one pattern each, searched together (scan.first_matches, as fast as
# one literal); the count's match is its first digit, where the list starts
TRIGGERS = [re.compile(r"co cau to chuc(?<![\w]co cau to chuc)[^\n.:]{0,30}:?[ ]*(?=\n)"),
            re.compile(r"gom(?<![\w]gom)(?: co)?(?![\w])\s*:?\s*"),
            re.compile(r"bao gom(?<![\w]bao gom)(?![\w])\s*:?\s*"),
            re.compile(r"\d(?<![\w]\d)(?=\d?\s+(?:phong|don vi|trung tam|chi cuc)(?![\w])[^():.;\n]{0,40}\()")]
_COUNT_TRIGGER = TRIGGERS[-1]
_COUNT = re.compile(r"(\d{1,2})\s+(phong|don vi su nghiep|don vi|trung tam|chi cuc|ban)(?![\w])([^():]*?)"
                    r"(?:\s*\(|\s+la\s+|\s*:\s*|$)")
_SHOWN = {"phong": "phòng", "don vi su nghiep": "đơn vị sự nghiệp", "don vi": "đơn vị", "trung tam": "trung tâm",
          "chi cuc": "chi cục", "ban": "ban"}
_COUNT_TYPES = {"phong": "division", "don vi su nghiep": "public-service-unit", "don vi": "public-service-unit",
                "trung tam": "public-service-unit", "chi cuc": "division", "ban": "division"}
_NAMED = [("lanh dao", "leadership"), ("ban giam doc", "leadership"), ("giam doc", "leadership"),
          ("trung tam", "public-service-unit"), ("van phong", "division"), ("thanh tra", "division"),
          ("phong", "division"), ("chi cuc", "division"), ("ban", "division")]
_SEGMENT_START = re.compile(r"\d{1,2}\s+(?:phong|don vi|trung tam|chi cuc|ban)(?![\w])|lanh dao|ban giam doc|"
                            r"van phong|thanh tra|phong\s|trung tam|chi cuc")
MAX_PIECES = 14
_COUNT_BEFORE = re.compile(r"(\d{1,2})\s+(phong|don vi su nghiep|don vi|trung tam|chi cuc)(?![\w])[^.;:\d]{0,40}$")
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_SEPARATOR = re.compile(r"\s*[,;]\s*(?:va\s+)?|\s+va\s+")


def _sentence_end(fold: str, start: int) -> int:
    m = _SENTENCE_END.search(fold, start)
    return m.start() if m else len(fold)


# where _top_level_splits may do something: a bracket, "," or ";", or a space a separator may start with
_SPLIT_CANDIDATE = re.compile(r"[(),;]|[ ](?=\s*[,;]|\s*va\s)")


def _top_level_splits(fold: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split at ", " "; " and " và " outside brackets, where the next segment starts a unit or a count."""
    cuts, depth, i = [], 0, start
    after = fold[end:end + 100]
    if len(after) - len(after.lstrip()) > 80:          # the candidates' look-ahead would not see far enough
        positions = range(start, end)
    else:
        positions = (m.start() for m in _SPLIT_CANDIDATE.finditer(fold, start, min(len(fold), end + 100)))
    for p in positions:                                # every other position changes nothing
        if p >= end:
            break
        if p < i:
            continue
        ch = fold[p]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            sep = _SEPARATOR.match(fold, p) if ch in " ,;" else None
            if sep and sep.end() > p and _SEGMENT_START.match(fold, sep.end()):
                cuts.append((p, sep.end()))
                i = sep.end()
    segs, pos = [], start
    for a, b in cuts:
        segs.append((pos, a))
        pos = b
    segs.append((pos, end))
    return [(s, e) for s, e in segs if e > s]


def _pieces(text: str, s: int, e: int, sep: str) -> list[tuple[int, int]]:
    out, pos = [], s
    for m in re.finditer(sep, text[s:e]):
        out.append((pos, s + m.start()))
        pos = s + m.end()
    out.append((pos, e))
    return [(a, b) for a, b in ((a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
                               for a, b in out) if b > a]


_COUNTS: dict[str, int] = {}
_COUNTED: list = [None]                  # the text _COUNTS counts in (not its id: a new text may get a freed one's)


def _count(text: str, phrase: str) -> int:
    if _COUNTED[0] is not text or len(_COUNTS) > 4096:
        _COUNTS.clear()
        _COUNTED[0] = text
    found = _COUNTS.get(phrase)
    if found is None:
        found = _COUNTS[phrase] = text.count(phrase)
    return found


def _attested(text: str, start: int, end: int) -> bool:
    """Does the document write these joined pieces elsewhere as one name ("Sở Bưu chính, Viễn thông")?
    A trailing "và …" of the last piece is ignored: "Viễn thông và Công nghệ thông tin" → "Viễn thông"."""
    joined = text[start:end]
    short = joined.split(" và ")[0] if "," in joined.split(" và ")[0] else joined
    return _count(text, joined) > 1 or (short != joined and _count(text, short) > 1)


def _readings(text: str, pieces: list[tuple[int, int]], k: int) -> list[list[tuple[int, int]]]:
    """Every way of joining adjacent pieces into exactly k units, best first."""
    n = len(pieces)
    if k >= n or k < 1 or n > MAX_PIECES:
        return [pieces] if k == n else []
    scored = []
    for cuts in itertools.combinations(range(1, n), k - 1):
        bounds = (0, *cuts, n)
        groups = [(pieces[a][0], pieces[b - 1][1]) for a, b in zip(bounds, bounds[1:])]
        joined_elsewhere = sum(1 for a, b in zip(bounds, bounds[1:]) if b - a > 1
                               and _attested(text, pieces[a][0], pieces[b - 1][1]))
        longest = max(b - a for a, b in zip(bounds, bounds[1:]))
        scored.append((-joined_elsewhere, longest, groups))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [g for _, _, g in scored]


def _named_type(fold: str, s: int) -> str:
    for prefix, typ in _NAMED:
        if fold.startswith(prefix, s):
            return typ
    return "division"


def _ambiguity(text: str, readings: list[list[tuple[int, int]]], count: str) -> str:
    best = readings[0]
    attested = [text[a:b] for a, b in best if "," in text[a:b] and _attested(text, a, b)]
    how = (f"chose the one joining {'; '.join(attested)}, which the document writes elsewhere as one name"
           if attested else "none is written elsewhere as one name: chose the first, check it by hand")
    return f"{len(readings)} readings of the commas give {count}; {how}; the others are kept as alternatives"


def _resolve_by_count(text: str, fold: str, pieces: list[tuple[int, int]], k: int, problems: list[str],
                      alternatives: list[list[str]]) -> list[UnitItem]:
    """Divisions named in a bare list, joined where commas split one name, so that there are k."""
    divisions = [p for p in pieces if _named_type(fold, p[0]) == "division"]
    others = [UnitItem(a, b, text[a:b], _named_type(fold, a)) for a, b in pieces if (a, b) not in divisions]
    readings = _readings(text, divisions, k)
    if not readings:
        problems.append(f"the text states {k} phòng but lists {len(divisions)}: "
                        + ", ".join(text[a:b] for a, b in divisions))
        readings = [divisions]
    elif len(readings) > 1:
        alternatives.extend([[text[a:b] for a, b in r] for r in readings[1:]])
        problems.append(_ambiguity(text, readings, f"{k} phòng"))
    return others + [UnitItem(a, b, text[a:b], "division") for a, b in readings[0]]


def find_unit_lists(text: str, fold: str) -> list[UnitList]:
    out: list[UnitList] = []
    pending: tuple[dict[str, int], int] | None = None
    last_end = -1
    for m in first_matches(TRIGGERS, fold):
        if m.start() < last_end:
            continue                               # "gồm:" of a line inside a list already read
        m_end = m.start() if m.re is _COUNT_TRIGGER else m.end()
        if "\n" in fold[m.start():m_end + 1]:
            lines = marked_lines(fold, m.start())
            if lines:
                ul = _line_list(text, fold, m.start(), lines)
                if ul:
                    out.append(ul)
                    last_end = ul.end
                continue
        start, end = m_end, _sentence_end(fold, m_end)
        segs = _top_level_splits(fold, start, end)
        items: list[UnitItem] = []
        stated: dict[str, int] = {}
        problems: list[str] = []
        alternatives: list[list[str]] = []
        bare: list[tuple[int, int]] = []
        unit_like = 0
        for s, e in segs:
            c = _COUNT.match(fold, s)
            if c and c.start() == s:
                k, typ = int(c.group(1)), _COUNT_TYPES[c.group(2)]
                what = f"{k} {_SHOWN[c.group(2)]}"
                stated[typ] = stated.get(typ, 0) + k
                unit_like += 2 if c.end() < e else 1      # "7 phòng (…)" is a unit list on its own
                body_start = c.end()
                if fold[c.end() - 1:c.end()] == "(" or fold[s:c.end()].rstrip().endswith("("):
                    close = fold.find(")", body_start, e + 1)
                    body_end = close if close >= 0 else e
                    pieces = _pieces(text, body_start, body_end, r",")
                    readings = _readings(text, pieces, k)
                    if not readings:
                        split_va = _pieces(text, body_start, body_end, r",|\s+và\s+")
                        readings = _readings(text, split_va, k)
                    if not readings:
                        problems.append(f"the text states {what} but lists {len(pieces)}: "
                                        f"{text[body_start:body_end]}")
                        readings = [pieces]
                    elif len(readings) > 1:
                        alternatives.extend([[text[a:b] for a, b in r] for r in readings[1:]])
                        problems.append(_ambiguity(text, readings, what))
                    items += [UnitItem(a, b, text[a:b], typ) for a, b in readings[0]]
                elif body_start < e:               # "1 đơn vị sự nghiệp là Trung tâm …" or "…: A; B; C"
                    names = _pieces(text, body_start, e, r";" if ";" in text[body_start:e] else r",")
                    named = re.search(r"\sla\s*$", fold[s:body_start]) and k == 1
                    items += [UnitItem(a, b, text[a:b], typ if named else _named_type(fold, a)) for a, b in names]
            else:
                if _SEGMENT_START.match(fold, s):
                    unit_like += 1
                bare += _pieces(text, s, e, r";" if ";" in text[s:e] else r",")
        if stated and not items and not bare:      # "gồm 07 phòng và 01 đơn vị." then the list
            pending = (stated, end)
            continue
        counted_members = bool(items)
        if pending and not stated and start - pending[1] < 400 and "\n" not in fold[pending[1]:start]:
            stated = dict(pending[0])
        pending = None
        before = None if stated else _COUNT_BEFORE.search(fold, max(0, m.start() - 80), m.start())
        if before:                                 # "Sở có 4 phòng chuyên môn gồm …"
            stated = {_COUNT_TYPES[before.group(2)]: int(before.group(1))}
            unit_like += 1
        if bare and stated.get("division") and not counted_members:
            items += _resolve_by_count(text, fold, bare, stated["division"], problems, alternatives)
        else:
            items += [UnitItem(a, b, text[a:b].rstrip(" ."), _named_type(fold, a)) for a, b in bare]
        items.sort(key=lambda u: u.start)
        if unit_like < 2 or not items:
            continue
        if stated:
            for typ, k in stated.items():
                have = sum(1 for it in items if it.type == typ)
                if have != k and not any(p.startswith("the text states") for p in problems):
                    problems.append(f"the text states {k} {typ} units but the list names {have}")
        out.append(UnitList(m.start(), end, items, stated, problems=problems, alternatives=alternatives))
        last_end = end
    return out


_HEADING_TYPES = [("lanh dao", "leadership"), ("don vi su nghiep", "public-service-unit"), ("phong", "division"),
                  ("chi cuc", "division")]


def _line_list(text: str, fold: str, start: int, lines: list[tuple[int, int]]) -> UnitList | None:
    """A unit list one unit a line, levels mixed: "1. Lãnh đạo Sở: Giám đốc …", "2. Các phòng … gồm:" over
    "- Văn phòng;" lines, "3. Đơn vị sự nghiệp: Trung tâm …". A line ending with ":" (or "gồm") heads the
    lines under it; "Label: names" lists the names under the label, but leadership is the label itself."""
    items: list[UnitItem] = []
    context = None
    for s, e in lines:
        line = fold[s:e]
        head = line.rstrip(" :")
        typ = next((t for w, t in _HEADING_TYPES if w in head[:40]), None)
        if line.endswith(":") or re.search(r"(?:gom|gom co|bao gom)$", head):
            context = typ
            continue
        colon = line.find(":")
        if colon > 0:
            if typ == "leadership":
                items.append(UnitItem(s, s + colon, text[s:s + colon], "leadership"))
                continue
            rest = s + colon + 1
            sep = r";" if ";" in text[rest:e] else r","
            items += [UnitItem(a, b, text[a:b], typ or _named_type(fold, a)) for a, b in _pieces(text, rest, e, sep)]
            continue
        named = _named_type(fold, s)
        items.append(UnitItem(s, e, text[s:e], "public-service-unit" if context == "public-service-unit" else named))
    if len(items) < 2:
        return None
    return UnitList(start, lines[-1][1], items, {})
