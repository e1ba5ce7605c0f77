"""Check cited spans against the source text, and print the passage behind a statement.

Provenance in the graph is (source SHA-256, start, end, evidence): the build never needs the
text. Here the text is read, its hash compared, and each subject's evidence (names, numbers,
wordings, dates) looked for inside the passages it cites.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import XSD

from tttt_kg.graph.namespaces import DCTERMS, ELI, OA, PROV, SCHEMA, TKG
from tttt_kg.graph.vietnamese import squash

DATE_PROPERTIES = (ELI.date_document, DCTERMS.date, SCHEMA.foundingDate)

_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)"),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE),
)


class SourceError(ValueError):
    """The source text cannot be used: missing, unreadable, or not the one the graph cites."""


@dataclass
class Source:
    """A source text read from disk and checked against the graph's SHA-256."""
    path: Path
    text: str
    sha256: str


@dataclass
class Problem:
    subject: str
    message: str

    def __str__(self):
        return f"{self.subject}: {self.message}"


def read_source(path: Path | str, expected_sha256: str | None = None) -> Source:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file; pass the path of the seed text "
                          "(e.g. ../shared/seed/de-cuong-15-nam-so-tttt-hai-duong-2019.txt)") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory; pass the source text file itself") from None
    sha = hashlib.sha256(data).hexdigest()
    if expected_sha256 and sha != expected_sha256:
        raise SourceError(f"{path}: SHA-256 {sha} is not the cited source's {expected_sha256}; "
                          "the text has changed or this is another file — spans would point at the wrong words")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}); the cited source is UTF-8 text") from None
    return Source(path, unicodedata.normalize("NFC", text), sha)


def dates_in(text: str) -> set[str]:
    """ISO forms of every dd/mm/yyyy, dd.mm.yyyy and 'ngày d tháng m năm y' date in a passage."""
    found = set()
    for pattern in _DATE_PATTERNS:
        for d, m, y in pattern.findall(text):
            if 1 <= int(m) <= 12 and 1 <= int(d) <= 31:
                found.add(f"{int(y):04d}-{int(m):02d}-{int(d):02d}")
    return found


def spans_of(g: Graph, subject: URIRef) -> list[tuple[URIRef, URIRef, int, int]]:
    """(span, source, start, end) for every passage a subject cites."""
    out = []
    for span in g.objects(subject, PROV.wasDerivedFrom):
        src = g.value(span, OA.hasSource)
        sel = g.value(span, OA.hasSelector)
        start, end = g.value(sel, OA.start), g.value(sel, OA.end)
        if src is None or start is None or end is None:
            continue
        out.append((span, src, int(start), int(end)))
    return sorted(out, key=lambda t: (t[2], t[3]))


def source_sha(g: Graph, source: URIRef) -> str | None:
    value = g.value(source, TKG.sha256)
    return str(value) if value is not None else None


def verify(g: Graph, source: Source) -> tuple[int, list[Problem]]:
    """Check every span citing ``source``: in bounds, its evidence inside, its dates inside.

    Returns the number of spans checked and the problems found.
    """
    problems: list[Problem] = []
    checked = 0
    cited_here = {s for s in g.subjects(TKG.sha256, None) if str(g.value(s, TKG.sha256)) == source.sha256}
    if not cited_here:
        raise SourceError(f"{source.path}: the graph cites no source with SHA-256 {source.sha256}")
    for subject in sorted(set(g.subjects(PROV.wasDerivedFrom, None)), key=str):
        spans = [s for s in spans_of(g, subject) if s[1] in cited_here]
        if not spans:
            continue
        passages = []
        for span, _, start, end in spans:
            checked += 1
            if end > len(source.text):
                problems.append(Problem(str(subject), f"span {start}-{end} ends past the text ({len(source.text)} characters)"))
                continue
            passages.append(source.text[start:end])
        joined = squash(" ".join(passages)).casefold()
        evidence = {str(e) for span, *_ in spans for e in g.objects(span, TKG.evidence)}
        for e in sorted(evidence):
            if squash(e).casefold() not in joined:
                problems.append(Problem(str(subject), f"'{e}' does not occur in its cited passage(s)"))
        mentioned = set().union(*(dates_in(p) for p in passages)) if passages else set()
        for prop in DATE_PROPERTIES:
            for value in g.objects(subject, prop):
                if getattr(value, "datatype", None) == XSD.date and str(value) not in mentioned:
                    problems.append(Problem(str(subject), f"date {value} ({prop.n3(g.namespace_manager)}) "
                                                          "is not written in its cited passage(s)"))
    return checked, problems


def passages(g: Graph, subject: URIRef, sources: list[Source]) -> list[tuple[str, int, int, str | None]]:
    """(source file name, start, end, text) of each passage behind a subject.

    The text is None when none of ``sources`` is the cited one.
    """
    by_sha = {s.sha256: s for s in sources}
    out = []
    for _, src, start, end in spans_of(g, subject):
        source = by_sha.get(source_sha(g, src))
        name = str(g.value(src, TKG.fileName) or src)
        out.append((name, start, end, source.text[start:end] if source else None))
    return out


def locate(text: str, needle: str, tolerant: bool = False) -> list[tuple[int, int]]:
    """Every [start, end) where ``needle`` occurs, whitespace-tolerant: for writing spans.

    ``tolerant``: also ignoring case and diacritics (đ as d), so that 03/2017/QD-UBND finds
    03/2017/QĐ-UBND and 'trung tam cntt' finds 'Trung tâm CNTT'; the offsets are still those of
    ``text`` (vietnamese.fold keeps every character in its place)."""
    needle = unicodedata.normalize("NFC", needle)
    if tolerant:
        from tttt_kg.graph.vietnamese import fold
        text, needle = fold(text), fold(needle)
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)] if pattern else []
