"""Relations between documents and organisations, read off the wording around them.

thay thế (replaces), căn cứ (based on), thành lập (establishment; "lúc đầu là" names what
the body was first called), trên cơ sở (transformation of one body into another), đổi tên /
"(nay là …)" (renaming), nâng cấp thành (upgrade), tiếp nhận … từ … (transfer of functions,
see functions lists). Where a decision replaces another and both list units, the two lists are
compared by name: a new unit whose name holds the words of two old ones is their merger, of one
old one its renaming (basis "name-comparison": an inference, not a sentence of the text).
"""
from __future__ import annotations

import re
from functools import lru_cache

from tttt_kg.graph.vietnamese import search_key

from .layout import Layout, first_between
from .model import Citation, FunctionList, OrgMention, Relation, UnitList

_REPLACES = re.compile(r"thay the(?<!\wthay the)\s+")   # literal first: the regex engine searches fast
_BASED = re.compile(r"can cu(?<!\wcan cu)\s+")
_ON_BASIS = re.compile(r"tren co so(?<!\wtren co so)\s+")
_ESTABLISH_BY = re.compile(r"thanh lap(?<!\wthanh lap)\s+")
_ESTABLISHED_ON = re.compile(r"duoc thanh lap(?<!\wduoc thanh lap)\s+(?:tu\s+|vao\s+)?(?:ngay\s+)?")
_FIRST_NAME = re.compile(r"[\s,]*(?:luc dau|tien than|ban dau)\s+la\s+")
_FIRST_NAME_ANYWHERE = re.compile(r"(?:luc dau|tien than|ban dau)\s+la\s+")
_RENAME = re.compile(r"doi ten(?<!\wdoi ten)\s+(?:thanh\s+)?")
_NOW = re.compile(r"\s*\(\s*nay la\s+")
_UPGRADE = re.compile(r"nang cap thanh(?<!\wnang cap thanh)\s+")
_STOP_TOKENS = {"va", "phong"}


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return search_key(name)


def _tokens(name: str) -> frozenset[str]:
    return frozenset(_key(name).split()) - _STOP_TOKENS


def find_relations(text: str, fold: str, layout: Layout, cites: list[Citation], orgs: list[OrgMention],
                   dates, function_lists: list[FunctionList], unit_lists: list[UnitList],
                   own_document=lambda pos: None, self_reference=lambda lo, hi: None) -> list[Relation]:
    """Relations stated in the text; ``own_document(pos)`` is the document the text is at ``pos``
    (its header), ``self_reference(lo, hi)`` that document when the clause names it ("Thông tư này")."""
    cite_at = {c.start: c for c in cites}
    org_at = {o.start: o for o in orgs}
    date_at = {d.start: d for d in dates}
    out: list[Relation] = []

    def citation_before(pos: int) -> Citation | None:
        s0, _ = layout.sentence(pos)
        found = first_between(cites, s0, pos)
        if found:
            return found
        p0, _ = layout.paragraph(pos)
        return first_between(cites, p0, pos, lambda c: c.doc_type != "luat")

    def subject_before(pos: int, exclude=frozenset()) -> OrgMention | None:
        """The first organisation of the sentence before ``pos`` whose id() is not in ``exclude``."""
        s0, _ = layout.sentence(pos)
        return first_between(orgs, s0, pos, lambda o: id(o) not in exclude
                             and not _ON_BASIS.search(fold[max(s0, o.start - 12):o.start]))

    cited_dates = {id(c.date) for c in cites if c.date}

    def date_of_sentence(pos: int):
        """The date the sentence of ``pos`` opens with ("Năm 2003, Chi bộ … được nâng cấp"), not a citation's."""
        s0, _ = layout.sentence(pos)
        return first_between(dates, s0, pos, lambda d: id(d) not in cited_dates)

    for m in _REPLACES.finditer(fold):
        target = cite_at.get(m.end())
        s0, _ = layout.sentence(m.start())
        subject = (self_reference(s0, m.start())               # "Thông tư này thay thế …"
                   or citation_before(m.start()) or own_document(m.start()))
        if target and subject and subject is not target:
            out.append(Relation("replaces", m.start(), target.end, decision=subject, target=target, basis="text",
                                confidence=0.9))
    for m in _BASED.finditer(fold):
        target = cite_at.get(m.end())
        if target:
            out.append(Relation("based-on", m.start(), target.end, decision=own_document(m.start()), target=target, basis="text",
                                confidence=0.85))
    issuers = {id(c.issuer) for c in cites if c.issuer} | {id(o) for c in cites for o in c.co_issuers}
    for m in _ON_BASIS.finditer(fold):
        original = org_at.get(m.end())
        if original:                      # "… thành lập X trên cơ sở Y": X; else the sentence's subject, not an issuer
            s0, _ = layout.sentence(m.start())
            founding = None
            for e in _ESTABLISH_BY.finditer(fold, s0, m.start()):
                founding = org_at.get(e.end()) or founding
            resulting = founding or subject_before(m.start(), exclude=issuers)
            if resulting and _key(resulting.name) != _key(original.name):
                out.append(Relation("transformation", resulting.start, original.end, decision=citation_before(m.start()),
                                    original=[original], resulting=[resulting], basis="text", confidence=0.8))
    for m in _ESTABLISH_BY.finditer(fold):
        org = org_at.get(m.end())
        decision = citation_before(m.start())
        if org and decision and decision.title_span and decision.title_span[0] <= m.start() < decision.title_span[1]:
            if not any(r.kind == "transformation" and r.decision is decision for r in out):
                out.append(Relation("establishment", decision.start, org.end, decision=decision, resulting=[org],
                                    basis="text", confidence=0.85))
    for m in _ESTABLISHED_ON.finditer(fold):
        date = date_at.get(m.end())
        subject = subject_before(m.start())
        if not (date and subject):
            continue
        first = _FIRST_NAME.match(fold, date.end)
        org = org_at.get(first.end()) if first else None
        out.append(Relation("establishment", subject.start, (org or date).end, resulting=[org or subject], date=date,
                            basis="text", confidence=0.75))
    for m in _RENAME.finditer(fold):
        new = org_at.get(m.end())
        if not new:
            continue
        p0, _ = layout.paragraph(m.start())
        first = next((mm for mm in _FIRST_NAME_ANYWHERE.finditer(fold, p0, m.start())), None)
        old = org_at.get(first.end()) if first else subject_before(m.start())
        if old and _key(old.name) != _key(new.name):
            out.append(Relation("renaming", m.start(), new.end, original=[old], resulting=[new], basis="text",
                                confidence=0.7, decision=citation_before(m.start())))
    for o in orgs:
        m = _NOW.match(fold, o.end)
        if m and m.end() in org_at and org_at[m.end()].type == o.type:   # a renaming keeps the kind of body
            out.append(Relation("renaming", o.start, org_at[m.end()].end, original=[o], resulting=[org_at[m.end()]],
                                basis="text", confidence=0.8))
    for m in _UPGRADE.finditer(fold):
        new = org_at.get(m.end())
        if not new:
            continue
        s0, _ = layout.sentence(m.start())
        old = first_between(orgs, s0, m.start(), lambda o: o.kind == new.kind)
        if old:
            out.append(Relation("upgrade", old.start, new.end, original=[old], resulting=[new], basis="text",
                                confidence=0.75, date=date_of_sentence(m.start())))
    for fl in function_lists:
        if fl.role == "transfer" and fl.source_org and fl.organisation:
            out.append(Relation("transfer", fl.start, fl.source_org.end, decision=fl.decision, original=[fl.source_org],
                                resulting=[fl.organisation], date=fl.date,
                                functions=[f for it in fl.items for f in it.functions], basis="text", confidence=0.8))
    out += _compare_unit_lists(out, unit_lists)
    return _merge_establishments(out)


def _merge_establishments(relations: list[Relation]) -> list[Relation]:
    """"Quyết định … thành lập X" and "X được thành lập từ ngày D" are one establishment."""
    merged: dict[str, Relation] = {}
    out = []
    for r in relations:
        if r.kind != "establishment":
            out.append(r)
            continue
        key = _key(r.resulting[0].name)
        first = merged.get(key)
        if first is None:
            merged[key] = r
            out.append(r)
            continue
        first.decision = first.decision or r.decision
        first.date = first.date or r.date
        first.extra_spans.append((r.start, r.end))
    return out


def _compare_unit_lists(relations: list[Relation], unit_lists: list[UnitList]) -> list[Relation]:
    """Restructuring, mergers and renamings implied by a decision that replaces another."""
    by_decision = {}
    for ul in unit_lists:
        if ul.decision and ul.decision.number:
            by_decision.setdefault(_key(ul.decision.number), ul)
    out = []
    for r in relations:
        if r.kind != "replaces" or not (r.decision.number and r.target.number):
            continue
        new_list = by_decision.get(_key(r.decision.number))
        old_list = by_decision.get(_key(r.target.number))
        if not (new_list and old_list):
            continue
        owner = new_list.organisation or old_list.organisation
        restructuring = Relation("restructuring", r.start, r.end, decision=r.decision, date=r.decision.date,
                                 original=[owner] if owner else [], resulting=[owner] if owner else [],
                                 basis="name-comparison", confidence=0.6)
        out.append(restructuring)
        old_keys = {_key(u.name): u for u in old_list.items}
        new_keys = {_key(u.name): u for u in new_list.items}
        dropped = [u for k, u in old_keys.items() if k not in new_keys]
        added = [u for k, u in new_keys.items() if k not in old_keys]
        for unit in added:
            words = _tokens(unit.name)
            sources = [u for u in dropped if _tokens(u.name) and _tokens(u.name) <= words]
            if not sources:
                continue
            kind = "merger" if len(sources) > 1 else "renaming"
            out.append(Relation(kind, unit.start, unit.end, decision=r.decision, original=sources, resulting=[unit],
                                basis="name-comparison", confidence=0.5))
    return out
