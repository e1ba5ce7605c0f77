"""Read and check the YAML records under graph/records/.

The records are the project's data entry format: a researcher edits YAML, never Python.
This module turns them into plain, checked Python objects. Every problem is reported
as a :class:`RecordError` naming the file, the line, the record, the field and how to
fix it, before anything is built or written.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RECORD_FILES = ("source", "organisations", "documents", "assignments", "units", "events")
DEFAULT_RECORDS_DIR = Path(__file__).with_name("records")

ORG_TYPES = {
    "provincial-peoples-committee", "provincial-peoples-council", "provincial-party-committee",
    "party-central-body", "government", "ministry", "department", "broadcaster",
    "party-cell", "party-committee", "trade-union", "youth-union", "veterans-association",
    "journalists-association", "head-of-state", "head-of-government",
}
PARTY_TYPES = {"party-cell", "party-committee"}
MASS_TYPES = {"trade-union", "youth-union", "veterans-association", "journalists-association"}
UNIT_TYPES = {"division", "public-service-unit", "leadership"}
DOC_TYPES = {"quyet-dinh", "luat", "hien-phap", "nghi-quyet", "chi-thi", "chien-luoc", "nghi-dinh", "thong-tu",
             "quy-hoach", "ke-hoach", "de-an"}   # the last three: ontology/activities.ttl
CHANGE_TYPES = {"establishment", "transformation", "restructuring", "merger", "renaming", "upgrade"}
MATCH_KINDS = {"exact", "close", "narrow", "broad"}
SLUG = re.compile(r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$")


class RecordError(ValueError):
    """A record that cannot be built: where it is, what is wrong, how to fix it."""

    def __init__(self, path: Path | str, line: int | None, what: str, fix: str):
        self.path, self.line, self.what, self.fix = str(path), line, what, fix
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {what}\n  fix: {fix}")


LINE_KEYS = frozenset({"__line__", "__lines__"})   # what _LineLoader adds to every mapping


# libyaml's parser when PyYAML has it (the Python one was half of a build's time), else the pure-Python one
_SafeLoaderBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoaderBase):
    """A SafeLoader that remembers the line of every mapping and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise RecordError(self.name, key_node.start_mark.line + 1,
                                  f"key '{key}' appears twice in one record",
                                  "keep one of the two values")
            seen.add(key)
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        # each field's own line, so that an error names the line of the field, not of the record
        mapping["__lines__"] = {self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value}
        return mapping


def _timestamp_or_text(loader, node):
    """A YAML date that is not a real day (2008-13-03) stays text, so the field check can name it."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


# ---------------------------------------------------------------- typed records

Span = tuple[int, int]


@dataclass
class Record:
    """Fields every record shares: its id, its place in the files, its spans and evidence."""
    id: str
    file: str
    line: int
    spans: list[Span]
    written: list[str] = field(default_factory=list)
    source: str = ""          # id of the source the spans point into (default: the first source)


@dataclass
class Source(Record):
    file_name: str = ""
    sha256: str = ""
    length: int = 0
    label: dict[str, str] = field(default_factory=dict)
    date: _dt.date | None = None
    publisher: str | None = None


@dataclass
class Organisation(Record):
    type: str = ""
    label: dict[str, str] = field(default_factory=dict)
    alt: list[str] = field(default_factory=list)
    part_of: str | None = None
    linked_to: str | None = None
    founded: _dt.date | None = None
    members: int | None = None


@dataclass
class Document(Record):
    type: str = ""
    number: str | None = None
    date: _dt.date | None = None
    issuer: str | None = None
    label: dict[str, str] = field(default_factory=dict)
    alt: list[str] = field(default_factory=list)
    title: dict[str, str] = field(default_factory=dict)
    regulates: str | None = None
    replaces: list[str] = field(default_factory=list)
    based_on: list[str] = field(default_factory=list)
    amends: str | None = None
    subject: list[str] = field(default_factory=list)
    stated_units: int | None = None
    term: str | None = None


@dataclass
class Item(Record):
    wording: str = ""
    functions: list[str] = field(default_factory=list)
    match: str = "exact"
    number: int = 0


@dataclass
class Assignment(Record):
    decision: str = ""
    organisation: str = ""
    items: list[Item] = field(default_factory=list)


@dataclass
class Unit(Record):
    type: str = ""
    label: dict[str, str] = field(default_factory=dict)
    alt: list[str] = field(default_factory=list)
    unit_of: str = ""
    listed_in: list[str] = field(default_factory=list)


@dataclass
class ChangeEvent(Record):
    type: str = ""
    label: dict[str, str] = field(default_factory=dict)
    date: _dt.date | None = None
    decision: str | None = None
    part_of: str | None = None
    original: list[str] = field(default_factory=list)
    resulting: list[str] = field(default_factory=list)
    basis: str | None = None


@dataclass
class Transfer(Record):
    functions: list[str] = field(default_factory=list)
    wording: str = ""
    from_org: str = ""
    to_org: str = ""
    date: _dt.date | None = None
    decision: str | None = None


@dataclass
class Reading(Record):
    about: list[str] = field(default_factory=list)
    preferred: bool = False
    date: _dt.date | None = None
    comment: dict[str, str] = field(default_factory=dict)


@dataclass
class Records:
    """Every record of one records directory, checked and cross-referenced."""
    sources: list[Source] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    change_events: list[ChangeEvent] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)

    @property
    def source(self) -> Source:
        """The default source: the first of source.yaml."""
        return self.sources[0]

    def source_by_id(self, sid: str) -> Source:
        return next(s for s in self.sources if s.id == sid)


# ---------------------------------------------------------------- field readers

class _Reader:
    """Reads the fields of one raw YAML mapping, turning every problem into a RecordError."""

    def __init__(self, path: Path, raw: Any, what: str, allowed: set[str]):
        self.path = path
        if not isinstance(raw, dict):
            raise RecordError(path, None, f"a {what} must be a mapping of fields, not {type(raw).__name__}",
                              "write the record as 'field: value' lines")
        self.raw, self.line = raw, raw.get("__line__")
        self.label = f"{what} '{raw.get('id', raw.get('decision', '?'))}'"
        unknown = set(raw) - allowed - LINE_KEYS
        if unknown:
            name = sorted(unknown)[0]
            raise self.error(name, "is not a field of this kind of record",
                             f"use one of: {', '.join(sorted(allowed))}")

    def error(self, name: str, problem: str, fix: str) -> RecordError:
        line = self.raw.get("__lines__", {}).get(name, self.line)
        return RecordError(self.path, line, f"{self.label}, field '{name}': {problem}", fix)

    def get(self, name, required=False, default=None):
        if name not in self.raw or self.raw[name] is None:
            if required:
                raise self.error(name, "is missing", f"add '{name}:' to the record")
            return default
        return self.raw[name]

    def text(self, name, required=False):
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"must be non-empty text, not {value!r}", "quote the value")
        return value.strip()

    def slug(self, name, required=False):
        value = self.text(name, required)
        if value is not None and not SLUG.match(value):
            raise self.error(name, f"'{value}' is not a valid id",
                             "use lower-case ASCII letters, digits, '-' and '/' (e.g. so-tttt-hai-duong)")
        return value

    def slugs(self, name, required=False):
        value = self.get(name, required, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or (required and not value):
            raise self.error(name, "must be a non-empty list of ids", f"write '{name}: [id, ...]'")
        for v in value:
            if not isinstance(v, str) or not SLUG.match(v):
                raise self.error(name, f"{v!r} is not a valid id",
                                 "use lower-case ASCII letters, digits, '-' and '/'")
        return list(value)

    def strings(self, name):
        value = self.get(name, False, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(name, "must be a list of non-empty strings", f"write '{name}: [\"…\", …]'")
        return [v.strip() for v in value]

    def date(self, name, required=False):
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
            raise self.error(name, f"{value!r} is not a valid date",
                             "write the date as YYYY-MM-DD (e.g. 2008-11-03), unquoted, and check day and month")
        return value

    def integer(self, name, required=False, minimum=0):
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"{value!r} is not a whole number ≥ {minimum}", "write a number such as 7")
        return value

    def boolean(self, name):
        value = self.get(name, False, False)
        if not isinstance(value, bool):
            raise self.error(name, f"{value!r} is not true or false", "write true or false")
        return value

    def choice(self, name, choices, required=True, default=None):
        value = self.text(name, required) or default
        if value is not None and value not in choices:
            raise self.error(name, f"'{value}' is not a known value", f"use one of: {', '.join(sorted(choices))}")
        return value

    def lang_map(self, name, required=False, need=("vi",)):
        value = self.get(name, required, {})
        if isinstance(value, str):
            value = {"vi": value}
        if not isinstance(value, dict):
            raise self.error(name, "must map languages to text", f"write '{name}: {{vi: …, en: …}}'")
        value = {k: v for k, v in value.items() if k not in LINE_KEYS}
        for lang in value:
            if lang not in ("vi", "en") or not isinstance(value[lang], str) or not value[lang].strip():
                raise self.error(name, f"entry '{lang}' must be non-empty text under 'vi' or 'en'",
                                 f"write '{name}: {{vi: …, en: …}}'")
        if value or required:
            for lang in need:
                if lang not in value:
                    raise self.error(name, f"has no '{lang}' text", f"add '{lang}: …' to {name}")
        return {k: v.strip() for k, v in value.items()}

    def spans(self, length: int | None, name="span"):
        value = self.get(name, True)
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.error(name, "is missing or empty", "cite the passage as [start, end] (see README: spans)")
        out = []
        for pair in value:
            ok = (isinstance(pair, list) and len(pair) == 2
                  and all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
                  and 0 <= pair[0] < pair[1])
            if not ok:
                raise self.error(name, f"{pair!r} is not a span",
                                 "write [start, end] with 0 ≤ start < end (`tttt-kg locate` prints them)")
            if length is not None and pair[1] > length:
                raise self.error(name, f"[{pair[0]}, {pair[1]}] ends past the source's {length} characters",
                                 "check the offsets with `tttt-kg locate`")
            out.append((pair[0], pair[1]))
        return out


# ---------------------------------------------------------------- loading

def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(path, None, "records file not found",
                          f"create it, or point --records at a directory holding {', '.join(f + '.yaml' for f in RECORD_FILES)}") from None
    except UnicodeDecodeError as exc:
        raise RecordError(path, None, f"is not UTF-8 ({exc.reason} at byte {exc.start})",
                          "save the file as UTF-8") from None
    try:
        loader = _LineLoader(text)
        loader.name = str(path)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RecordError(path, mark.line + 1 if mark else None, f"is not valid YAML: {exc.problem or exc}",
                          "fix the YAML syntax at that line (indentation, quotes, brackets)") from None
    except (ValueError, yaml.YAMLError) as exc:   # e.g. an integer too long to convert
        raise RecordError(path, None, f"cannot be read as YAML records: {str(exc)[:200]}",
                          "check the values in this file; numbers must be ordinary whole numbers") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RecordError(path, 1, "must be a mapping of record lists", "start with e.g. 'documents:'")
    return data


def _section(path: Path, data: dict, key: str) -> list:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(path, data.get("__line__"), f"'{key}' must be a list of records", f"write '{key}:' then '- id: …' items")
    return value


def load_records(directory: Path | str | None = None) -> Records:
    """Read every records file of ``directory`` (the packaged records by default) and check it."""
    directory = Path(directory) if directory else DEFAULT_RECORDS_DIR
    if not directory.is_dir():
        raise RecordError(directory, None, "is not a directory of records",
                          "pass the folder that holds source.yaml, documents.yaml, …")
    raw = {name: _read_yaml(directory / f"{name}.yaml") for name in RECORD_FILES}
    recs = Records()
    p = {name: directory / f"{name}.yaml" for name in RECORD_FILES}

    for r in _section(p["source"], raw["source"], "sources"):
        rd = _Reader(p["source"], r, "source", {"id", "file", "sha256", "length", "label", "date", "publisher", "written", "span"})
        sha = rd.text("sha256", True).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise rd.error("sha256", "is not a 64-digit hex SHA-256", "copy the hash `sha256sum FILE` prints")
        length = rd.integer("length", True, 1)
        recs.sources.append(Source(
            id=rd.slug("id", True), file=str(p["source"]), line=rd.line, spans=rd.spans(length),
            written=rd.strings("written"), file_name=rd.text("file", True), sha256=sha, length=length,
            label=rd.lang_map("label", True), date=rd.date("date"), publisher=rd.slug("publisher")))
    if not recs.sources:
        raise RecordError(p["source"], None, "describes no source",
                          "add one entry under 'sources:' with id, file, sha256 and length")
    lengths = {}
    for src in recs.sources:
        if src.id in lengths:
            raise RecordError(src.file, src.line, f"source id '{src.id}' is used twice", "give each source its own id")
        lengths[src.id] = src.length
        src.source = src.id

    def source_of(rd: _Reader, default: str | None = None) -> str:
        sid = rd.slug("source") or default or recs.sources[0].id
        if sid not in lengths:
            raise rd.error("source", f"unknown source '{sid}'", f"use one of the ids of source.yaml: {', '.join(lengths)}")
        return sid

    def base(rd: _Reader, id_field="id"):
        sid = source_of(rd)
        return dict(id=rd.slug(id_field, True), file=str(rd.path), line=rd.line,
                    spans=rd.spans(lengths[sid]), written=rd.strings("written"), source=sid)

    for r in _section(p["organisations"], raw["organisations"], "organisations"):
        rd = _Reader(p["organisations"], r, "organisation",
                     {"id", "type", "label", "alt", "part_of", "linked_to", "founded", "members", "written", "span", "source"})
        recs.organisations.append(Organisation(
            **base(rd), type=rd.choice("type", ORG_TYPES), label=rd.lang_map("label", True, ("vi", "en")),
            alt=rd.strings("alt"), part_of=rd.slug("part_of"), linked_to=rd.slug("linked_to"),
            founded=rd.date("founded"), members=rd.integer("members")))

    for r in _section(p["documents"], raw["documents"], "documents"):
        rd = _Reader(p["documents"], r, "document",
                     {"id", "type", "number", "date", "issuer", "label", "alt", "title", "regulates", "replaces",
                      "amends", "based_on", "subject", "stated_units", "term", "written", "span", "source"})
        kind = rd.choice("type", DOC_TYPES)
        decision = kind == "quyet-dinh"
        doc = Document(
            **base(rd), type=kind, number=rd.text("number", decision), date=rd.date("date", decision),
            issuer=rd.slug("issuer", decision), label=rd.lang_map("label", not decision, ("vi", "en")),
            alt=rd.strings("alt"), title=rd.lang_map("title", decision), regulates=rd.slug("regulates"),
            replaces=rd.slugs("replaces"), based_on=rd.slugs("based_on"), amends=rd.slug("amends"), subject=rd.slugs("subject"),
            stated_units=rd.integer("stated_units"), term=rd.text("term"))
        if doc.number and doc.number not in doc.written:
            doc.written.insert(0, doc.number)
        recs.documents.append(doc)

    for r in _section(p["assignments"], raw["assignments"], "assignments"):
        rd = _Reader(p["assignments"], r, "assignment", {"decision", "organisation", "items", "written", "span", "source"})
        decision = rd.slug("decision", True)
        list_source = source_of(rd)
        items_raw = rd.get("items", True)
        if not isinstance(items_raw, list) or not items_raw:
            raise rd.error("items", "must be a non-empty list", "list the decision's functions, one '- wording: …' each")
        items = []
        for n, item in enumerate(items_raw, 1):
            ri = _Reader(p["assignments"], item, f"item {n} of assignment by '{decision}'",
                         {"wording", "functions", "match", "written", "span", "source"})
            wording = ri.text("wording", True)
            item_source = source_of(ri, list_source)
            items.append(Item(id=f"{decision}/{n}", file=str(ri.path), line=ri.line, spans=ri.spans(lengths[item_source]),
                              source=item_source,
                              written=[wording, *ri.strings("written")], wording=wording,
                              functions=ri.slugs("functions", True), match=ri.choice("match", MATCH_KINDS, False, "exact"),
                              number=n))
        recs.assignments.append(Assignment(id=decision, file=str(rd.path), line=rd.line,
                                           spans=rd.spans(lengths[list_source]), source=list_source,
                                           written=rd.strings("written"), decision=decision,
                                           organisation=rd.slug("organisation", True), items=items))

    for r in _section(p["units"], raw["units"], "units"):
        rd = _Reader(p["units"], r, "unit", {"id", "type", "label", "alt", "unit_of", "listed_in", "written", "span", "source"})
        recs.units.append(Unit(**base(rd), type=rd.choice("type", UNIT_TYPES), label=rd.lang_map("label", True, ("vi", "en")),
                               alt=rd.strings("alt"), unit_of=rd.slug("unit_of", True), listed_in=rd.slugs("listed_in", True)))

    for r in _section(p["events"], raw["events"], "change_events"):
        rd = _Reader(p["events"], r, "change event", {"id", "type", "label", "date", "decision", "part_of", "original",
                                                        "resulting", "basis", "written", "span", "source"})
        ev = ChangeEvent(**base(rd), type=rd.choice("type", CHANGE_TYPES), label=rd.lang_map("label", True, ("vi", "en")),
                         date=rd.date("date"), decision=rd.slug("decision"), part_of=rd.slug("part_of"),
                         original=rd.slugs("original"), resulting=rd.slugs("resulting"), basis=rd.text("basis"))
        if not ev.original and not ev.resulting:
            raise rd.error("resulting", "an event needs an original or a resulting organisation", "add 'resulting: [id]'")
        recs.change_events.append(ev)
    for r in _section(p["events"], raw["events"], "transfers"):
        rd = _Reader(p["events"], r, "transfer", {"id", "functions", "wording", "from", "to", "date", "decision", "written", "span", "source"})
        wording = rd.text("wording", True)
        b = base(rd)
        b["written"] = [wording, *b["written"]]
        recs.transfers.append(Transfer(**b, functions=rd.slugs("functions", True), wording=wording,
                                       from_org=rd.slug("from", True), to_org=rd.slug("to", True),
                                       date=rd.date("date", True), decision=rd.slug("decision")))
    for r in _section(p["events"], raw["events"], "readings"):
        rd = _Reader(p["events"], r, "reading", {"id", "about", "preferred", "date", "comment", "written", "span", "source"})
        recs.readings.append(Reading(**base(rd), about=rd.slugs("about", True), preferred=rd.boolean("preferred"),
                                     date=rd.date("date"), comment=rd.lang_map("comment", True, ("en",))))
    _check_references(recs)
    return recs


def _check_references(recs: Records) -> None:
    """Every id is defined once, every reference points at a record of the right kind."""
    kinds: dict[str, tuple[str, Record]] = {}

    def define(kind, rec):
        if rec.id in kinds:
            other = kinds[rec.id][1]
            raise RecordError(rec.file, rec.line, f"id '{rec.id}' is already used at {other.file}:{other.line}",
                              "give each record its own id")
        kinds[rec.id] = (kind, rec)

    for o in recs.organisations:
        define("organisation", o)
    for u in recs.units:
        define("unit", u)
    numbers: dict[str, Document] = {}
    for d in recs.documents:
        define("document", d)
        if d.number:
            key = d.number.casefold()
            if key in numbers:
                first = numbers[key]
                raise RecordError(d.file, d.line, f"document '{d.id}', field 'number': {d.number} is already the number "
                                  f"of '{first.id}' ({first.file}:{first.line})",
                                  "a number identifies one document: merge the two records or correct the number")
            numbers[key] = d
    for e in recs.change_events:
        define("change event", e)
    for t in recs.transfers:
        define("transfer", t)
    for r in recs.readings:
        define("reading", r)

    def ref(rec: Record, field_name: str, value: str | None, *allowed: str):
        if value is None:
            return
        found = kinds.get(value)
        if not found or found[0] not in allowed:
            known = sorted(k for k, (kind, _) in kinds.items() if kind in allowed)
            import difflib
            near = difflib.get_close_matches(value, known, n=3)
            hint = f"did you mean {', '.join(near)}?" if near else f"define a {allowed[0]} with id '{value}' first"
            raise RecordError(rec.file, rec.line, f"'{rec.id}', field '{field_name}': unknown {' or '.join(allowed)} '{value}'", hint)

    from tttt_kg.graph.functions_scheme import canonical_function_ids
    functions = canonical_function_ids()

    def fn_ref(rec: Record, values):
        for v in values:
            if v not in functions:
                import difflib
                near = difflib.get_close_matches(v, sorted(functions), n=3)
                raise RecordError(rec.file, rec.line, f"'{rec.id}', field 'functions': unknown function '{v}'",
                                  (f"did you mean {', '.join(near)}? " if near else "")
                                  + "functions are the concepts of ontology/functions.ttl; add a new one there first")

    ref(recs.source, "publisher", recs.source.publisher, "organisation")
    for o in recs.organisations:
        ref(o, "part_of", o.part_of, "organisation")
        ref(o, "linked_to", o.linked_to, "organisation")
    for d in recs.documents:
        ref(d, "issuer", d.issuer, "organisation")
        ref(d, "regulates", d.regulates, "organisation")
        ref(d, "amends", d.amends, "document")
        for x in d.replaces:
            ref(d, "replaces", x, "document")
        for x in d.based_on:
            ref(d, "based_on", x, "document")
        fn_ref(d, d.subject)
    for a in recs.assignments:
        ref(a, "decision", a.decision, "document")
        ref(a, "organisation", a.organisation, "organisation")
        for item in a.items:
            fn_ref(item, item.functions)
    for u in recs.units:
        ref(u, "unit_of", u.unit_of, "organisation")
        for x in u.listed_in:
            ref(u, "listed_in", x, "document")
    for e in recs.change_events:
        ref(e, "decision", e.decision, "document")
        ref(e, "part_of", e.part_of, "change event")
        for x in e.original + e.resulting:
            ref(e, "original/resulting", x, "organisation", "unit")
    for t in recs.transfers:
        ref(t, "from", t.from_org, "organisation")
        ref(t, "to", t.to_org, "organisation")
        ref(t, "decision", t.decision, "document")
        fn_ref(t, t.functions)
    for r in recs.readings:
        for x in r.about:
            ref(r, "about", x, "organisation", "unit", "document", "change event", "transfer")
