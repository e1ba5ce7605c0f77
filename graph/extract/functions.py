"""Function lists after "quản lý nhà nước … về …", mapped onto the SKOS scheme of functions.

The scheme is ontology/functions.ttl; every prefLabel and altLabel is a key (tttt_kg.graph.
vietnamese.search_key, so "CNTT", "công nghệ thông tin" and "cong nghe thong tin" meet). A list
separated by semicolons keeps each item whole ("bưu chính và chuyển phát" is one item covering
two concepts, a narrow match); a list separated by commas is split at commas and at a final
"và", unless the joined words are themselves a concept ("phát thanh và truyền hình"). An
item the scheme lacks becomes a new candidate concept with its own slug, never dropped.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tttt_kg.graph.vietnamese import search_key, strip_diacritics

from .layout import MARK, marked_lines
from .model import FunctionItem
from .syllables import is_syllable

TRIGGER = re.compile(r"quan ly nha nuoc(?<!\wquan ly nha nuoc)(?:\s+(?:va|ve)\s+[^.;:\n]{0,60}?|[^.;:\n]{0,60}?)\s+ve(?:\s*:\s*|\s+)")
_FILLERS = {"cac", "nhung"}
_END = re.compile(r"\.(?=\s|$|\.)|[\n:…*]|\s(?:tren dia ban(?![\w])|tu\s+(?=\S)|nham\s|de\s)")
# "về 9 lĩnh vực gồm:", "về 12 lĩnh vực sau:": how many items follow, not an item
_COUNT_HEAD = re.compile(r"(\d{1,2})\s+(?:[a-z]+\s+){0,2}?[a-z]+\s*(?:gom co|bao gom|gom|nhu sau|sau day|sau)?\s*:\s*")
_NON_SPACE = re.compile(r"\S")
_VERB_ITEM = re.compile(r"\s*(?:va\s+)?(?:thuc hien|tham muu|giup|da|dang|to chuc thuc hien|chiu trach nhiem|theo)(?![\w])")


@lru_cache(maxsize=65536)
def function_key(text: str) -> str:
    """search_key without the plural markers "các", "những" and without brackets."""
    return " ".join(w for w in search_key(text).split() if w not in _FILLERS)


@lru_cache(maxsize=1)
def scheme_index() -> dict[str, str]:
    """Key of every prefLabel@vi and altLabel@vi of the scheme → concept slug."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from tttt_kg.graph.namespaces import FN
    from tttt_kg.ontology import FUNCTIONS
    g = Graph()
    g.parse(FUNCTIONS, format="turtle")
    index: dict[str, str] = {}
    for prop in (SKOS.altLabel, SKOS.prefLabel):            # prefLabels win on a shared key
        for concept, label in g.subject_objects(prop):
            if str(concept).startswith(str(FN)) and getattr(label, "language", None) in ("vi", None):
                index[function_key(str(label))] = str(concept)[len(str(FN)):]
    return index


@lru_cache(maxsize=1)
def _longest_key() -> int:
    """The most words a concept's key has."""
    return max((len(key.split()) for key in scheme_index()), default=0)


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower())[:60].strip("-") or "function"


def list_end(fold: str, start: int, limit: int = 700) -> int:
    m = _END.search(fold, start, min(len(fold), start + limit))
    return m.start() if m else min(len(fold), start + limit)


def _split(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Pieces of text[start:end] between separators (a regex), trimmed, as spans."""
    out, pos = [], start
    for m in re.finditer(seps, text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s] in " ,;":
            s += 1
        while e > s and text[e - 1] in " ,;.":
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _lookup(text: str, index: dict[str, str], prefixes: list[str]) -> str | None:
    key = function_key(text)
    if key in index:
        return index[key]
    for p in prefixes:
        if function_key(f"{p} {text}") in index:
            return index[function_key(f"{p} {text}")]
    return None


def map_item(text: str, s: int, e: int) -> FunctionItem:
    """Map one item onto concepts: whole, or part by part with the longest known runs."""
    index = scheme_index()
    wording = " ".join(text[s:e].split())
    whole = index.get(function_key(wording))
    if whole:
        return FunctionItem(s, e, wording, [whole], "exact")
    parts = _split(text, s, e, r",\s*|\s+và\s+|\s+-\s+|\s+va\s+")
    first_words = text[parts[0][0]:parts[0][1]].split() if parts else []
    prefixes = []
    if "trên" in first_words:
        i = first_words.index("trên")
        prefixes = [" ".join(first_words[:i + 1]), " ".join(first_words[:i])]
    functions, new, i = [], [], 0
    while i < len(parts):
        for j in range(len(parts) - 1, i - 1, -1):
            found = _lookup(text[parts[i][0]:parts[j][1]], index, prefixes if i else [])
            if found:
                if found not in functions:
                    functions.append(found)
                i = j + 1
                break
        else:
            piece = " ".join(text[parts[i][0]:parts[i][1]].split())
            slug = slugify(piece)
            new.append((slug, piece))
            functions.append(slug)
            i += 1
    match = "narrow" if len(functions) > 1 else "exact"
    return FunctionItem(s, e, wording, functions, match, new)


def _comma_items(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join comma pieces that together are a concept ("phát thanh, truyền thanh, truyền hình"),
    split "A và B" pieces that are not."""
    index = scheme_index()
    # the key of pieces joined is their keys joined (what separates them is commas and spaces), so a run of
    # pieces with more words than the longest concept's is none, and its key need not be made
    before = [0]
    for s, e in pieces:
        before.append(before[-1] + len(function_key(text[s:e]).split()))
    most = _longest_key()
    out, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces) - 1, i, -1):
            if before[j + 1] - before[i] <= most and function_key(text[pieces[i][0]:pieces[j][1]]) in index:
                out.append((pieces[i][0], pieces[j][1]))
                i = j + 1
                break
        else:
            s, e = pieces[i]
            if function_key(text[s:e]) in index:
                out.append((s, e))
            else:
                out.extend(_split(text, s, e, r"\s+(?:và|va)\s+"))
            i += 1
    return out


def find_function_lists(text: str, fold: str, report=lambda start, end, problem: None
                        ) -> list[tuple[int, int, int, list[FunctionItem]]]:
    """(trigger start, list start, list end, items) for every "quản lý nhà nước … về" list.

    A count before the list ("về 9 lĩnh vực gồm:") is a count, not an item; an item the text ends in
    without closing punctuation is cut off (an excerpt) unless it is a whole concept of the scheme, and is
    left out with a ``report(start, end, problem)``."""
    out = []
    for m in TRIGGER.finditer(fold):
        start = m.end()
        count = _COUNT_HEAD.match(fold, start)
        if count:
            start = count.end()
        end = list_end(fold, start)
        lines = marked_lines(fold, m.start(), one_kind=True, stop_at_period=True) \
            if "\n" in fold[m.start():start] else []
        if lines:                              # "về:" then "a) Báo chí;" "b) Xuất bản, in, phát hành;" …
            items = [(s, e) for s, e in lines if not _VERB_ITEM.match(fold, s)]
            out.append((m.start(), items[0][0], items[-1][1], [map_item(text, s, e) for s, e in items]))
            continue
        while fold[start:end].rstrip().endswith((";", ",")) and fold[end:end + 1] == "\n" \
                and not MARK.match(fold, end + 1):
            end = list_end(fold, end + 1)      # "báo chí; xuất bản;" and the list goes on on the next line
        semicolons = ";" in text[start:end]
        spans = _split(text, start, end, r";" if semicolons else r",")
        items: list[tuple[int, int]] = []
        for s, e in spans:
            if _VERB_ITEM.match(fold, s):
                break                          # "…; thực hiện một số nhiệm vụ": the list is over
            items.append((s, e))
        if not items:
            continue
        if not semicolons:                     # "A, B và C": split the last "và" unless "A và B" is a concept
            items = _comma_items(text, items)
        # nothing but spaces after the list (a search from here, not a copy of the rest: that was quadratic)
        if items and _NON_SPACE.search(fold, items[-1][1]) is None:
            s, e = items[-1]                   # the text stops inside the list: an excerpt cut off
            last = text[s:e].split()[-1]
            if function_key(text[s:e]) not in scheme_index() or not is_syllable(last):
                report(s, e, f"the text ends inside a function list: its last item \"{text[s:e]}\" may be cut off; "
                             "left out")
                items = items[:-1]
        if count and len(items) != int(count.group(1)):
            report(start, end, f"the text counts {count.group(1)} items of a function list but lists {len(items)}")
        if not items:
            continue
        out.append((m.start(), items[0][0], items[-1][1], [map_item(text, s, e) for s, e in items]))
    return out
