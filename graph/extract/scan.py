"""Search a text for one choice of patterns as fast as the regex engine searches for one literal.

The engine skips quickly only to what a pattern must start with: one literal character or
string ("thay the…"), or one class ("\\d…"). A choice of alternatives that start differently
("co cau to chuc|gom|bao gom|\\d…") is tried at every character, several times slower. `first_matches`
searches each alternative on its own and gives the matches the choice would give.
"""
from __future__ import annotations

import re


def first_matches(patterns: list[re.Pattern], text: str):
    """The matches of ``(?:P1|P2|…)`` as finditer gives them, each from the pattern that made it, for patterns
    that never match at the same position (each starts with characters of its own) and whose empty matches
    are their only matches at that position: the leftmost match wins, the next search starts where it ends
    (after it, when it is empty), and a match that starts inside an earlier one is not one."""
    found = [rx.search(text) for rx in patterns]
    while True:
        best = min((m for m in found if m is not None), key=lambda m: m.start(), default=None)
        if best is None:
            return
        yield best
        pos = best.end()
        for k, m in enumerate(found):
            if m is best:
                found[k] = patterns[k].search(text, pos if pos > m.start() else pos + 1)
            elif m is not None and m.start() < pos:
                found[k] = patterns[k].search(text, pos)
