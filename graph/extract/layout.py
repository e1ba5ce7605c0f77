"""Sentences and paragraphs of the repaired text: which facts belong together.

A decision's function list, unit list and "thay thế" clause are tied to the decision cited
in the same paragraph; the subject of a "tiếp nhận … từ …" is the first organisation of
its sentence, or of its paragraph when the sentence has none.
"""
from __future__ import annotations

import bisect
import re

from tttt_kg.graph.vietnamese import LOWER_LETTERS

# Sentence breaks: after . ! ? or …, the white space before a sentence's first character (not a digit, a
# lower-case letter or more punctuation); or a run of line breaks. Searched one mark at a time: a pattern that
# starts with one literal character is searched for that character alone, several times faster than a
# pattern starting with a choice of characters.
_MARK_BREAKS = [re.compile(f"{re.escape(p)}\\s+(?=[^\\s\\d.,;:)\\]{LOWER_LETTERS}])") for p in ".!?…"]
_LINE_BREAKS = re.compile(r"\n\n*")


def _sentence_ends(text: str, line_breaks: list[tuple[int, int]]) -> list[int]:
    """Where sentences end: after each mark's white space, and after each run of line breaks that is not
    inside the white space after a mark (that run belongs to the mark's break)."""
    marks = sorted((m.start(), m.end()) for rx in _MARK_BREAKS for m in rx.finditer(text))
    out, k, n = [], 0, len(marks)
    for s, e in line_breaks:
        while k < n and marks[k][1] <= s:
            out.append(marks[k][1])
            k += 1
        if not (k < n and marks[k][0] < s):          # not inside a mark's break (which ends after s)
            out.append(e)
    out += [e for _, e in marks[k:]]
    return out


class Layout:
    def __init__(self, text: str):
        line_breaks = [(m.start(), m.end()) for m in _LINE_BREAKS.finditer(text)]
        self.paragraph_starts = [0] + [e for _, e in line_breaks]
        self.sentence_starts = [0] + _sentence_ends(text, line_breaks)
        self.length = len(text)

    @staticmethod
    def _span(starts: list[int], length: int, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], starts[i + 1] if i + 1 < len(starts) else length

    def paragraph(self, pos: int) -> tuple[int, int]:
        return self._span(self.paragraph_starts, self.length, pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._span(self.sentence_starts, self.length, pos)

    def same_paragraph(self, a: int, b: int) -> bool:
        return self.paragraph(a) == self.paragraph(b)


def positions(items: list, which: str = "start") -> list[int]:
    """The starts (or ends) of ``items``, remembered on a `Sorted` list for the next call."""
    attr = f"_{which}s"
    found = getattr(items, attr, None)
    if found is None or len(found) != len(items):
        found = [getattr(x, which) for x in items]
        try:
            setattr(items, attr, found)
        except AttributeError:
            pass
    return found


def first_between(items: list, lo: int, hi: int, pred=lambda x: True):
    """The first of ``items`` (sorted by .start) with lo <= start < hi that satisfies ``pred``."""
    starts = positions(items)
    i = bisect.bisect_left(starts, lo)
    while i < len(items) and starts[i] < hi:
        if pred(items[i]):
            return items[i]
        i += 1
    return None


class Sorted(list):
    """A list of mentions sorted by start, remembering its starts and ends (see positions)."""
    _starts: list[int] | None = None
    _ends: list[int] | None = None


MARK = re.compile(r"[ ]*(?:([-+•*])|(\d{1,2})[.)]|([a-z])\))[ ]+(?=\S)")     # on the folded text: đ) is d)


def marked_lines(fold: str, pos: int, one_kind: bool = False, stop_at_period: bool = False
                 ) -> list[tuple[int, int]]:
    """A list written one item a line: the lines after the one holding ``pos`` that begin with a marker
    ("a)", "1.", "-"), as spans of their words (the marker and a closing ";", "," or "." left out), up to
    the first line without one; with ``one_kind``, up to a marker of another kind ("a)" … then "2."); with
    ``stop_at_period``, up to a line closing with a full stop, included."""
    out: list[tuple[int, int]] = []
    kind = None
    line = fold.find("\n", pos)
    while line >= 0:
        start = line + 1
        m = MARK.match(fold, start)
        if not m:
            break
        this = "dash" if m.group(1) else "number" if m.group(2) else "letter"
        if one_kind and kind not in (None, this):
            break
        kind = this
        end = fold.find("\n", m.end())
        end = len(fold) if end < 0 else end
        stop = end
        while stop > m.end() and fold[stop - 1] in " ;,.":
            stop -= 1
        out.append((m.end(), stop))
        if stop_at_period and fold[stop:end].strip().endswith("."):
            break
        line = end if end < len(fold) else -1
    return out
