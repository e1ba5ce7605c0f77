"""Candidate records in the format of graph/records/*.yaml, with review markers as comments.

Each record carries `span` (code points of the decoded NFC input) and `written` (the input's
own words), like the curated records, and is preceded by a comment line
`# candidate: true · confidence: 0.85 · …` saying how sure the extractor is and why. Fields
the text does not give (English labels, an unknown type) are left out for the reviewer; new
function concepts go to new-functions.ttl, to be added to ontology/functions.ttl first.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from tttt_kg.graph.vietnamese import expand_abbreviations, search_key
from tttt_kg.graph.vietnamese import fold as fold_text

from .functions import slugify
from .layout import first_between
from .model import Citation, Extraction, OrgMention
from .organisations import NATIONAL_TYPES, common_place, find_organisations, identity_key, org_key, place_of
from .yaml_text import yaml_record

_CLAUSE_END = re.compile(r"[,;.\n]")
_MEMBERS = {"party": re.compile(r"(\d+)\s+dang vien(?![\w])"),
            "mass": re.compile(r"(\d+)\s+(?:doan vien|hoi vien)(?![\w])")}
DOC_PREFIX = {"quyet-dinh": "qd", "nghi-dinh": "nd", "thong-tu": "tt", "thong-tu-lien-tich": "ttlt",
              "nghi-quyet": "nq", "chi-thi": "ct", "luat": "luat", "cong-van": "cv", "to-trinh": "tt",
              "huong-dan": "hd", "ke-hoach": "kh", "thong-bao": "tb", "phap-lenh": "pl", "bao-cao": "bc"}
FILES = {"source": ["sources"], "organisations": ["organisations"], "documents": ["documents"],
         "assignments": ["assignments"], "units": ["units"], "events": ["change_events", "transfers"]}
_EVENT_LABELS = {"establishment": "Thành lập {r}", "transformation": "Thành lập {r} trên cơ sở {o}",
                 "renaming": "Đổi tên {o} thành {r}", "upgrade": "{o} nâng cấp thành {r}",
                 "merger": "Hợp nhất {o} thành {r}", "restructuring": "Sắp xếp lại cơ cấu tổ chức {r}"}


@dataclass
class Candidates:
    """Records per section, each with the review comment printed above it."""
    sections: dict[str, list[tuple[dict, str]]] = field(default_factory=dict)
    new_functions: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    source_id: str | None = None

    def add(self, section: str, record: dict, comment: str) -> None:
        if self.source_id and section != "sources":
            record["source"] = self.source_id          # spans count in this source (graph/records: `source`)
        self.sections.setdefault(section, []).append((record, comment))

    def records(self, section: str) -> list[dict]:
        return [r for r, _ in self.sections.get(section, [])]


def document_key(c: Citation) -> str:
    return _key(c.number) if c.number else _key(c.name or "")


def document_id(c: Citation) -> str:
    if c.number:
        parts = [p for p in re.split(r"[/\-]", fold_text(c.number).replace(" ", "-")) if p]   # QĐ-UBND: codes, not words
        prefix = DOC_PREFIX.get(c.doc_type, c.doc_type.split("-")[0])
        digits = [p for p in parts if p.isdigit()]
        year = next((p for p in digits[1:] if len(p) == 4), None)
        number = digits[0] if digits else parts[0]
        rest = [p for p in parts if not p.isdigit() and p not in ("qd", "nd", "tt", "nq", "ct", "ttlt", "quyet", "dinh")]
        if year:
            return f"{prefix}-{number}-{year}"
        tail = "-".join(rest[-1:]) if rest else ""
        year = f"-{c.date.value.year}" if c.date else ""
        return re.sub(r"-+", "-", f"{prefix}-{number}-{tail}{year}").strip("-")
    return slugify(c.name or c.doc_type)


def date_value(d):
    """A date for the records: the day, or "2010-01" / "2008" when the text gives only the month or the year
    (xsd:gYearMonth, xsd:gYear; graph/records takes days, so the reviewer writes one or leaves it out)."""
    if d.precision == "day":
        return d.value
    return f"{d.value.year}-{d.value.month:02d}" if d.precision == "month" else str(d.value.year)


def _date_note(d) -> list[str]:
    return [] if d is None or d.precision == "day" else [f"date to the {d.precision} only: records take a day"]


def _span(x, text) -> list[int]:
    return list(text.original_span(x.start, x.end))


def _spans(spans: list[list[int]]) -> list | list[list[int]]:
    """One span, or the list of them with overlapping ones merged (at most 12)."""
    merged: list[list[int]] = []
    for s, e in sorted({tuple(s) for s in spans}):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged[0] if len(merged) == 1 else merged[:12]


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return search_key(name)


def _from_caps(t, o: OrgMention) -> bool:
    written = t.evidence(o.start, o.end)
    return written.isupper()


_COMMITTEES = {"peoples-committee", "provincial-peoples-committee", "peoples-council", "provincial-peoples-council"}
_LOCALITY_WORDS = re.compile(r"^(?:tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran)\s+")


def _org_ident(rec: dict, place: str | None) -> str:
    """A slug of the body's fullest running-text name, its province last for a provincial body
    ("so-thong-tin-va-truyen-thong-hoa-lam"), so the candidates of several provinces never collide."""
    return _ident_of_names((rec["label"]["vi"], *rec.get("alt", [])), rec["type"], place)


@lru_cache(maxsize=16384)
def _ident_of_names(names: tuple[str, ...], type_: str, place: str | None) -> str:
    """`_org_ident` of the names (label first), the type and the text's place; cached: every block of a long
    text names the same bodies."""
    plain = [n for n in names if not n.isupper()] or names

    def bare(n: str) -> str:
        own = place_of(n)
        s = re.sub(r"\([^)]*\)", " ", n)
        if own:                                      # drop the place's name (it comes last), keep "tỉnh"
            words = s.split()
            k = len(_LOCALITY_WORDS.sub("", own).split())
            s = " ".join(words[:-k]) if len(words) > k else s
        return " ".join(s.split())

    best = max(plain, key=lambda n: (len(bare(n).split()), -names.index(n)))
    own = next((p for p in map(place_of, names) if p), None) or place
    slug = slugify(expand_abbreviations(bare(best)))
    if type_ in NATIONAL_TYPES or not own:
        return slugify(expand_abbreviations(best)) if type_ in NATIONAL_TYPES else slug
    where = _LOCALITY_WORDS.sub("", own)
    if type_ not in _COMMITTEES:             # "Sở … tỉnh": the locality word only for committees
        slug = re.sub(r"-(?:tinh|thanh-pho|huyen|thi-xa|quan|xa|phuong|thi-tran)$", "", slug)
    return slug if slug.endswith(slugify(where)) else f"{slug}-{slugify(where)}"


def source_record(source_id: str, source_name: str, sha256: str, length: int) -> tuple[dict, str]:
    """The input file as the records' `sources` entry, with its review comment."""
    return ({"id": source_id, "file": Path(source_name).name, "sha256": sha256, "length": length,
             "label": {"vi": Path(source_name).stem}, "span": [0, max(1, length)]},
            "candidate: true · the input file; sha256 of its decoded NFC text as UTF-8")


def build_candidates(x: Extraction, source_name: str, with_source: bool = True) -> Candidates:
    """Turn one extraction into candidate records (merged by identity within the text); ``with_source``: with
    the record of the input (its SHA-256), which the blocks of a long input leave to the whole (stream.py)."""
    t = x.text
    out = Candidates(problems=list(x.problems))
    text = t.original
    out.source_id = slugify(Path(source_name).stem)
    if with_source:
        out.add("sources", *source_record(out.source_id, source_name, hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                          len(text)))

    # organisations ------------------------------------------------------------
    orgs: dict[str, dict] = {}
    org_ids: dict[str, str] = {}

    def org_id(o: OrgMention | None) -> str | None:
        return org_ids.get(canonical_key(o)) if o else None

    unit_names = {_key(u.name) for ul in x.unit_lists for u in ul.items}
    keys = {org_key(o.name, o.type) for o in x.organisations}

    place = common_place([o.name for o in x.organisations if o.kind == "administrative"])      # the province the text is about

    canonical: dict[tuple[str, str], str] = {}

    def canonical_key(o: OrgMention) -> str:
        """Identity within the text and across texts: "Sở TTTT Hải Dương" is "Sở TTTT" when the text also
        names it without the place, and a provincial body's key carries its province (its own or the text's).
        Remembered per name and type: a text names the same bodies again and again."""
        found = canonical.get((o.name, o.type))
        if found is None:
            found = canonical[(o.name, o.type)] = _canonical_key(o)
        return found

    def _canonical_key(o: OrgMention) -> str:
        name = o.name
        words = o.name.split()
        for n in (1, 2, 3) if place_of(o.name) is None else ():
            tail = words[-n:]
            shorter = org_key(" ".join(words[:-n]), o.type) if len(words) > n + 1 else None
            if shorter in keys and all(w[:1].isupper() and not w.isupper() for w in tail):
                name = " ".join(words[:-n])
                break
        return identity_key(name, o.type, place)

    unit_spans = sorted((u.start, u.end) for ul in x.unit_lists for u in ul.items)
    unit_starts = [a for a, _ in unit_spans]

    def inside_unit(pos: int) -> bool:
        i = bisect.bisect_right(unit_starts, pos) - 1
        return i >= 0 and unit_spans[i][0] <= pos < unit_spans[i][1]

    for o in x.organisations:
        if inside_unit(o.start) or _key(o.name) in unit_names:
            continue                  # listed as a unit of the organisation: written under units
        key = canonical_key(o)
        entry = orgs.get(key)
        if entry is None:
            org_ids[key] = key
            entry = orgs[key] = {"record": {"id": key, "type": o.type, "label": {"vi": o.name}, "alt": [],
                                            "written": [], "span": []}, "kind": o.kind, "n": 0,
                                 "caps": _from_caps(t, o)}
        rec = entry["record"]
        if o.name != rec["label"]["vi"] and o.name not in rec["alt"]:
            rec["alt"].append(o.name)
            if entry["caps"] and not _from_caps(t, o):      # prefer a name written in running text
                rec["alt"].remove(o.name)
                rec["alt"].insert(0, rec["label"]["vi"])
                rec["label"]["vi"], entry["caps"] = o.name, False
        span, written = t.located(o.start, o.end)
        if written not in rec["written"]:
            rec["written"].append(written)
        rec["span"].append(span)
        entry["n"] += 1
        if o.kind != "administrative" and "members" not in rec:      # "Đảng bộ … với 39 đảng viên"
            clause = _CLAUSE_END.search(t.fold, o.end, o.end + 160)
            m = _MEMBERS[o.kind].search(t.fold, o.end, clause.start() if clause else o.end + 160)
            if m:
                rec["members"] = int(m.group(1))
                rec["written"].append(t.evidence(m.start(), m.end()))
                rec["span"][-1] = list(t.original_span(o.start, m.end()))
    taken: set[str] = set()
    for key, entry in orgs.items():
        ident = _org_ident(entry["record"], place)
        while ident in taken:
            ident += "-2"
        taken.add(ident)
        org_ids[key] = entry["record"]["id"] = ident
    for key, entry in orgs.items():
        rec = entry["record"]
        if not rec["alt"]:
            del rec["alt"]
        rec["span"] = _spans(rec["span"])
        nested = [k for k in orgs if k != key and key.endswith(" " + k)]
        if entry["kind"] != "administrative" and nested:
            rec["linked_to"] = org_ids[max(nested, key=len)]
        out.add("organisations", rec, f"candidate: true · confidence: {0.9 if entry['n'] > 1 else 0.8} · "
                                      f"{entry['kind']} body · {entry['n']} mention(s) · add label.en")

    org_records = {entry["record"]["id"]: entry["record"] for entry in orgs.values()}

    def issuer_from_code(name: str, c: Citation) -> str | None:
        """The body a number's code names ("NĐ-CP" → Chính phủ): the text's own record of it, or a new
        one (for a provincial body, of the text's province) whose evidence is the number."""
        found = find_organisations(name, fold_text(name))
        if not found:
            return None
        o = found[0]
        key = identity_key(o.name, o.type, place)
        if key in org_ids:
            return org_ids[key]
        rec = {"id": "", "type": o.type, "label": {"vi": o.name}, "written": [c.number], "span": _span(c, t)}
        rec["id"] = _org_ident(rec, place)
        while rec["id"] in org_records:
            rec["id"] += "-2"
        org_ids[key] = rec["id"]
        org_records[rec["id"]] = rec
        out.add("organisations", rec, f"candidate: true · confidence: 0.7 · administrative body · named only by the "
                                      f"code of {c.number} · add label.en")
        return rec["id"]

    # documents ----------------------------------------------------------------
    docs: dict[str, dict] = {}
    doc_ids: dict[str, str] = {}
    for c in x.citations:
        key = document_key(c)
        entry = docs.get(key)
        if entry is None:
            doc_ids[key] = document_id(c)
            entry = docs[key] = {"record": {"id": doc_ids[key], "type": c.doc_type}, "notes": [], "conf": c.confidence,
                                 "spans": [], "written": []}
            if c.number:
                entry["record"]["number"] = c.number
            if c.name:
                entry["record"]["label"] = {"vi": c.name}
        rec = entry["record"]
        if c.date and c.date.precision == "day" and "date" not in rec:      # a document's date is a day
            rec["date"] = c.date.value
            entry["notes"].append("the input document itself: number, date and issuer from its header"
                                  if c.date_rule == "header" else f"date {c.date_rule} the number")
            entry["spans"].append(list(t.original_span(min(c.start, c.date.start), max(c.end, c.date.end))))
        elif c.date and c.date.precision == "day" and rec["date"] != c.date.value:
            out.problems.append(f"{rec['id']}: cited with two dates, {rec['date']} and {c.date.value}")
        if c.issuer and "issuer" not in rec and org_id(c.issuer):
            rec["issuer"] = org_id(c.issuer)
            co = [org_id(o) for o in c.co_issuers if org_id(o)]
            hinted = [i for i in (issuer_from_code(h, c) for h in c.issuer_hints[1:]) if i] \
                if c.issuer.type == "ministry" and len(c.issuer_hints) > 1 else []
            co += [i for i in hinted if i != rec["issuer"] and i not in co]
            if co:
                entry["co_issuers"] = co
                entry["notes"].append(f"issued jointly with {', '.join(co)}")
        elif c.issuer_hints and "issuer" not in rec:
            ids = [i for i in (issuer_from_code(h, c) for h in c.issuer_hints) if i]
            if ids:
                rec["issuer"] = ids[0]
                entry["notes"].append(f"issuer by its code ({c.number})")
                if ids[1:]:
                    entry["co_issuers"] = ids[1:]
                    entry["notes"].append(f"issued jointly with {', '.join(ids[1:])}")
        if c.title and "title" not in rec:
            rec["title"] = {"vi": c.title}
            regulated = first_between(x.organisations, *c.title_span)
            if regulated and c.doc_type == "quyet-dinh":
                rec["regulates"] = org_id(regulated)
        if c.stated_units:
            rec["stated_units"] = c.stated_units
        entry["spans"].append(_span(c, t))
        written = t.evidence(c.start, c.end)
        if written not in entry["written"] and written != c.number:
            entry["written"].append(written)
        entry["conf"] = max(entry["conf"], c.confidence)
    for r in x.relations:
        if r.kind == "replaces":
            rec = docs[document_key(r.decision)]["record"]
            target = doc_ids[document_key(r.target)]
            rec.setdefault("replaces", [])
            if target not in rec["replaces"]:
                rec["replaces"].append(target)
            docs[document_key(r.decision)]["written"].append(t.evidence(r.start, r.end))
            docs[document_key(r.decision)]["spans"].append(_span(r, t))
        elif r.kind == "based-on":
            subject = docs[document_key(r.decision)] if r.decision else None
            target = doc_ids[document_key(r.target)]
            if subject:
                subject["record"].setdefault("based_on", [])
                if target not in subject["record"]["based_on"]:
                    subject["record"]["based_on"].append(target)
            else:
                out.problems.append(f"the input document is based on (căn cứ) {target}: add `based_on: [{target}]` "
                                    "to its own record once you have one")
    for entry in docs.values():
        rec = entry["record"]
        if entry["written"]:
            rec["written"] = entry["written"]
        rec["span"] = _spans(entry["spans"])
        notes = " · ".join(["candidate: true", f"confidence: {entry['conf']:.2f}", *entry["notes"]])
        out.add("documents", rec, notes)

    # function assignments -----------------------------------------------------
    for fl in x.function_lists:
        if fl.role == "mention":
            continue
        for it in fl.items:
            for slug, wording in it.new:
                out.new_functions.setdefault(slug, wording)
        if fl.role != "assignment" or not fl.decision:
            continue
        rec = {"decision": doc_ids[document_key(fl.decision)], "organisation": org_id(fl.organisation) or "TODO",
               "span": _span(fl, t),
               "items": [{"wording": it.wording, "functions": it.functions, "match": it.match, "span": _span(it, t)}
                         for it in fl.items]}
        new = sorted({s for it in fl.items for s, _ in it.new})
        out.add("assignments", rec, "candidate: true · confidence: 0.85"
                + (f" · new concepts (see new-functions.ttl): {', '.join(new)}" if new else ""))

    # units ---------------------------------------------------------------------
    units: dict[tuple[str, str], dict] = {}
    for ul in x.unit_lists:
        owner = org_id(ul.organisation) or "TODO"
        decision = doc_ids[document_key(ul.decision)] if ul.decision else None
        for u in ul.items:
            key = (owner, _key(u.name))
            entry = units.get(key)
            if entry is None:
                entry = units[key] = {"id": f"{owner.lower()}/{slugify(u.name)}", "type": u.type,
                                      "label": {"vi": u.name}, "unit_of": owner, "listed_in": [],
                                      "written": [u.name], "span": []}
                comment = "candidate: true · confidence: " + ("0.6 · " + "; ".join(ul.problems) if ul.problems else "0.85")
                out.add("units", entry, comment)
            if decision and decision not in entry["listed_in"]:
                entry["listed_in"].append(decision)
            entry["span"].append(_span(u, t))
    for entry in units.values():
        entry["span"] = _spans(entry["span"])

    # change events and transfers ----------------------------------------------
    def ident_of(m) -> str:
        if isinstance(m, OrgMention):
            return org_id(m) or "TODO"
        owner = next((ul.organisation for ul in x.unit_lists if m in ul.items), None)
        return f"{(org_id(owner) or 'TODO')}/{slugify(m.name)}"

    seen_events: set[tuple] = set()
    transfers: dict[tuple, dict] = {}
    transfer_spans: dict[int, tuple[dict, list]] = {}
    for r in x.relations:
        if r.kind in ("replaces", "based-on"):
            continue
        original = [ident_of(m) for m in r.original]
        resulting = [ident_of(m) for m in r.resulting]
        spans = [_span(r, t)] + [list(t.original_span(a, b)) for a, b in r.extra_spans]
        if r.kind == "transfer":
            key = (tuple(original), tuple(resulting), tuple(sorted(r.functions)))
            entry = transfers.get(key)
            if entry is None:
                entry = transfers[key] = {"id": slugify(f"transfer {' '.join(r.functions)} from {original[0]}"),
                                          "functions": list(r.functions),
                                          "wording": ", ".join(" ".join(t.text[i.start:i.end].split())
                                                               for fl in x.function_lists if fl.start == r.start
                                                               for i in fl.items),
                                          "from": original[0], "to": resulting[0], "span": []}
                out.add("transfers", entry, " · ".join(["candidate: true", f"confidence: {r.confidence}",
                                                        *_date_note(r.date)]))
            if r.date and "date" not in entry:
                entry["date"] = date_value(r.date)
            if r.decision and "decision" not in entry:
                entry["decision"] = doc_ids[document_key(r.decision)]
            transfer_spans.setdefault(id(entry), (entry, []))[1].extend(spans)
            continue
        key = (r.kind, tuple(original), tuple(resulting))
        if key in seen_events:
            continue
        seen_events.add(key)
        names_o = ", ".join(m.name for m in r.original)
        names_r = ", ".join(m.name for m in r.resulting)
        rec = {"id": slugify(f"{r.kind} {resulting[0] if resulting else ''} {r.decision and r.decision.number or ''}"),
               "type": r.kind, "label": {"vi": _EVENT_LABELS[r.kind].format(o=names_o, r=names_r)}}
        if r.date:
            rec["date"] = date_value(r.date)
        if r.decision:
            rec["decision"] = doc_ids[document_key(r.decision)]
        if original:
            rec["original"] = original
        if resulting:
            rec["resulting"] = resulting
        if r.basis == "name-comparison":
            rec["basis"] = r.basis
        rec["span"] = _spans(spans)
        out.add("change_events", rec, " · ".join(["candidate: true", f"confidence: {r.confidence}", f"basis: {r.basis}",
                                                  *_date_note(r.date)]))
        if r.kind == "establishment" and r.date and r.date.precision == "day":
            founded = org_records.get(resulting[0])
            if founded is not None and "founded" not in founded:
                founded["founded"] = r.date.value        # "được thành lập từ ngày 01/10/2004"
    for entry, spans in transfer_spans.values():
        entry["span"] = _spans(spans)
    return out


# ---------------------------------------------------------------- writing


def to_yaml(c: Candidates, sections: list[str] | None = None, header: str = "") -> str:
    """The candidates (or some sections of them) as one YAML text in the records' format."""
    parts = [header] if header else []
    for section in sections or [s for names in FILES.values() for s in names]:
        entries = c.sections.get(section, [])
        if not entries:
            continue
        parts.append(f"{section}:\n")
        parts += [yaml_record(r, note) for r, note in entries]
    return "".join(parts)


def new_functions_turtle(c: Candidates) -> str:
    """The concepts the scheme lacks, as SKOS Turtle to review and add to ontology/functions.ttl."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SKOS

    from tttt_kg.graph.namespaces import FN
    g = Graph(bind_namespaces="none")
    g.bind("fn", FN)
    g.bind("skos", SKOS)
    for slug, wording in sorted(c.new_functions.items()):
        g.add((FN[slug], RDF.type, SKOS.Concept))
        g.add((FN[slug], SKOS.inScheme, FN.scheme))
        g.add((FN[slug], SKOS.prefLabel, Literal(wording, lang="vi")))
    return "# candidate concepts: items of function lists the scheme does not have\n" + g.serialize(format="turtle")


def file_texts(c: Candidates, source_name: str) -> dict[str, str]:
    """File name → content for a records folder (the names graph/records.py reads)."""
    header = (f"# Candidate records extracted from {Path(source_name).name} by `tttt-kg extract`.\n"
              "# Review every record, add label.en, then copy it into graph/records/.\n")
    if c.problems:
        header += "".join(f"# problem: {p}\n" for p in c.problems)
    files = {f"{name}.yaml": to_yaml(c, sections, header) or header for name, sections in FILES.items()}
    if c.new_functions:
        files["new-functions.ttl"] = new_functions_turtle(c)
    return files
