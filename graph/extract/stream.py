"""Extract a long input block by block, so time and memory grow with the input, not faster.

A file of many documents (a corpus of 50 MB) is cut into blocks of about ``BLOCK_CHARS``
characters at the strongest break near the limit: two or more blank lines (between documents)
before one blank line (between paragraphs) before a line break. Each block is repaired and
extracted on its own, with the offset where it starts, so every span still counts code points of
the whole input; the candidate records of the blocks are merged by id, as the candidates of
several files are (ids carry their province, see records_out.py). An input shorter than a block is
one block: the same records as `extract` + `build_candidates` on the whole text.

What a block boundary loses: context across it. A document's own header applies to its text
up to the boundary only, and a list whose decision is cited in the block before it is not tied to
it; blocks start at blank lines, so this happens only inside a document longer than a block.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .functions import slugify
from .pipeline import extract
from .records_out import Candidates, _spans, build_candidates, source_record

BLOCK_CHARS = 200_000
_BREAKS = (re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+"), re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"\s"))


def blocks(text: str, size: int = BLOCK_CHARS):
    """(offset, block) pieces of ``text``, each at most about ``size`` characters, cut after the
    strongest break in the last quarter of the window (a hard cut only in a text without spaces)."""
    pos, n = 0, len(text)
    while n - pos > size:
        lo, hi = pos + size * 3 // 4, pos + size
        cut = None
        for rx in _BREAKS:
            last = None
            for m in rx.finditer(text, lo, hi):
                last = m
            if last is not None:
                cut = last.end()
                break
        cut = cut or hi
        yield pos, text[pos:cut]
        pos = cut
    if pos < n or n == 0:
        yield pos, text[pos:]


_MENTIONS = re.compile(r"(\d+) mention\(s\)")
_CONFIDENCE = re.compile(r"confidence: ([\d.]+)")


def _add_unique(target: list, values) -> None:
    for v in values:
        if v not in target:
            target.append(v)


def _span_list(span) -> list[tuple[int, ...]]:
    """A record's span or spans as tuples (immutable: the garbage collector stops scanning them, and a long
    input keeps hundreds of thousands until `finish`)."""
    return [tuple(span)] if span and isinstance(span[0], int) else [tuple(s) for s in span or []]


class Merger:
    """Candidate records of several blocks of one input, merged by id (by key for units and transfers)."""

    def __init__(self, source_id: str):
        self.total = Candidates(source_id=source_id)
        self.index: dict[tuple, tuple[dict, list]] = {}      # (section, key) → (record, [record, comment] entry)
        self.spans: dict[int, list[tuple[int, ...]]] = {}           # id(record) → every span seen, merged at the end

    def _key(self, section: str, rec: dict):
        if section in ("organisations", "documents", "change_events"):
            return rec["id"]
        if section == "units":
            return rec["unit_of"], rec["id"]
        if section == "transfers":
            return rec["from"], rec["to"], tuple(sorted(rec["functions"]))
        return None                                           # assignments: each list as found

    def add(self, part: Candidates) -> None:
        total = self.total
        total.problems += part.problems
        for slug, wording in part.new_functions.items():
            total.new_functions.setdefault(slug, wording)
        for section, entries in part.sections.items():
            if section == "sources":
                continue
            for rec, comment in entries:
                key = self._key(section, rec)
                found = self.index.get((section, key)) if key is not None else None
                if found is None:
                    entry = [rec, comment]
                    total.sections.setdefault(section, []).append(entry)
                    if key is not None:
                        self.index[(section, key)] = (rec, entry)
                    self.spans[id(rec)] = _span_list(rec.get("span"))
                    continue
                old, entry = found
                self.spans[id(old)] += _span_list(rec.get("span"))
                self._merge(section, old, rec, entry, comment)

    def _merge(self, section: str, old: dict, new: dict, entry: list, comment: str) -> None:
        for k, v in new.items():
            if k == "span":
                continue
            if k not in old:
                old[k] = v
            elif isinstance(v, list) and isinstance(old[k], list) and k not in ("items", "functions"):
                _add_unique(old[k], v)
            elif section == "documents" and k == "date" and old[k] != v:
                self.total.problems.append(f"{old['id']}: cited with two dates, {old[k]} and {v}")
        if section == "organisations":           # mentions add up; two or more make it surer
            n = sum(int(m.group(1)) for m in (_MENTIONS.search(entry[1]), _MENTIONS.search(comment)) if m)
            entry[1] = _MENTIONS.sub(f"{n} mention(s)", _CONFIDENCE.sub("confidence: 0.9", entry[1]))
        elif section == "documents":
            a, b = _CONFIDENCE.search(entry[1]), _CONFIDENCE.search(comment)
            if a and b and float(b.group(1)) > float(a.group(1)):
                entry[1] = _CONFIDENCE.sub(f"confidence: {b.group(1)}", entry[1])

    def finish(self, source_name: str, sha256: str, length: int) -> Candidates:
        for section, entries in self.total.sections.items():
            for entry in entries:
                rec = entry[0]
                if id(rec) in self.spans and self.spans[id(rec)]:
                    rec["span"] = _spans(self.spans[id(rec)])
        rec, comment = source_record(self.total.source_id, source_name, sha256, length)
        self.total.sections = {"sources": [(rec, comment)],
                               **{s: [tuple(e) for e in entries] for s, entries in self.total.sections.items()}}
        return self.total


def extract_candidates(text: str, source_name: str, block_chars: int = BLOCK_CHARS) -> Candidates:
    """The candidate records of a decoded (NFC) text, extracted block by block (see the module's docstring)."""
    if len(text) <= block_chars:
        return build_candidates(extract(text), source_name)
    merger = Merger(slugify(Path(source_name).stem))
    digest = hashlib.sha256()
    for offset, block in blocks(text, block_chars):
        digest.update(block.encode("utf-8"))
        merger.add(build_candidates(extract(block, offset), source_name, with_source=False))
    return merger.finish(source_name, digest.hexdigest(), len(text))
