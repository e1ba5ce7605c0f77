"""Repair the text before the patterns run, keeping a map back to the original offsets.

Real documents arrive with page breaks inside sentences, words glued together by copy and
paste ("Căn cứNghị định", "02năm"), non-breaking spaces, several kinds of dash and headers
in capitals. The patterns see the repaired text (`Text.text`) and a folded copy of the
same length (`Text.fold`: lower case, no diacritics); every span they find is mapped back
to the decoded input by `Text.original_span`, so candidate records cite the input itself.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tttt_kg.graph.vietnamese import ABBREVIATIONS, LOWER_LETTERS, UPPER_LETTERS, fold

from .organisations import HEADS
from .syllables import is_code, split_points

_LO, _UP = LOWER_LETTERS, UPPER_LETTERS
# one-for-one character repairs: spaces and dashes of every kind
_SAME_LENGTH = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " ", "\u3000": " ",
                "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                "\u2015": "-", "\u2212": "-", "\r": "\n", "\x0b": "\n", "\x0c": "\n"}
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u00ad\u2060\ufeff]+")
_NEWLINES = re.compile(r"\n\s*")             # and the spaces before it (see _line_breaks)
# Glued words: found from the rare character (a capital, a digit), the two lower-case letters
# before it checked in Python; a pattern starting with a lower-case class is ten times slower.
_CAPITAL = re.compile(f"[{_UP}]")                              # cứNghị
_DIGIT = re.compile(r"\d")                                     # ngày16
_GLUED_DIGIT_WORD = re.compile(f"\\d(?=[{_LO}]{{2,}})")        # 02năm
_LOWER_SET = frozenset(_LO)
_WORD = re.compile(r"[^\W\d_]{4,}")
_UNITS = {"km", "kg", "kw", "kwh", "mw", "mhz", "ghz", "khz", "mb", "gb", "kb", "tb", "cm", "mm", "ha", "mbps", "gbps", "th", "st", "nd", "rd"}
_SENTENCE_END = set('.!?:;…"”*')
_CAPS_LINE = re.compile(f"^[^{_LO}\\n]*[{_UP}]{{2}}[^{_LO}\\n]*$", re.M)
_SMALL_WORDS = {"và", "của", "về", "việc", "các", "những", "trên", "thuộc", "cho", "với", "theo", "tại", "trong",
                "từ", "đến", "là", "có", "được", "năm", "ngày", "tháng", "số", "đối", "ban", "hành", "quy", "định",
                "tỉnh", "huyện", "xã", "phường", "quận", "thành", "phố", "thị"}
_KEEP_CAPS = {a.upper() for a in ABBREVIATIONS} | {"QĐ", "NĐ", "TT", "TW", "CP", "TTG", "BTTTT", "BNV", "VN"}
_LIST_MARK = re.compile(r"(?:[-+•]|\d{1,2}[.)]|[a-zđ][)])\s")
_RULE_LINE = re.compile(r"[\s\-_=*~.•]*")            # "--------": a rule under a header line
# The national motto and the "Số:" of a header begin lines of their own even when a two-column
# header was pasted as one line ("ỦY BAN NHÂN DÂN TỈNH X CỘNG HÒA XÃ HỘI …", "Số: 5/QĐ-UBND Place, ngày …").
_OWN_LINE_ANCHOR = re.compile(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Cộng hòa xã hội|Cộng hoà xã hội"
                              r"|Độc lập - Tự do|ĐỘC LẬP - TỰ DO|Số:\s*\d")        # the spaces before it: a line break
_OWN_LINE_START = re.compile(r"CỘNG HO?ÀA? XÃ HỘI|Cộng ho?àa? xã hội|Độc lập - Tự do|ĐỘC LẬP - TỰ DO|Số:\s*\d")
# a line in capitals continues the one above when it starts with one of these (a name or title broken
# across lines: "ỦY BAN NHÂN DÂN / TỈNH HÒA LÂM", "… CƠ CẤU TỔ CHỨC / CỦA SỞ …")
_CONTINUES = {"tinh", "thanh", "huyen", "quan", "xa", "phuong", "thi", "cua", "va", "thuoc", "truc", "ve", "tai",
              "tren", "cho", "theo", "nam"}
# what a line of a header in capitals may start with on its own: a body, the document's type, the motto,
# its number, a signer's post, a heading. A capital line starting otherwise goes on with the one above
# ("BỘ THÔNG TIN VÀ TRUYỀN / THÔNG").
_ELEMENT = re.compile(r"\s*(?:" + "|".join(sorted(HEADS, key=len, reverse=True)) + r"|thong tu|quyet dinh|nghi|chi thi"
                      r"|luat|ke hoach|huong dan|thong bao|cong van|to trinh|bao cao|quy dinh|de an|cong hoa|doc lap"
                      r"|so\s*:|tm\.?|kt\.?|q\.|chu tich|pho chu tich|giam doc|pho giam doc|bo truong|thu truong|noi nhan"
                      r"|dieu|chuong|phan|muc)(?![\w])")
_TYPE_LINE = {"quyet dinh", "thong tu", "thong tu lien tich", "nghi dinh", "nghi quyet", "chi thi", "luat",
              "ke hoach", "huong dan", "thong bao", "cong van", "to trinh", "bao cao", "quy dinh", "de an"}


@dataclass
class Text:
    """The repaired text, its folded twin and the map back to the input's offsets."""
    original: str
    text: str
    fold: str
    _clean_starts: list[int] = field(repr=False, default_factory=list)
    _segments: list[tuple[int, int, int, int]] = field(repr=False, default_factory=list)
    offset: int = 0            # where ``original`` starts in the whole input (a block of a streamed file)

    def original_offset(self, pos: int, end: bool = False) -> int:
        """Offset in the input of the repaired text's position ``pos``."""
        if not self._segments:
            return pos
        i = max(0, bisect.bisect_right(self._clean_starts, pos) - 1)
        c0, c1, o0, o1 = self._segments[i]
        if pos == c0 and end and i > 0:  # an end position belongs to the segment before
            c0, c1, o0, o1 = self._segments[i - 1]
        if c1 - c0 == o1 - o0:
            return o0 + min(pos - c0, o1 - o0)
        return o1 if end else o0

    def _local_span(self, start: int, end: int) -> tuple[int, int]:
        """(original_offset(start), original_offset(end, end=True), at least one character when the span
        has one), written out: every span of every record comes through here."""
        segments = self._segments
        if not segments:
            s, e = start, end
        else:
            starts = self._clean_starts
            i = bisect.bisect_right(starts, start) - 1
            c0, c1, o0, o1 = segments[i if i > 0 else 0]
            n = o1 - o0
            s = (o0 + (start - c0 if start - c0 < n else n)) if c1 - c0 == n else o0
            i = bisect.bisect_right(starts, end) - 1
            if i < 0:
                i = 0
            c0, c1, o0, o1 = segments[i]
            if end == c0 and i > 0:
                c0, c1, o0, o1 = segments[i - 1]
            n = o1 - o0
            e = (o0 + (end - c0 if end - c0 < n else n)) if c1 - c0 == n else o1
        if end > start and e < s + 1:
            e = s + 1
        return s, e

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the whole input (``offset`` added) of a span of the repaired text."""
        s, e = self._local_span(start, end)
        return s + self.offset, e + self.offset

    def located(self, start: int, end: int) -> tuple[list[int], str]:
        """`original_span` (as a list) and `evidence` of one span, mapped back once."""
        s, e = self._local_span(start, end)
        return [s + self.offset, e + self.offset], _collapsed(self.original[s:e])

    def evidence(self, start: int, end: int) -> str:
        """The input's own words for a span of the repaired text, whitespace collapsed."""
        s, e = self._local_span(start, end)
        return _collapsed(self.original[s:e])


def _collapsed(words: str) -> str:
    """" ".join(words.split()): the words as they are when their only white space is single spaces between
    them (every other white space character is not printable)."""
    if words.isprintable() and "  " not in words and words[:1] != " " and words[-1:] != " ":
        return words
    return " ".join(words.split())


def _line_breaks(text: str) -> list[tuple[int, int]]:
    """Every line break with the spaces before it and the white space after it. Found from the line break:
    a pattern that starts with optional spaces is tried at every character. The white space after a break is
    all taken, so the spaces before the next one never belong to the one before."""
    out = []
    for m in _NEWLINES.finditer(text):
        s = m.start()
        while s > 0 and text[s - 1] == " ":
            s -= 1
        out.append((s, m.end()))
    return out


def _newline_replacement(text: str, start: int, end: int) -> str:
    if start == 0 or end == len(text):
        return "\n"
    prev, nxt = text[start - 1], text[end]
    breaks = text.count("\n", start, end)
    line_start = text.rfind("\n", 0, start) + 1
    next_end = text.find("\n", end)
    next_line = text[end:] if next_end < 0 else text[end:next_end]
    prev_line = text[line_start:start]
    if prev in _SENTENCE_END or _LIST_MARK.match(text, end) or _OWN_LINE_START.match(text, end) or _RULE_LINE.fullmatch(prev_line) \
            or _RULE_LINE.fullmatch(next_line):
        return "\n"
    prev_caps, next_caps = _is_caps(prev_line, 1), _is_caps(next_line, 1)
    if breaks == 1 and prev_caps and next_caps and fold(prev_line).strip() not in _TYPE_LINE \
            and (fold(next_line.split(None, 1)[0]) in _CONTINUES or prev_line.rstrip()[-1:] in ",-&"
                 or fold(prev_line.split()[-1]) in _CONTINUES or not _ELEMENT.match(fold(next_line))):
        return " "                       # a name or title in capitals broken across lines
    if prev_caps or next_caps:
        return "\n"                      # a header in capitals stays a line of its own
    if nxt.islower() or nxt.isdigit() or prev in ",-(&/":
        return " "                       # a page break or hard wrap inside a sentence
    if breaks > 1 and (not prev.isalnum() or start - line_start < 60):
        return "\n"                      # a paragraph, or a short line on its own: a heading
    return " "


def _is_caps(line: str, words: int = 2) -> bool:
    return len(line.split()) >= words and _CAPS_LINE.fullmatch(line.strip()) is not None


@lru_cache(maxsize=4096)
def _recase_header(line: str) -> str:
    """'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' → 'Sở Thông Tin và Truyền Thông' (same length)."""
    def word(m: re.Match) -> str:
        w = m.group()
        if w in _KEEP_CAPS or any(ch.isdigit() for ch in w) or len(w) == 1 or is_code(w):
            return w
        lower = w.lower()
        if len(lower) != len(w):
            return w
        if lower in _SMALL_WORDS and m.start() > 0:
            return lower
        return w[0] + lower[1:]
    return re.sub(r"[^\W\d_][\w&]*", word, line)


_INVISIBLE_CHARS = "\u200b\u200c\u200d\u00ad\u2060\ufeff"


def _own_line_edits(base: str) -> list[tuple[int, int, str]]:
    """The edits of `_OWN_LINE`, found from its rare anchors ("Số:", the motto) instead of at every space."""
    edits = []
    for m in _OWN_LINE_ANCHOR.finditer(base):
        p = q = m.start()
        while q > 0 and base[q - 1] == " ":
            q -= 1
        if q < p and q > 0 and not base[q - 1].isspace():
            edits.append((q, p, "\n" + " " * (p - q - 1)))
    return edits


@lru_cache(maxsize=65536)
def _glue_points(token: str) -> tuple[int, ...]:
    """Where a space was lost inside one whitespace-free token: before a capital or a digit after two
    lower-case letters ("cứNghị", "ngày16"), between syllables ("Bộtrưởng"), after a digit before a
    word that is no unit ("02năm")."""
    lower = _LOWER_SET
    points = {i for rx in (_CAPITAL, _DIGIT) for i in (m.start() for m in rx.finditer(token))
              if i >= 2 and token[i - 1] in lower and token[i - 2] in lower}
    for m in _WORD.finditer(token):
        points.update(m.start() + i for i in split_points(m.group()))
    for m in _GLUED_DIGIT_WORD.finditer(token):
        if re.match(r"\w+", token[m.end():m.end() + 12]).group().lower() not in _UNITS:
            points.add(m.end())
    return tuple(sorted(points))


def _glued_positions(base: str) -> list[int]:
    """Every place of `_glue_points` in ``base``. The patterns never cross whitespace, so each distinct
    token is read once (a text repeats its words) and only the tokens with a point are looked for."""
    found = {}
    for token in set(base.split()):
        points = _glue_points(token)
        if points:
            found[token] = points
    out = []
    n = len(base)
    for token, points in found.items():
        k = len(token)
        i = base.find(token)
        while i >= 0:
            if (i == 0 or base[i - 1].isspace()) and (i + k == n or base[i + k].isspace()):
                out += [i + p for p in points]
            i = base.find(token, i + 1)
    return out


def clean(original: str, offset: int = 0) -> Text:
    """Repair ``original`` (already NFC) for extraction; see the module's docstring. ``offset``: where
    ``original`` begins in the whole input, added to every span mapped back (`Text.original_span`)."""
    base = original
    for old, new in _SAME_LENGTH.items():
        if old in base:
            base = base.replace(old, new)
    edits: list[tuple[int, int, str]] = ([(m.start(), m.end(), "") for m in _INVISIBLE.finditer(base)]
                                         if any(ch in base for ch in _INVISIBLE_CHARS) else [])
    edits += [(s, e, _newline_replacement(base, s, e)) for s, e in _line_breaks(base)]
    edits += _own_line_edits(base)
    edits += [(i, i, " ") for i in _glued_positions(base)]
    edits = sorted(set(edits))
    parts, clean_starts, segments = [], [], []
    pos = cpos = 0
    for s, e, rep in edits:
        if s < pos:               # overlapping edit (cannot happen with these patterns): skip it
            continue
        if s > pos:
            parts.append(base[pos:s])
            clean_starts.append(cpos)
            segments.append((cpos, cpos + s - pos, pos, s))
            cpos += s - pos
        parts.append(rep)
        clean_starts.append(cpos)
        segments.append((cpos, cpos + len(rep), s, e))
        cpos += len(rep)
        pos = e
    if pos < len(base) or not segments:
        parts.append(base[pos:])
        clean_starts.append(cpos)
        segments.append((cpos, cpos + len(base) - pos, pos, len(base)))
    text = "".join(parts)
    if _CAPS_LINE.search(text):
        text = _CAPS_LINE.sub(lambda m: _recase_header(m.group()) if _is_caps(m.group()) else m.group(), text)
    return Text(original=original, text=text, fold=fold(text), _clean_starts=clean_starts, _segments=segments,
                offset=offset)
