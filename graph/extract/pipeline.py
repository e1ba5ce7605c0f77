"""Run every recogniser over one text and tie their findings together."""
from __future__ import annotations

import re

from .citations import TYPE_WORDS, find_citations
from .cleanup import clean
from .dates import find_dates
from .functions import find_function_lists
from .header import find_headers, header_at
from .layout import Layout, Sorted, first_between, positions
from .model import Citation, Extraction, FunctionList, OrgMention
from .organisations import find_organisations
from .relations import find_relations
from .units import find_unit_lists

_FROM = re.compile(r"\s+tu\s+")
_RECEIVE = re.compile(r"(?<![\w])tiep nhan(?![\w])")
_NAMED_ONLY = {"luat", "hien-phap", "chien-luoc"}
_TYPES = "|".join(sorted(TYPE_WORDS, key=len, reverse=True))
# "Thông tư này …", "Quyết định này …": the document the text is, named by its type
_THIS = re.compile(f"(?<![\\w])({_TYPES})\\s+nay(?![\\w])")
# an unnumbered type at a clause start, "Thông tư hướng dẫn …": the same, when the type is the text's own
_BARE_TYPE = re.compile(f"(?:^|[.:;]\\s+|\\n[ ]*)({_TYPES})(?!\\s*(?:so(?![\\w])|:|\\d|lien tich))(?![\\w])")
# bodies a function list's subject serves, not the subject itself: "giúp UBND tỉnh", "thuộc UBND tỉnh"
_SERVED = re.compile(r"(?:giup|thuoc|cho|tham muu|truc thuoc|cua)\s*$")
_COMMITTEES = {"peoples-committee", "provincial-peoples-committee", "peoples-council", "provincial-peoples-council"}


def _first(items, lo: int, hi: int, pred=lambda x: True):
    return first_between(items, lo, hi, pred)


def extract(original: str, offset: int = 0) -> Extraction:
    """Extract candidate facts from ``original`` (decoded, NFC) text; ``offset``: where it begins in the
    whole input when it is one block of a longer file (see stream.py), added to every span."""
    t = clean(original, offset)
    text, fold = t.text, t.fold
    layout = Layout(text)
    dates = Sorted(find_dates(fold))
    orgs = Sorted(find_organisations(text, fold))
    cites = Sorted(find_citations(text, fold, dates, orgs))
    out = Extraction(text=t, dates=dates, citations=cites, organisations=orgs)
    out.headers = find_headers(text, fold, t.evidence, cites, dates, orgs)

    issuers = {id(c.issuer) for c in cites if c.issuer} | {id(o) for c in cites for o in c.co_issuers}

    def own_document(pos: int) -> Citation | None:
        """The document the text is, when ``pos`` lies in its body (below its header)."""
        own = header_at(out.headers, pos)
        return own if own is not None and pos >= own.end else None

    def self_reference(lo: int, hi: int) -> Citation | None:
        """The text's own document when the clause names it: "Thông tư này", or an unnumbered
        "Thông tư …" in a circular."""
        own = header_at(out.headers, lo)
        if own is None:
            return None
        m = _THIS.search(fold, lo, hi)
        if m:
            return own
        m = _BARE_TYPE.search(fold, lo, hi)
        return own if m and TYPE_WORDS[m.group(1)] == own.doc_type else None

    def is_decision(c: Citation) -> bool:
        return c.doc_type not in _NAMED_ONLY and bool(c.number)

    def decision_in_paragraph(pos: int) -> Citation | None:
        """The first decision cited in the paragraph, or in the last sentence of the one before
        (a line break after "Ngày …, UBND tỉnh ban hành Quyết định số …")."""
        p0, _ = layout.paragraph(pos)
        found = _first(cites, p0, pos, is_decision)
        if found is None and not out.headers and p0 > 0:
            s0, _ = layout.sentence(p0 - 1)
            found = _first(cites, s0, p0, lambda c: is_decision(c) and (c.title or c.date_rule == "before"))
        return found

    org_at = {o.start: o for o in orgs}

    def org_outside_citations(o: OrgMention) -> bool:
        return id(o) not in issuers and first_between(cites, o.start - 80, o.start + 1, lambda c: c.end > o.start) is None

    def subject_of_list(lo: int, hi: int, decision: Citation | None) -> OrgMention | None:
        """The body a list of functions is given to: the first organisation of the clause that is not
        an issuer and not the body it serves ("giúp UBND tỉnh", "thuộc UBND tỉnh"), a committee only
        when nothing else is named."""
        found = [o for o in orgs[_index(orgs, lo):_index(orgs, hi)]
                 if org_outside_citations(o) and (decision is None or o is not decision.issuer)
                 and o.kind == "administrative"]
        free = [o for o in found if not _SERVED.search(fold, max(lo, o.start - 14), o.start)]
        for group in ([o for o in free if o.type not in _COMMITTEES], [o for o in found if o.type not in _COMMITTEES],
                      free, found):
            if group:
                return group[0]
        return None

    def report(s: int, e: int, problem: str) -> None:
        out.problems.append(f"functions at {list(t.original_span(s, e))}: {problem}")

    for trig, s, e, items in find_function_lists(text, fold, report):
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
            # the decision of its own sentence, before or after the list ("… từ Sở X theo Quyết định số …");
            # the paragraph's only when the sentence has no date of its own
            fl.decision = (_first(cites, s0, trig, lambda c: c.number) or _first(cites, e, s1, lambda c: c.number)
                           or (decision_in_paragraph(trig) if fl.date is None else None))
        else:
            decision = self_reference(s0, trig) or own_document(trig) or decision_in_paragraph(trig)
            if decision:
                fl.role, fl.decision = "assignment", decision
                lo = decision.end if s0 <= decision.start < trig else s0
                fl.organisation = subject_of_list(lo, trig, decision) or subject_of_list(s0, trig, decision)
                if fl.organisation is None and decision.title_span:
                    fl.organisation = _first(orgs, *decision.title_span)
            elif len(items) > 1:
                out.problems.append(f"functions at {list(t.original_span(s, e))}: a list of {len(items)} "
                                    f"({', '.join(i.wording for i in items[:3])}{', …' if len(items) > 3 else ''}) "
                                    "that no document of the text gives: not written")
        out.function_lists.append(fl)

    for ul in find_unit_lists(text, fold):
        s0, _ = layout.sentence(ul.start)
        ul.decision = self_reference(s0, ul.start) or own_document(ul.start) or decision_in_paragraph(ul.start)
        if ul.decision and ul.decision.title_span:
            a, b = ul.decision.title_span
            ul.organisation = _first(orgs, a, b)
        if ul.organisation is None:
            p0, p1 = layout.paragraph(ul.start)
            ul.organisation = _first(orgs, ul.decision.end if ul.decision and ul.decision.end > p0 else p0, p1,
                                     lambda o: o.kind == "administrative" and org_outside_citations(o)
                                     and not ul.start <= o.start < ul.end)      # a listed unit is not its owner
        if ul.organisation is None:         # "Sở có 4 phòng …": the body the same decision's functions went to,
            given = [fl for fl in out.function_lists if fl.organisation and fl.start < ul.start]   # or the last one
            same = [fl for fl in given if ul.decision is not None and fl.decision is ul.decision]
            ul.organisation = (same or given or [FunctionList(0, 0, [], "")])[-1].organisation
        for unit_type, k in ul.stated.items():
            if unit_type == "division" and ul.decision is not None:
                ul.decision.stated_units = k
        out.unit_lists.append(ul)

    out.relations = find_relations(text, fold, layout, cites, orgs, dates, out.function_lists, out.unit_lists,
                                   own_document=lambda pos: header_at(out.headers, pos),
                                   self_reference=self_reference)
    for ul in out.unit_lists:
        where = f"units at {list(t.original_span(ul.start, ul.end))}"
        out.problems += [f"{where}: {p}" for p in ul.problems]
        out.problems += [f"{where}: alternative reading: {' | '.join(r)}" for r in ul.alternatives]
    return out


def _index(items, pos: int) -> int:
    import bisect
    return bisect.bisect_left(positions(items), pos)
