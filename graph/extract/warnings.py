"""The extractor's problems, summarised: a count per kind and the first few places.

A 50 MB corpus gave tens of thousands of warning lines, one per list; what a reviewer needs is
which kinds of problem there are, how many of each, and where to look first. Kinds are read off
the messages the recognisers write (pipeline.py, units.py, records_out.py, stream.py).
"""
from __future__ import annotations

import re
from collections import Counter

# (kind, pattern on the message): the first that matches names the kind
KINDS = (
    ("function list cut off where the text ends", re.compile(r"text ends inside a function list")),
    ("function list no document of the text gives (not written)", re.compile(r"that no document of the text gives")),
    ("function list counted one way, listed another", re.compile(r"counts \d+ items of a function list")),
    ("unit list: other reading of its commas", re.compile(r": alternative reading: ")),
    ("unit list: commas read several ways", re.compile(r"readings of the commas")),
    ("unit list counted one way, listed another", re.compile(r"the text states .* but (?:lists|the list names)")),
    ("document cited with two dates", re.compile(r"cited with two dates")),
    ("basis (căn cứ) of the input document to add by hand", re.compile(r"the input document is based on")),
)
_PLACE = re.compile(r"^(?:functions|units) at (\[\d+, \d+\])")
SHOWN = 3          # how many places each kind shows, and how many of a kind are printed whole


def kind_of(problem: str) -> str:
    return next((kind for kind, rx in KINDS if rx.search(problem)), "other")


def summarise(problems: list[str], shown: int = SHOWN) -> list[str]:
    """One line per kind with its count and first places (the message itself when a kind has few)."""
    by_kind: dict[str, list[str]] = {}
    for p in problems:
        by_kind.setdefault(kind_of(p), []).append(p)
    lines = []
    for kind, n in Counter({k: len(v) for k, v in by_kind.items()}).most_common():
        found = by_kind[kind]
        if n <= shown:
            lines += found
            continue
        places = [m.group(1) for m in map(_PLACE.match, found[:shown]) if m]
        where = f" at {', '.join(places)} …" if places else ""
        lines.append(f"{n} × {kind}{where} (first: {found[0]})")
    return lines
