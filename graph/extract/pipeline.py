"""Run every recogniser over one text and tie their findings together."""
from __future__ import annotations

import re

from .citations import find_citations
from .cleanup import clean
from .dates import find_dates
from .functions import find_function_lists
from .layout import Layout, Sorted, first_between
from .model import Citation, Extraction, FunctionList, OrgMention
from .organisations import find_organisations
from .relations import find_relations
from .units import find_unit_lists

_FROM = re.compile(r"\s+tu\s+")
_RECEIVE = re.compile(r"(?<![\w])tiep nhan(?![\w])")
_NAMED_ONLY = {"luat", "hien-phap", "chien-luoc"}


def _first(items, lo: int, hi: int, pred=lambda x: True):
    return first_between(items, lo, hi, pred)


def extract(original: str) -> Extraction:
    """Extract candidate facts from ``original`` (decoded, NFC) text."""
    t = clean(original)
    text, fold = t.text, t.fold
    layout = Layout(text)
    dates = Sorted(find_dates(fold))
    orgs = Sorted(find_organisations(text, fold))
    cites = Sorted(find_citations(text, fold, dates, orgs))
    out = Extraction(text=t, dates=dates, citations=cites, organisations=orgs)

    issuers = {id(c.issuer) for c in cites if c.issuer}
    self_document = next((c for c in cites if c.self_number), None)   # "Số: 07/2020/TT-BTTTT" heading

    def is_decision(c: Citation) -> bool:
        return c.doc_type not in _NAMED_ONLY and bool(c.number)

    def decision_in_paragraph(pos: int) -> Citation | None:
        """The first decision cited in the paragraph, or in the last sentence of the one before
        (a line break after "Ngày …, UBND tỉnh ban hành Quyết định số …")."""
        p0, _ = layout.paragraph(pos)
        found = _first(cites, p0, pos, is_decision)
        if found is None and self_document is None and p0 > 0:
            s0, _ = layout.sentence(p0 - 1)
            found = _first(cites, s0, p0, lambda c: is_decision(c) and (c.title or c.date_rule == "before"))
        return found

    org_at = {o.start: o for o in orgs}

    def org_outside_citations(o: OrgMention) -> bool:
        return id(o) not in issuers and first_between(cites, o.start - 80, o.start + 1, lambda c: c.end > o.start) is None

    for trig, s, e, items in find_function_lists(text, fold):
        s0, s1 = layout.sentence(trig)
        p0, _ = layout.paragraph(trig)
        fl = FunctionList(s, e, items, "mention")
        frm = _FROM.match(fold, e)
        source = org_at.get(frm.end()) if frm else None
        if source:
            fl.role, fl.source_org = "transfer", source
            receive = _RECEIVE.search(fold, s0, trig)
            limit = receive.start() if receive else trig
            fl.organisation = (_first(orgs, s0, limit, org_outside_citations)
                               or _first(orgs, p0, trig, org_outside_citations))
            fl.date = _first(dates, s0, trig)
            fl.decision = _first(cites, s0, trig, lambda c: c.number) or decision_in_paragraph(trig)
        else:
            decision = decision_in_paragraph(trig) or self_document
            if decision:
                fl.role, fl.decision = "assignment", decision
                fl.organisation = _first(orgs, max(s0, decision.end), trig, org_outside_citations) \
                    or _first(orgs, s0, trig, lambda o: o is not decision.issuer)
        out.function_lists.append(fl)

    for ul in find_unit_lists(text, fold):
        ul.decision = decision_in_paragraph(ul.start) or self_document
        if ul.decision and ul.decision.title_span:
            a, b = ul.decision.title_span
            ul.organisation = _first(orgs, a, b)
        if ul.organisation is None:
            p0, p1 = layout.paragraph(ul.start)
            ul.organisation = _first(orgs, ul.decision.end if ul.decision else p0, p1,
                                     lambda o: o.kind == "administrative" and org_outside_citations(o))
        for unit_type, k in ul.stated.items():
            if unit_type == "division" and ul.decision is not None:
                ul.decision.stated_units = k
        out.unit_lists.append(ul)

    out.relations = find_relations(text, fold, layout, cites, orgs, dates, out.function_lists, out.unit_lists)
    for ul in out.unit_lists:
        where = f"units at {list(t.original_span(ul.start, ul.end))}"
        out.problems += [f"{where}: {p}" for p in ul.problems]
        out.problems += [f"{where}: alternative reading: {' | '.join(r)}" for r in ul.alternatives]
    return out
