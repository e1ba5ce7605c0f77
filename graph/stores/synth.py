"""A synthetic, national-size corpus with the seed graph's shape, for benchmarks and scale tests.

The corpus is the real seed graph (vocabulary, schemes and Hải Dương facts) followed by made-up
provinces ("Tỉnh Mẫu 001", …), each with departments that have a predecessor, a chain of
decisions that replace one another, numbered function assignments with their wordings, units
listed by each decision, a transformation, a unit merger and function transfers between
departments. Every statement cites a span of a synthetic source document, as the seed's do.
Nothing here is a fact: names are numbered placeholders and the IRIs sit under id/…/synth/.

The N-Triples are written directly (no rdflib) so that a million triples take seconds; the
same seed number always gives the same bytes.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, IO

from tttt_kg.graph.stores.base import _prefixes
from tttt_kg.graph.vietnamese import search_key

P = _prefixes()
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
ID = P["id"]
XSD = P["xsd"]
RDF_TYPE = f"<{P['rdf']}type>"

# What a corpus costs on disk, measured (seed 3): the N-Triples take 185 bytes a triple at 10k, 188
# at 1M and 189.5 at 10M (offsets and province numbers gain digits: about +1.2 a tenfold), so 192
# covers every size up to MAX_TRIPLES; the seed graph adds 0.6 MB. A store loaded from it (synth
# --store) peaked at 195 bytes a triple while loading 1M and keeps 158 once compacted.
FILE_BYTES_PER_TRIPLE = 192
STORE_BYTES_PER_TRIPLE = 200
SEED_BYTES = 1 << 20
# 100M triples: some 60 times a corpus of the whole country (1M triples are 39 provinces, Vietnam
# has 63), a 19 GB file written in about 6 minutes, and the generator keeps every decision's IRI
# for the source document (3 MB of memory per million triples). Past it a size is a typo, not a test.
MAX_TRIPLES = 100_000_000


def estimated_bytes(size: int, store: bool = False) -> int:
    """Disk space a corpus of ``size`` triples needs: the N-Triples file, and with ``store`` the
    Oxigraph store loaded from it (the file stays)."""
    per_triple = FILE_BYTES_PER_TRIPLE + (STORE_BYTES_PER_TRIPLE if store else 0)
    return SEED_BYTES * (2 if store else 1) + size * per_triple


# Departments a province has (kind names only; all facts about them are synthetic).
DEPARTMENTS = [
    ("so-tttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications"),
    ("so-vhttdl", "Sở Văn hoá, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs"),
    ("so-tu-phap", "Sở Tư pháp", "Department of Justice"),
    ("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("so-y-te", "Sở Y tế", "Department of Health"),
    ("so-tai-chinh", "Sở Tài chính", "Department of Finance"),
    ("so-khdt", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment"),
    ("so-xay-dung", "Sở Xây dựng", "Department of Construction"),
    ("so-gtvt", "Sở Giao thông vận tải", "Department of Transport"),
    ("so-tnmt", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment"),
    ("so-ldtbxh", "Sở Lao động, Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs"),
    ("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development"),
    ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade"),
    ("thanh-tra-tinh", "Thanh tra tỉnh", "Provincial Inspectorate"),
]
UNITS = [
    ("van-phong", "Văn phòng", "Office", "division"),
    ("thanh-tra", "Thanh tra", "Inspectorate", "division"),
    ("ke-hoach-tai-chinh", "Phòng Kế hoạch - Tài chính", "Planning and Finance Division", "division"),
    ("phong-nghiep-vu-1", "Phòng Nghiệp vụ 1", "Operations Division 1", "division"),
    ("phong-nghiep-vu-2", "Phòng Nghiệp vụ 2", "Operations Division 2", "division"),
    ("phong-quan-ly", "Phòng Quản lý chuyên ngành", "Sector Management Division", "division"),
    ("trung-tam", "Trung tâm Dịch vụ", "Service Centre", "public-service-unit"),
    ("lanh-dao", "Lãnh đạo Sở", "Department Leadership", "leadership"),
]


def lit(text: str, lang: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


def typed(value, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def iri(local: str) -> str:
    return f"<{ID}{local}>"


def term(prefix: str, local: str) -> str:
    return f"<{P[prefix]}{local}>"


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return search_key(text)


@dataclass
class Functions:
    """The canonical function concepts of the seed graph: (IRI, vi label, en label)."""
    items: list[tuple[str, str, str]]


class Writer:
    """Writes N-Triples lines and counts them."""

    def __init__(self, out: IO[str]):
        self.out, self.count = out, 0
        self._buf: list[str] = []

    def t(self, s: str, p: str, o: str) -> None:
        self._buf.append(f"{s} {p} {o} .\n")
        self.count += 1
        if len(self._buf) >= 4096:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self._buf))
        self._buf.clear()


class Corpus:
    def __init__(self, w: Writer, rnd: random.Random, functions: Functions, seed: int):
        self.w, self.rnd, self.fns, self.seed = w, rnd, functions, seed
        self.source_sha = hashlib.sha256(f"tttt-kg synthetic corpus, seed {seed}".encode()).hexdigest()
        self.source = iri(f"synth/source/{seed}")
        self.offset = 0

    # ---- shared shapes -------------------------------------------------------------------
    def labels(self, s: str, vi: str, en: str, pref: bool = False) -> None:
        t = self.w.t
        t(s, term("rdfs", "label"), lit(vi, "vi"))
        t(s, term("rdfs", "label"), lit(en, "en"))
        if pref:
            t(s, term("skos", "prefLabel"), lit(vi, "vi"))
            t(s, term("skos", "prefLabel"), lit(en, "en"))
        for k in sorted({_key(vi), _key(en)}):
            t(s, term("tkg", "searchKey"), lit(k))

    def cite(self, s: str, evidence: str) -> None:
        """A span of the synthetic source, as the seed's provenance is written."""
        t = self.w.t
        start = self.offset
        end = start + 20 + len(evidence)
        self.offset = end + 1
        span = f"<{s[1:-1]}#span-{start}-{end}>"
        sel = f"<{s[1:-1]}#span-{start}-{end}-position>"
        t(s, term("prov", "wasDerivedFrom"), span)
        t(span, RDF_TYPE, term("oa", "SpecificResource"))
        t(span, term("oa", "hasSource"), self.source)
        t(span, term("oa", "hasSelector"), sel)
        t(span, term("tkg", "evidence"), lit(evidence))
        t(sel, RDF_TYPE, term("oa", "TextPositionSelector"))
        t(sel, term("oa", "start"), typed(start, "nonNegativeInteger"))
        t(sel, term("oa", "end"), typed(end, "nonNegativeInteger"))

    def source_document(self, decisions: list[str]) -> None:
        t, s = self.w.t, self.source
        t(s, RDF_TYPE, term("tkg", "SourceDocument"))
        t(s, term("tkg", "sha256"), lit(self.source_sha))
        t(s, term("tkg", "textLength"), typed(self.offset + 1, "nonNegativeInteger"))
        t(s, term("tkg", "fileName"), lit(f"synthetic-corpus-{self.seed}.txt"))
        t(s, term("dct", "title"), lit(f"Văn bản tổng hợp (mẫu) số {self.seed}", "vi"))
        self.labels(s, f"Văn bản tổng hợp (mẫu) số {self.seed}", f"Synthetic source document {self.seed}")
        for d in decisions:
            t(s, term("dct", "references"), d)

    def organisation(self, s: str, rid: str, vi: str, en: str, kind: str, parent: str | None,
                     founded: str | None = None) -> None:
        t = self.w.t
        t(s, RDF_TYPE, term("org", "Organization"))
        t(s, RDF_TYPE, term("org", "FormalOrganization"))
        t(s, term("dct", "identifier"), lit(rid))
        t(s, term("org", "classification"), iri(f"orgtype/{kind}"))
        self.labels(s, vi, en, pref=True)
        if parent:
            t(s, term("org", "subOrganizationOf"), parent)
        if founded:
            t(s, term("schema", "foundingDate"), typed(founded, "date"))
        self.cite(s, vi)

    def event(self, s: str, kind: str, vi: str, en: str, framework: str, date: str,
              original: list[str], resulting: list[str]) -> None:
        t = self.w.t
        t(s, RDF_TYPE, term("org", "ChangeEvent"))
        t(s, term("tkg", "changeType"), iri(f"changetype/{kind}"))
        t(s, term("m8g", "hasFormalFramework"), framework)
        t(s, term("dct", "date"), typed(date, "date"))
        for o in original:
            t(s, term("org", "originalOrganization"), o)
            t(o, term("org", "changedBy"), s)
        for r in resulting:
            t(s, term("org", "resultingOrganization"), r)
            t(r, term("org", "resultedFrom"), s)
        self.labels(s, vi, en)
        self.cite(s, vi)

    # ---- one province ----------------------------------------------------------------------
    def province(self, n: int, departments: int, target: int) -> list[str]:
        rnd, t = self.rnd, self.w.t
        pslug = f"tinh-mau-{n:03d}"
        pvi, pen = f"Tỉnh Mẫu {n:03d}", f"Sample Province {n:03d}"
        ubnd = iri(f"org/synth/ubnd-{pslug}")
        self.organisation(ubnd, f"synth/ubnd-{pslug}", f"Ủy ban nhân dân {pvi}", f"{pen} People's Committee",
                          "provincial-peoples-committee", None)
        self.validity(ubnd, [], [])     # no event begins or ends it: it counts throughout
        self.lineage(ubnd, [ubnd], [], [])
        decisions, depts = [], []
        for k in range(departments):
            if k and self.w.count >= target:
                break
            dslug, dvi, den = DEPARTMENTS[k % len(DEPARTMENTS)]
            if k >= len(DEPARTMENTS):
                dslug, dvi, den = f"{dslug}-{k}", f"{dvi} {k}", f"{den} {k}"
            dept, decs = self.department(pslug, pvi, pen, ubnd, dslug, dvi, den, depts)
            depts.append(dept)
            decisions += decs
        return decisions

    def department(self, pslug, pvi, pen, ubnd, dslug, dvi, den, earlier):
        rnd, t = self.rnd, self.w.t
        rid = f"synth/{dslug}-{pslug}"
        dept = iri(f"org/{rid}")
        pred = iri(f"org/{rid}-truoc")
        # decisions: a chain 2004 … 2019 where each replaces the one before
        years = sorted(rnd.sample(range(2004, 2020), rnd.randint(3, 5)))
        decs = []
        for i, year in enumerate(years):
            number = f"{rnd.randint(1, 4000)}/{year}/QĐ-UBND"
            date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            decs.append((iri(f"eli/synth/ubnd-{pslug}/qd/{year}/{dslug}-{i + 1}"), number, date, year))
        change_at = rnd.randint(1, len(decs) - 1)     # the decision that transforms predecessor → department
        self.organisation(pred, f"{rid}-truoc", f"{dvi} (tiền thân) {pvi}", f"{pen} {den} (predecessor)",
                          "department", ubnd, founded=decs[0][2])
        self.organisation(dept, rid, f"{dvi} {pvi}", f"{pen} {den}", "department", ubnd)
        t(dept, term("skos", "altLabel"), lit(dvi, "vi"))
        self.event(iri(f"event/{rid}/thanh-lap"), "establishment", f"Thành lập {dvi} (tiền thân) {pvi}",
                   f"Establishment of the {pen} {den} (predecessor)", decs[0][0], decs[0][2], [], [pred])
        self.event(iri(f"event/{rid}/chuyen-doi"), "transformation", f"Chuyển đổi thành {dvi} {pvi}",
                   f"Transformation into the {pen} {den}", decs[change_at][0], decs[change_at][2], [pred], [dept])
        # what the validity rule derives (graph/validity.py), written here as the build stores it
        founding, change = iri(f"event/{rid}/thanh-lap"), iri(f"event/{rid}/chuyen-doi")
        lives = {pred: ([(decs[0][2], founding), (decs[0][2], pred)], [(decs[change_at][2], change)]),
                 dept: ([(decs[change_at][2], change)], [])}
        for org, (begun, ended) in lives.items():
            self.validity(org, begun, ended)
        # their lineages: the predecessor's until the transformation, the department's (both) from it on
        self.lineage(pred, [pred], [], [(decs[change_at][2], change)])
        self.lineage(dept, [pred, dept], [(decs[change_at][2], change)], [], [change])
        previous_units: list[str] = []
        for i, (d, number, date, year) in enumerate(decs):
            assignee = pred if i < change_at else dept
            self.decision(d, number, date, ubnd, assignee, dvi, den, decs[i - 1][0] if i else None)
            replaced = [(decs[i + 1][2], decs[i + 1][0])] if i + 1 < len(decs) else []
            self.validity(d, [(date, d)], replaced)
            previous_units = self.units(rid, dslug, d, assignee, i, previous_units, date, i == len(decs) - 1)
            begun, ended = lives[assignee]
            self.assignments(d, number, assignee, f"{rid}/{year}-{i + 1}",
                             ([(date, d)] + begun, replaced + ended))
        if earlier:
            self.transfer(rid, earlier[-1], dept, decs[change_at])
        return dept, [d[0] for d in decs]

    def decision(self, d, number, date, issuer, regulates, dvi, den, replaces) -> None:
        t = self.w.t
        t(d, RDF_TYPE, term("eli", "LegalResource"))
        t(d, RDF_TYPE, term("tkg", "AdministrativeDecision"))
        t(d, term("eli", "type_document"), iri("doctype/quyet-dinh"))
        t(d, term("eli", "id_local"), lit(number))
        t(d, term("eli", "date_document"), typed(date, "date"))
        t(d, term("eli", "passed_by"), issuer)
        t(d, term("tkg", "regulates"), regulates)
        t(d, term("eli", "title"), lit(f"về chức năng, nhiệm vụ và cơ cấu tổ chức của {dvi}", "vi"))
        t(d, term("eli", "title"), lit(f"on the functions, duties and structure of the {den}", "en"))
        t(d, term("skos", "altLabel"), lit(number, "vi"))
        t(d, term("dct", "identifier"), lit("synth-qd-" + number.replace("/", "-")))
        self.labels(d, f"Quyết định {number}", f"Decision {number}")
        if replaces:
            t(d, term("dct", "replaces"), replaces)
            t(replaces, term("dct", "isReplacedBy"), d)
        self.cite(d, number)

    def units(self, rid, dslug, d, owner, i, previous, date, merge) -> list[str]:
        t, rnd = self.w.t, self.rnd
        chosen = sorted(rnd.sample(range(len(UNITS)), rnd.randint(4, 7)))
        listed = []
        for j in chosen:
            uslug, uvi, uen, kind = UNITS[j]
            u = iri(f"unit/{rid}/{uslug}")
            listed.append(u)
            t(u, term("tkg", "listedIn"), d)
            if u in previous:
                continue
            t(u, RDF_TYPE, term("org", "OrganizationalUnit"))
            t(u, term("org", "unitOf"), owner)
            t(owner, term("org", "hasUnit"), u)
            t(u, term("org", "classification"), iri(f"orgtype/{kind}"))
            t(u, term("dct", "identifier"), lit(f"{rid}/{uslug}"))
            self.labels(u, uvi, uen, pref=True)
            self.cite(u, uvi)
        t(d, term("tkg", "statedUnitCount"), typed(len(listed), "integer"))
        divisions = [u for u in listed if "phong-nghiep-vu" in u]
        if merge and len(divisions) == 2:
            merged = iri(f"unit/{rid}/phong-nghiep-vu")
            t(merged, RDF_TYPE, term("org", "OrganizationalUnit"))
            t(merged, term("org", "unitOf"), owner)
            t(merged, term("tkg", "listedIn"), d)
            t(merged, term("org", "classification"), iri("orgtype/division"))
            self.labels(merged, "Phòng Nghiệp vụ", "Operations Division", pref=True)
            self.cite(merged, "Phòng Nghiệp vụ")
            self.event(iri(f"event/{rid}/hop-nhat-{i}"), "merger", "Hợp nhất Phòng Nghiệp vụ 1 và 2",
                       "Operations Divisions 1 and 2 merged", d, date, divisions, [merged])
        return previous + [u for u in listed if u not in previous]

    def validity(self, s: str, begun: list[tuple[str, str]], ended: list[tuple[str, str]],
                 latest: bool = False) -> None:
        """s's interval: from the earliest (``latest``: the latest) of ``begun``, until the earliest of
        ``ended`` ((ISO day, resource) pairs), as graph/validity.py stores it."""
        from tttt_kg.graph.validity import _bound, interval_triples
        day, from_srcs = _bound([(x, r[1:-1]) for x, r in begun], earliest=not latest)
        until, until_srcs = _bound([(x, r[1:-1]) for x, r in ended])
        self.derived(interval_triples(s[1:-1], day, from_srcs, until, until_srcs))

    def derived(self, triples) -> None:
        """What graph/validity.py's writers give (IRIs as str, dates, Lit strings), as N-Triples."""
        from tttt_kg.graph.validity import Lit
        for ts, tp, to in triples:
            obj = lit(to) if isinstance(to, Lit) else typed(to, "date") if tp.endswith(("validFrom", "validUntil")) else f"<{to}>"
            self.w.t(f"<{ts}>", f"<{tp}>", obj)

    def lineage(self, line: str, members: list[str], made: list[tuple[str, str]], turned: list[tuple[str, str]],
                events: list[str] = ()) -> None:
        """line's lineage (graph/validity.py): ``members`` lead to it; it is the latest of them from the last
        of ``made`` until the first of ``turned`` ((ISO day, event) pairs)."""
        from tttt_kg.graph.validity import _bound, lineage_triples
        day, from_srcs = _bound([(x, r[1:-1]) for x, r in made], earliest=False)
        until, until_srcs = _bound([(x, r[1:-1]) for x, r in turned])
        self.derived(lineage_triples(line[1:-1], [m[1:-1] for m in members], [e[1:-1] for e in events],
                                     day, from_srcs, until, until_srcs))

    def assignments(self, d, number, assignee, key, lives=None) -> None:
        t, rnd = self.w.t, self.rnd
        scheme = iri(f"wording/{key}")
        t(scheme, RDF_TYPE, term("skos", "ConceptScheme"))
        t(scheme, term("skos", "prefLabel"), lit(f"Các lĩnh vực theo {number}", "vi"))
        t(scheme, term("skos", "prefLabel"), lit(f"Functions as worded in {number}", "en"))
        t(scheme, term("dct", "source"), d)
        self.cite(scheme, number)
        picked = rnd.sample(self.fns.items, min(len(self.fns.items), rnd.randint(6, 12)))
        for n, (fn, vi, en) in enumerate(picked, start=1):
            a, wd = iri(f"assignment/{key}/{n}"), iri(f"wording/{key}/{n}")
            t(a, RDF_TYPE, term("tkg", "FunctionAssignment"))
            t(a, term("tkg", "assignedBy"), d)
            t(a, term("tkg", "assignee"), assignee)
            t(a, term("tkg", "function"), fn)
            t(a, term("tkg", "wording"), lit(vi, "vi"))
            t(a, term("tkg", "itemNumber"), typed(n, "positiveInteger"))
            t(a, term("tkg", "wordedAs"), wd)
            t(a, term("rdfs", "label"), lit(f"{number} – mục {n}: {vi}", "vi"))
            t(a, term("rdfs", "label"), lit(f"{number} – item {n}: {vi}", "en"))
            self.cite(a, vi)
            if lives:
                self.validity(a, *lives, latest=True)
            t(wd, RDF_TYPE, term("tkg", "DecisionWording"))
            t(wd, RDF_TYPE, term("skos", "Concept"))
            t(wd, term("skos", "prefLabel"), lit(vi, "vi"))
            t(wd, term("rdfs", "label"), lit(vi, "vi"))
            t(wd, term("skos", "notation"), lit(str(n)))
            t(wd, term("skos", "inScheme"), scheme)
            t(wd, term("skos", "exactMatch"), fn)
            t(wd, term("tkg", "searchKey"), lit(_key(vi)))
            self.cite(wd, vi)

    def transfer(self, rid, source, target, decision) -> None:
        t = self.w.t
        d, number, date, _ = decision
        fn, vi, en = self.rnd.choice(self.fns.items)
        s = iri(f"transfer/{rid}/{fn.rsplit('/', 1)[-1][:-1]}")
        t(s, RDF_TYPE, term("tkg", "FunctionTransfer"))
        t(s, term("tkg", "function"), fn)
        t(s, term("tkg", "transferredFrom"), source)
        t(s, term("tkg", "transferredTo"), target)
        t(s, term("tkg", "transferredBy"), d)
        t(s, term("tkg", "wording"), lit(vi, "vi"))
        t(s, term("dct", "date"), typed(date, "date"))
        self.labels(s, f"Chuyển giao {vi}", f"Transfer of {en}")
        self.cite(s, vi)


def canonical_functions(seed_ntriples: bytes) -> Functions:
    """The fn: concepts and their labels, read from the seed graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(seed_ntriples, format=ox.RdfFormat.N_TRIPLES)
    rows = store.query(f"""SELECT ?c ?vi ?en WHERE {{
        ?c <{P['skos']}inScheme> <{ID}function/scheme> ; <{P['skos']}prefLabel> ?vi, ?en .
        FILTER(lang(?vi) = "vi" && lang(?en) = "en") }} ORDER BY ?c""")
    items = [(f"<{r['c'].value}>", r["vi"].value, r["en"].value) for r in rows]
    if not items:
        raise ValueError("the seed graph has no function concepts (fn:) to assign")
    return Functions(items)


def generate(out: IO[str], target: int, seed: int, seed_ntriples: bytes,
             progress: Callable[[int], None] | None = None, departments: int = len(DEPARTMENTS)) -> int:
    """Write the seed graph plus synthetic provinces until about ``target`` triples; return the count."""
    rnd = random.Random(seed)
    text = seed_ntriples.decode("utf-8")
    counted = f"{iri('dataset')} {term('void', 'triples')} "   # the seed's own count: stated anew at the end
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(counted))
    out.write(text if text.endswith("\n") else text + "\n")
    w = Writer(out)
    w.count = sum(1 for ln in text.splitlines() if ln.strip())
    corpus = Corpus(w, rnd, canonical_functions(seed_ntriples), seed)
    decisions: list[str] = []
    n, reported = 0, w.count
    while w.count < target:
        n += 1
        decisions += corpus.province(n, departments, target)
        if progress:
            progress(w.count - reported)
            reported = w.count
    corpus.source_document(decisions)
    if f"{iri('dataset')} {term('rdf', 'type')} {term('void', 'Dataset')} ." in text:
        w.t(iri("dataset"), term("void", "triples"), typed(w.count + 1, "integer"))   # this one included
    w.flush()
    return w.count
