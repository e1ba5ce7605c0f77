"""Records whose source is public web pages, gathered in a fact sheet: read, check, build.

The seed's records cite spans of a text the project keeps; the records under
``graph/records/2019-2025/`` cite rows of a fact sheet (../shared/sources/2019-2025-facts.md)
and the page addresses those rows give, with the sheet's certainty code. They are read into the
same record classes as the seed's (so the build, the IRIs and the reference checks are shared)
and only their provenance differs: a ``tkg:PageCitation`` instead of an ``oa:SpecificResource``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tttt_kg.graph import records as R
from tttt_kg.graph.builder import _Builder, _date, _labels

PAGES_DIR = "2019-2025"
PAGE_FILES = ("sheet", "organisations", "documents", "assignments", "units", "events")

# the sheet's codes, highest first; ontology/pages.ttl holds the same order as tkg:certaintyRank
CERTAINTY_RANKS = {"stated": 5, "stated-in-translation": 4, "inferred": 3, "national-only": 2, "other-province": 1}
CERTAINTY_CODES = {"D": "stated", "D-tr": "stated-in-translation", "I": "inferred", "N": "national-only",
                   "O": "other-province"}

ORG_TYPES = R.ORG_TYPES | {"national-assembly", "provincial-police", "province"}
DOC_TYPES = R.DOC_TYPES | {"bao-cao", "bien-ban", "phuong-an", "van-ban"}

# what `not_known:` may name, per kind of record, and the property it stands for
NOT_KNOWN = {
    "document": {"number": "eli:id_local", "date": "eli:date_document", "issuer": "eli:passed_by",
                 "in_force": "eli:first_date_entry_in_force", "replaces": "dct:replaces"},
    "unit": {"listed_in": "tkg:listedIn"},
    "change event": {"date": "dct:date", "decision": "m8g:hasFormalFramework", "resulting": "org:resultingOrganization"},
    "item": {"item_number": "tkg:itemNumber"},
}
_ROW = re.compile(r"^(?:[A-Z]{1,2}\d{0,3})$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def certainty_slug(value: str) -> str | None:
    """'D-tr' or 'stated-in-translation' → 'stated-in-translation'; None if it is neither."""
    if value in CERTAINTY_RANKS:
        return value
    return CERTAINTY_CODES.get(value)


@dataclass
class Sheet:
    id: str
    file: str
    line: int
    file_name: str
    compiled: object
    label: dict[str, str]
    rows: dict[str, list[str]]
    sha256: str | None = None   # of the sheet's file as compiled (the graph's description names it)


@dataclass
class PageRef:
    """Where a page-sourced record comes from and how sure it is."""
    sheet: str
    rows: list[str]
    pages: list[str]
    certainty: str
    not_known: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)    # in_force, date_after, stated_items, description, issuers


@dataclass
class PageRecords:
    """The page-sourced records, already merged into the seed's Records; ``refs`` by Python id."""
    sheets: list[Sheet] = field(default_factory=list)
    refs: dict[int, PageRef] = field(default_factory=dict)

    def ref(self, rec) -> PageRef | None:
        return self.refs.get(id(rec))


def pages_dir(records_dir: Path | str | None) -> Path:
    return Path(records_dir or R.DEFAULT_RECORDS_DIR) / PAGES_DIR


def load_page_records(recs: R.Records, records_dir: Path | str | None = None) -> PageRecords:
    """Read ``<records>/2019-2025/*.yaml``, add its records to ``recs`` and check every reference.

    An absent folder adds nothing (a records directory of the seed alone builds the seed graph).
    """
    folder = pages_dir(records_dir)
    out = PageRecords()
    if not folder.is_dir():
        return out
    raw = {}
    for name in PAGE_FILES:
        path = folder / f"{name}.yaml"
        raw[name] = (path, R._read_yaml(path) if path.is_file() else {})
    path, data = raw["sheet"]
    for r in R._section(path, data, "sheets"):
        rd = R._Reader(path, r, "fact sheet", {"id", "file", "compiled", "label", "rows", "sha256"})
        rows = rd.get("rows", True)
        if not isinstance(rows, dict):
            raise rd.error("rows", "must map row addresses to lists of page addresses", "write 'rows: {N1: [https://…]}'")
        clean = {}
        for key, urls in rows.items():
            if key in R.LINE_KEYS:
                continue
            urls = urls or []
            if not isinstance(urls, list) or not all(isinstance(u, str) and _URL.match(u) for u in urls):
                raise rd.error("rows", f"row {key}: {urls!r} is not a list of http(s) addresses",
                               "write the row's page addresses as a list, quoting those with commas")
            clean[str(key)] = list(urls)
        out.sheets.append(Sheet(rd.slug("id", True), str(path), rd.line, rd.text("file", True),
                                rd.date("compiled", True), rd.lang_map("label", True, ("vi", "en")), clean,
                                rd.text("sha256")))
    if not out.sheets:
        raise R.RecordError(path, None, "describes no fact sheet", "add one entry under 'sheets:' with id, file, compiled and rows")
    sheets = {s.id: s for s in out.sheets}

    def page_ref(rd: R._Reader, kind: str, inherit: PageRef | None = None) -> PageRef:
        sheet_id = rd.slug("sheet") or (inherit.sheet if inherit else out.sheets[0].id)
        if sheet_id not in sheets:
            raise rd.error("sheet", f"unknown fact sheet '{sheet_id}'", f"use one of: {', '.join(sheets)}")
        sheet = sheets[sheet_id]
        rows = rd.strings("rows") or (inherit.rows if inherit else [])
        if not rows:
            raise rd.error("rows", "is missing", "cite the fact sheet rows the statement comes from, e.g. 'rows: [H4]'")
        for row in rows:
            if row not in sheet.rows:
                raise rd.error("rows", f"'{row}' is not a row of {sheet.file_name} (sheet.yaml)",
                               f"use one of: {', '.join(sheet.rows)}")
        known_pages = [u for row in rows for u in sheet.rows[row]]
        pages = rd.strings("pages") or (inherit.pages if inherit and not rd.get("rows") else list(dict.fromkeys(known_pages)))
        for url in pages:
            if url not in known_pages:
                raise rd.error("pages", f"{url} is not an address of rows {', '.join(rows)}",
                               "cite only pages the cited rows give (sheet.yaml)")
        if not pages:
            raise rd.error("rows", f"rows {', '.join(rows)} give no page address",
                           "cite at least one row with a page (section E cites none of its own)")
        value = rd.text("certainty") or (inherit.certainty if inherit else None)
        if value is None:
            raise rd.error("certainty", "is missing", f"add 'certainty:' (one of {', '.join(CERTAINTY_RANKS)})")
        slug = certainty_slug(value)
        if slug is None:
            raise rd.error("certainty", f"'{value}' is not a certainty code",
                           f"use one of: {', '.join(CERTAINTY_RANKS)} (or the sheet's D, D-tr, I, N, O)")
        allowed = NOT_KNOWN.get(kind, {})
        not_known = rd.strings("not_known")
        for name in not_known:
            if name not in allowed:
                raise rd.error("not_known", f"'{name}' cannot be declared not known here",
                               f"use: {', '.join(allowed) or 'nothing for this kind of record'}")
        return PageRef(sheet_id, rows, pages, slug, not_known)

    page_fields = {"rows", "pages", "certainty", "not_known", "sheet"}

    def base(rd: R._Reader, kind: str):
        ref = page_ref(rd, kind)
        return dict(id=rd.slug("id", True), file=str(rd.path), line=rd.line, spans=[], written=[],
                    source=ref.sheet), ref

    def keep(rec, ref):
        out.refs[id(rec)] = ref
        return rec

    path, data = raw["organisations"]
    for r in R._section(path, data, "organisations"):
        rd = R._Reader(path, r, "organisation", {"id", "type", "label", "alt", "part_of", "linked_to", "founded"} | page_fields)
        b, ref = base(rd, "organisation")
        recs.organisations.append(keep(R.Organisation(
            **b, type=rd.choice("type", ORG_TYPES), label=rd.lang_map("label", True, ("vi", "en")), alt=rd.strings("alt"),
            part_of=rd.slug("part_of"), linked_to=rd.slug("linked_to"), founded=rd.date("founded")), ref))

    path, data = raw["documents"]
    for r in R._section(path, data, "documents"):
        rd = R._Reader(path, r, "document", {"id", "type", "number", "date", "issuer", "issuers", "label", "alt", "title",
                                             "description", "regulates", "replaces", "based_on", "amends", "subject",
                                             "stated_units", "stated_items", "in_force", "date_after"} | page_fields)
        b, ref = base(rd, "document")
        kind = rd.choice("type", DOC_TYPES)
        decision = kind == "quyet-dinh"
        number = rd.text("number", decision and "number" not in ref.not_known)
        date = rd.date("date", decision and "date" not in ref.not_known)
        issuer = rd.slug("issuer", decision and "issuer" not in ref.not_known)
        for name, value in (("number", number), ("date", date), ("issuer", issuer), ("in_force", rd.get("in_force")),
                            ("replaces", rd.get("replaces"))):
            if name in ref.not_known and value is not None:
                raise rd.error(name, "is declared not known and also given a value", f"drop '{name}' from not_known or the value")
        doc = R.Document(**b, type=kind, number=number, date=date, issuer=issuer,
                         label=rd.lang_map("label", not decision, ("vi", "en")), alt=rd.strings("alt"),
                         title=rd.lang_map("title", decision, ("en",)), regulates=rd.slug("regulates"),
                         replaces=rd.slugs("replaces"), based_on=rd.slugs("based_on"), amends=rd.slug("amends"),
                         subject=rd.slugs("subject"), stated_units=rd.integer("stated_units"))
        ref.extra = {"in_force": rd.date("in_force"), "date_after": rd.date("date_after"),
                     "stated_items": rd.integer("stated_items"), "issuers": rd.slugs("issuers"),
                     "description": rd.lang_map("description", False, ("en",))}
        recs.documents.append(keep(doc, ref))

    path, data = raw["assignments"]
    for r in R._section(path, data, "assignments"):
        rd = R._Reader(path, r, "assignment", {"decision", "organisation", "items"} | page_fields)
        decision = rd.slug("decision", True)
        ref = page_ref(rd, "assignment")
        items_raw = rd.get("items", True)
        if not isinstance(items_raw, list) or not items_raw:
            raise rd.error("items", "must be a non-empty list", "list the functions, one '- wording: …' each")
        items = []
        for n, item in enumerate(items_raw, 1):
            ri = R._Reader(path, item, f"item {n} of assignment by '{decision}'",
                           {"wording", "functions", "match"} | page_fields)
            wording = ri.text("wording", True)
            iref = page_ref(ri, "item", ref)
            iref.not_known = ["item_number"]   # the sheet never gives a page's place in a decision's list
            items.append(keep(R.Item(id=f"{decision}/{n}", file=str(path), line=ri.line, spans=[], source=iref.sheet,
                                     written=[], wording=wording, functions=ri.slugs("functions", True),
                                     match=ri.choice("match", R.MATCH_KINDS, False, "exact"), number=n), iref))
        recs.assignments.append(keep(R.Assignment(id=decision, file=str(path), line=rd.line, spans=[], source=ref.sheet,
                                                  decision=decision, organisation=rd.slug("organisation", True),
                                                  items=items), ref))

    path, data = raw["units"]
    for r in R._section(path, data, "units"):
        rd = R._Reader(path, r, "unit", {"id", "type", "label", "alt", "unit_of", "listed_in"} | page_fields)
        b, ref = base(rd, "unit")
        listed = rd.slugs("listed_in", "listed_in" not in ref.not_known)
        if listed and "listed_in" in ref.not_known:
            raise rd.error("listed_in", "is declared not known and also given", "keep one of the two")
        recs.units.append(keep(R.Unit(**b, type=rd.choice("type", R.UNIT_TYPES), label=rd.lang_map("label", True, ("vi", "en")),
                                      alt=rd.strings("alt"), unit_of=rd.slug("unit_of", True), listed_in=listed), ref))

    path, data = raw["events"]
    for r in R._section(path, data, "change_events"):
        rd = R._Reader(path, r, "change event", {"id", "type", "label", "date", "decision", "part_of", "original",
                                                 "resulting", "basis"} | page_fields)
        b, ref = base(rd, "change event")
        ev = R.ChangeEvent(**b, type=rd.choice("type", R.CHANGE_TYPES), label=rd.lang_map("label", True, ("vi", "en")),
                           date=rd.date("date"), decision=rd.slug("decision"), part_of=rd.slug("part_of"),
                           original=rd.slugs("original"), resulting=rd.slugs("resulting"), basis=rd.text("basis"))
        for name, value in (("date", ev.date), ("decision", ev.decision), ("resulting", ev.resulting or None)):
            if name in ref.not_known and value is not None:
                raise rd.error(name, "is declared not known and also given a value", f"drop '{name}' from not_known or the value")
        if not ev.original and not ev.resulting:
            raise rd.error("resulting", "an event needs an original or a resulting organisation", "add 'resulting: [id]'")
        recs.change_events.append(keep(ev, ref))
    for r in R._section(path, data, "transfers"):
        rd = R._Reader(path, r, "transfer", {"id", "functions", "wording", "from", "to", "date", "decision"} | page_fields)
        b, ref = base(rd, "transfer")
        recs.transfers.append(keep(R.Transfer(**b, functions=rd.slugs("functions", True), wording=rd.text("wording", True),
                                              from_org=rd.slug("from", True), to_org=rd.slug("to", True),
                                              date=rd.date("date", True), decision=rd.slug("decision")), ref))
    for r in R._section(path, data, "readings"):
        rd = R._Reader(path, r, "reading", {"id", "about", "preferred", "date", "comment"} | page_fields)
        b, ref = base(rd, "reading")
        recs.readings.append(keep(R.Reading(**b, about=rd.slugs("about", True), preferred=rd.boolean("preferred"),
                                            date=rd.date("date"), comment=rd.lang_map("comment", True, ("en",))), ref))

    R._check_references(recs)
    known = {o.id for o in recs.organisations}
    for d in recs.documents:
        ref = out.ref(d)
        for x in (ref.extra.get("issuers") or []) if ref else []:
            if x not in known:
                raise R.RecordError(d.file, d.line, f"'{d.id}', field 'issuers': unknown organisation '{x}'",
                                    "define the organisation first")
    return out


# ---------------------------------------------------------------- building

def sheet_iri(sheet_id: str):
    from tttt_kg.graph.namespaces import ID
    return ID[f"source/{sheet_id}"]


def _property(name: str):
    from tttt_kg.graph.namespaces import PREFIXES
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix][local]



class PageBuilder(_Builder):
    """The seed's builder, with the page-sourced records' provenance, certainty and unknowns."""

    def __init__(self, recs: R.Records, pages: PageRecords):
        from tttt_kg.ontology import PAGES
        super().__init__(recs)
        self.pages = pages
        self.vocabulary = (*_Builder.vocabulary, PAGES)
        for sheet in pages.sheets:
            self.source_iris[sheet.id] = sheet_iri(sheet.id)

    def build(self):
        from rdflib import Literal
        from rdflib.namespace import DCTERMS, RDF, XSD
        from tttt_kg.graph.namespaces import TKG
        g = super().build()
        for sheet in self.pages.sheets:
            s = self.source_iris[sheet.id]
            g.add((s, RDF.type, TKG.FactSheet))
            _labels(g, s, sheet.label)
            g.add((s, TKG.fileName, Literal(sheet.file_name)))
            g.add((s, DCTERMS.created, Literal(sheet.compiled.isoformat(), datatype=XSD.date)))
            if sheet.sha256:
                g.add((s, TKG.sha256, Literal(sheet.sha256)))
        return g

    def cite(self, subject, rec) -> None:
        """Seed records: their spans. Page records: a tkg:PageCitation, the certainty, what is not known."""
        ref = self.pages.ref(rec)
        if ref is None:
            return super().cite(subject, rec)
        from rdflib import Literal, URIRef
        from rdflib.namespace import DCTERMS, RDF
        from tttt_kg.graph.namespaces import CERTAINTY, PROV, TKG
        g = self.g
        citation = URIRef(f"{subject}#page-citation")
        g.add((subject, PROV.wasDerivedFrom, citation))
        g.add((citation, RDF.type, TKG.PageCitation))
        g.add((citation, DCTERMS.isPartOf, self.source_iris[ref.sheet]))
        for row in ref.rows:
            g.add((citation, TKG.factSheetRow, Literal(row)))
        for url in ref.pages:
            g.add((citation, DCTERMS.source, URIRef(url)))
        g.add((subject, TKG.certainty, CERTAINTY[ref.certainty]))
        kind = {R.Document: "document", R.Unit: "unit", R.ChangeEvent: "change event", R.Item: "item"}.get(type(rec))
        for name in ref.not_known:
            g.add((subject, TKG.notKnown, _property(NOT_KNOWN[kind][name])))

    def document(self, d: R.Document):
        super().document(d)
        ref = self.pages.ref(d)
        if ref is None:
            return
        from rdflib import Literal
        from rdflib.namespace import DCTERMS, RDF, XSD
        from tttt_kg.graph.namespaces import ELI, TKG
        s, g, x = self.iri.doc(d.id), self.g, ref.extra
        if {"number", "date", "issuer"} & set(ref.not_known):
            # a tkg:AdministrativeDecision always has number, date and issuer (the class's promise, which
            # the shapes and queries rely on); one with an unknown number stays a decision by its doctype
            g.remove((s, RDF.type, TKG.AdministrativeDecision))
        if x.get("in_force"):
            g.add((s, ELI.first_date_entry_in_force, _date(x["in_force"])))
        if x.get("date_after"):
            g.add((s, TKG.dateAfter, _date(x["date_after"])))
        if x.get("stated_items") is not None:
            g.add((s, TKG.statedItemCount, Literal(x["stated_items"], datatype=XSD.nonNegativeInteger)))
        for issuer in x.get("issuers") or []:
            g.add((s, ELI.passed_by, self.iri.org(issuer)))
        for lang, text in (x.get("description") or {}).items():
            g.add((s, DCTERMS.description, Literal(text, lang=lang)))

    def assignment(self, a: R.Assignment):
        """As the seed's, but a page gives no item's place in the list: no tkg:itemNumber, said so."""
        ref = self.pages.ref(a)
        if ref is None:
            return super().assignment(a)
        from rdflib import Literal
        from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
        from tttt_kg.graph.namespaces import FN, TKG
        from tttt_kg.graph.vietnamese import search_key
        g, decision, org = self.g, self.iri.doc(a.decision), self.iri.org(a.organisation)
        dec = self.iri.documents[a.decision]
        name = {lang: dec.number or dec.label.get(lang) or a.decision for lang in ("vi", "en")}
        scheme = self.iri.wording(a.decision)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"Các lĩnh vực theo {name['vi']}", lang="vi")))
        g.add((scheme, SKOS.prefLabel, Literal(f"Functions as worded in {name['en']}", lang="en")))
        g.add((scheme, DCTERMS.source, decision))
        self.cite(scheme, a)
        match = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "narrow": SKOS.narrowMatch, "broad": SKOS.broadMatch}
        for item in a.items:
            s, w = self.iri.assignment(a.decision, item.number), self.iri.wording(a.decision, item.number)
            g.add((s, RDF.type, TKG.FunctionAssignment))
            g.add((s, TKG.assignedBy, decision))
            g.add((s, TKG.assignee, org))
            g.add((s, TKG.wording, Literal(item.wording, lang="vi")))
            g.add((s, TKG.wordedAs, w))
            for f in item.functions:
                g.add((s, TKG.function, FN[f]))
            g.add((s, RDFS.label, Literal(f"{name['vi']}: {item.wording}", lang="vi")))
            g.add((s, RDFS.label, Literal(f"{name['en']}: {item.wording}", lang="en")))
            self.cite(s, item)
            g.add((w, RDF.type, TKG.DecisionWording))
            g.add((w, RDF.type, SKOS.Concept))
            g.add((w, SKOS.inScheme, scheme))
            g.add((w, SKOS.prefLabel, Literal(item.wording, lang="vi")))
            g.add((w, RDFS.label, Literal(item.wording, lang="vi")))
            g.add((w, TKG.searchKey, Literal(search_key(item.wording))))
            for f in item.functions:
                g.add((w, match[item.match], FN[f]))
            self.cite(w, item)


# ---------------------------------------------------------------- checking (verify-sources)

def page_statements(g) -> list:
    """Every subject whose provenance is a page citation, sorted."""
    from rdflib.namespace import RDF
    from tttt_kg.graph.namespaces import PROV, TKG
    cited = set(g.subjects(RDF.type, TKG.PageCitation))
    return sorted({s for s, c in g.subject_objects(PROV.wasDerivedFrom) if c in cited}, key=str)


def check_page_statements(g) -> tuple[int, list]:
    """What can be checked offline: each page-sourced statement has a row, a page address, one certainty."""
    from rdflib.namespace import DCTERMS, RDF
    from tttt_kg.graph.namespaces import PROV, TKG
    from tttt_kg.graph.provenance import Problem
    problems = []
    statements = page_statements(g)
    for s in statements:
        citations = [c for c in g.objects(s, PROV.wasDerivedFrom) if (c, RDF.type, TKG.PageCitation) in g]
        pages = [str(u) for c in citations for u in g.objects(c, DCTERMS.source)]
        if not pages or not all(_URL.match(u) for u in pages):
            problems.append(Problem(str(s), "rests on pages but cites no page address (dct:source http(s)://…)"))
        if not any(True for c in citations for _ in g.objects(c, TKG.factSheetRow)):
            problems.append(Problem(str(s), "names no fact sheet row (tkg:factSheetRow)"))
        certainties = list(g.objects(s, TKG.certainty))
        if len(certainties) != 1 or g.value(certainties[0], TKG.certaintyRank) is None:
            problems.append(Problem(str(s), f"needs exactly one certainty of the scheme, has {len(certainties)}"))
    return len(statements), problems


_SHEET_ROW = re.compile(r"^\|\s*([A-Z]{1,2}\d{1,3})\s*\|(.*)$")
_SHEET_SECTION = re.compile(r"^##\s+([A-Z])\.")


def sheet_rows(text: str) -> dict[str, str]:
    """The fact sheet's rows by address (table rows `| N1 | …`; a section `## E. …` is row E)."""
    rows: dict[str, str] = {}
    section = None
    for line in text.splitlines():
        m = _SHEET_SECTION.match(line)
        if m:
            section = m.group(1)
            rows[section] = ""
            continue
        m = _SHEET_ROW.match(line)
        if m:
            rows[m.group(1)] = m.group(2)
        elif section:
            rows[section] += line + "\n"
    return rows


def check_against_sheet(g, text: str) -> tuple[int, list]:
    """Each cited row is in the sheet, and each cited page address is written in one of the cited rows."""
    from rdflib.namespace import DCTERMS, RDF
    from tttt_kg.graph.namespaces import PROV, TKG
    from tttt_kg.graph.provenance import Problem
    rows = sheet_rows(text)
    problems, checked = [], 0
    for s in page_statements(g):
        for c in g.objects(s, PROV.wasDerivedFrom):
            if (c, RDF.type, TKG.PageCitation) not in g:
                continue
            cited = sorted(str(r) for r in g.objects(c, TKG.factSheetRow))
            for r in cited:
                if r not in rows:
                    problems.append(Problem(str(s), f"cites row {r}, which the fact sheet does not have"))
            for url in sorted(str(u) for u in g.objects(c, DCTERMS.source)):
                checked += 1
                if not any(url in rows.get(r, "") for r in cited):
                    problems.append(Problem(str(s), f"page {url} is not given in row(s) {', '.join(cited)} of the fact sheet"))
    return checked, problems
