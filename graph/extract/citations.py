"""Citations of documents: type, number as Vietnamese documents write it, date, issuer, title.

Numbers: 3593/2004/QĐ-UBND, 97/QĐ-UBND (no year), 36-NQ/TW (Party), 03/2008/TTLT-BTTTT-BNV,
55/2002/QH11, 12/2019/NĐ-CP. A number counts when a document type precedes it ("Quyết định
số …", "Chỉ thị …") or when its code names a type (QĐ, NĐ, TT, TTLT, NQ, CT, QH …). Laws,
the Constitution, Party congress resolutions and strategies are also cited by name ("Luật
Báo chí"). A date belongs to a citation when it follows it ("số X ngày D") or opens the
clause that issues it ("Ngày D, UBND tỉnh có Quyết định số X").
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .layout import positions
from .model import Citation, DateMention, OrgMention
from .scan import first_matches

TYPE_WORDS = {
    "thong tu lien tich": "thong-tu-lien-tich", "nghi dinh": "nghi-dinh", "nghi quyet": "nghi-quyet",
    "quyet dinh": "quyet-dinh", "thong tu": "thong-tu", "chi thi": "chi-thi", "phap lenh": "phap-lenh",
    "hien phap": "hien-phap", "luat": "luat", "cong van": "cong-van", "to trinh": "to-trinh",
    "huong dan": "huong-dan", "ke hoach": "ke-hoach", "thong bao": "thong-bao", "cong dien": "cong-dien",
    "chien luoc": "chien-luoc", "de an": "de-an", "bao cao": "bao-cao", "quy dinh": "quy-dinh",
}
CODE_TYPES = {"qd": "quyet-dinh", "nd": "nghi-dinh", "tt": "thong-tu", "ttlt": "thong-tu-lien-tich",
              "nq": "nghi-quyet", "ct": "chi-thi", "qh": "luat", "l": "luat", "pl": "phap-lenh", "kh": "ke-hoach",
              "hd": "huong-dan", "tb": "thong-bao", "tr": "to-trinh", "bc": "bao-cao", "cd": "cong-dien"}
# The one table of issuer codes: the part of a number after the type names who issued it (a joint
# circular's code names every ministry: TTLT-BTTTT-BNV). Provincial bodies get the text's province
# when candidates are built (records_out). Codes of units inside a body (VP, TCCB) name no issuer, nor does
# TW: the Party centre, not which of its bodies (Bộ Chính trị, Ban Bí thư, Ban Chấp hành) issued it.
ISSUER_CODES = {"cp": "Chính phủ", "ttg": "Thủ tướng Chính phủ",
                "ubnd": "UBND tỉnh", "ub": "UBND tỉnh", "ubt": "UBND tỉnh", "hdnd": "HĐND tỉnh",
                "btttt": "Bộ Thông tin và Truyền thông", "bbcvt": "Bộ Bưu chính, Viễn thông",
                "bvhtt": "Bộ Văn hóa - Thông tin", "bnv": "Bộ Nội vụ", "btc": "Bộ Tài chính",
                "bvhttdl": "Bộ Văn hóa, Thể thao và Du lịch", "bkhcn": "Bộ Khoa học và Công nghệ",
                "bkhdt": "Bộ Kế hoạch và Đầu tư", "btp": "Bộ Tư pháp", "bqp": "Bộ Quốc phòng", "bca": "Bộ Công an",
                "ubtvqh": "Ủy ban Thường vụ Quốc hội", "stttt": "Sở Thông tin và Truyền thông",
                "sbcvt": "Sở Bưu chính, Viễn thông", "snv": "Sở Nội vụ"}
_TYPE_BEFORE = re.compile(r"(" + "|".join(sorted(TYPE_WORDS, key=len, reverse=True)) + r")"
                          r"(?:\s+(?:so|so hieu))?\s*:?\s*$")
# a digit first, its look-behind after it (the same test), so that the regex engine skips to digits
_NUMBER = re.compile(r"(\d(?<![\w/.\-]\d)\d{0,4}[a-z]?)(?:/(\d{4}))?([/-])(?=[a-z])"
                     r"([a-z]{1,8}\d{0,3}(?:[-/][a-z]{1,10}\d{0,3}){0,4})(?![\w])")
_SELF = re.compile(r"(?:^|\n)\s*so\s*:\s*$")
_AFTER = re.compile(r"[\s,(]*(?:ban hanh\s+|ky\s+)?")
# "của UBND tỉnh", "của liên Bộ A - Bộ B", "của Bộ trưởng Bộ A", "do Chủ tịch UBND tỉnh": a post names its body
_POSTS = r"(?:bo truong|thu truong|chu tich|pho chu tich|giam doc|pho giam doc|cuc truong|truong ban|thu tuong)"
_OF = re.compile(r"\s*,?\s*(?:cua|do)\s+(?:lien\s+(?:bo\s*:?\s*)?(?=bo\s))?(?:" + _POSTS + r"\s+)?")
_CO = re.compile(r"\s*(?:-|,|va)\s*(?:" + _POSTS + r"\s+)?")
# the body that issued a document named after it: "UBND tỉnh (đã) ban hành Quyết định số …", "HĐND tỉnh thông qua
# tại Nghị quyết số …", "Giám đốc Sở … tại Tờ trình số …"
_ISSUING_VERB = re.compile(r"(?:(?:da|vua|moi|da vua|duoc)\s+)?(?:co|ban hanh|ky ban hanh|ky|ra|thong qua|phe duyet"
                           r"|trinh)?(?:\s+(?:tai|bang|theo))?\s*$")
_LONG_SPACE = re.compile(r"\s{8}")
_GAP_OK = re.compile(r"[^.;\n]{0,60}")
_TITLE = re.compile(r"\s*,?\s*(ve viec|ve|quy dinh)\s+")
_VERB_BEFORE = re.compile(r"(?:^|\s)(?:da\s+)?(?:co|ban hanh|ky|ra)\s*$")
_LAW_STOP = set("ngay so nam va cua da duoc cac tren nay do thi ma de tai theo ve voi cho khac moi hoac".split())
# laws, the Constitution, Party resolutions and strategies cited by name: one pattern each, a literal first, searched
# together (scan.first_matches); group 1 is the kind
_NAMED = [re.compile(r"(luat)(?<!\wluat)(?![\w])"), re.compile(r"(hien phap)(?<!\whien phap)(?![\w])"),
          re.compile(r"(nghi quyet (?<!\wnghi quyet )(?:dai hoi|trung uong|hoi nghi))(?![\w])"),
          re.compile(r"(chien luoc)(?<!\wchien luoc)(?![\w])")]
_PARTY_WORDS = re.compile(r"(?:\s+(?:lan|thu|khoa|cua|dang|bo|tinh|toan quoc|[ivxlc]+|\d{1,2})(?![\w]))+")
_IN_YEAR = re.compile(r"\s+nam\s+\d{4}")
_DAY_WORD = re.compile(r"ngay\s+")
_NAME_NUMBER_GAP = re.compile(r"\s+(?:so\s+)?")
_YEARS = re.compile(r"\s*\(\d{4}\s*-\s*\d{4}\)")


def _code_type(code: str) -> str | None:
    first = re.match(r"[a-z]+", code).group()
    return CODE_TYPES.get(first)


def issuer_hints(code: str) -> list[str]:
    """Every issuer a number's code names, in order: NĐ-CP → [Chính phủ]; TTLT-BTTTT-BNV → both ministries."""
    return list(_issuers_of_code(code))


@lru_cache(maxsize=16384)
def _issuers_of_code(code: str) -> tuple[str, ...]:
    """`issuer_hints`, cached: a text cites numbers of the same few codes again and again."""
    out = []
    for part in re.split(r"[-/]", code):       # the type's code first (QĐ-UBND) names no one; UBND-VP has none
        name = "Quốc hội" if re.fullmatch(r"qh\d*", part) else ISSUER_CODES.get(part)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _numbered(text: str, fold: str) -> list[Citation]:
    out = []
    for m in _NUMBER.finditer(fold):
        code = m.group(4)
        window = fold[max(0, m.start() - 40):m.start()]
        before = _TYPE_BEFORE.search(window)
        doc_type = TYPE_WORDS[before.group(1)] if before else _code_type(code)
        if doc_type is None:
            continue
        if m.group(3) == "-" and not re.search(r"/", code):
            continue                           # "12-ab" is not a number; Party numbers read 36-NQ/TW
        start = m.start() - (len(window) - before.start()) if before else m.start()
        c = Citation(start, m.end(), doc_type, number=text[m.start():m.end()], confidence=0.95 if before else 0.85)
        c.issuer_hints = issuer_hints(code)
        c.self_number = bool(_SELF.search(fold[max(0, m.start() - 12):m.start()]))
        out.append(c)
    return out


def _law_name_end(text: str, fold: str, pos: int) -> int:
    """End of a law's name: up to eight words, stopping at a particle, a date or punctuation."""
    end, n = pos, 0
    for w in re.finditer(r"[ ]+([\w&]+)", text[pos:pos + 120]):
        if w.start() != end - pos:
            break
        word = fold[pos + w.start(1):pos + w.end(1)]
        if word == "so" and not re.match(r"\s*[\d:]", fold[pos + w.end(1):pos + w.end(1) + 3]):
            end, n = pos + w.end(1), n + 1     # "Luật Tần số vô tuyến điện"; but "Luật số 41/…" ends
            continue
        if word in _LAW_STOP or word.isdigit() or n >= 8:
            break
        if word == "sua" and fold.startswith("sua doi", pos + w.start(1)):
            end = pos + w.end(1) + len(" doi")
            n += 2
            continue
        end = pos + w.end(1)
        n += 1
    return end


def _named(text: str, fold: str, taken: list[tuple[int, int]]) -> list[Citation]:
    out = []
    taken_starts = [a for a, _ in taken]
    for m in first_matches(_NAMED, fold):
        s = m.start()
        k = bisect.bisect_right(taken_starts, s) - 1
        if not text[s].isupper() or (k >= 0 and taken[k][0] <= s < taken[k][1]):
            continue
        kind = m.group(1)
        if kind == "luat":
            end = _law_name_end(text, fold, m.end())
            if end == m.end() or fold[max(0, s - 5):s].strip() == "phap":
                continue
            doc_type = "luat"
        elif kind == "hien phap":
            end, doc_type = m.end(), "hien-phap"
            y = _IN_YEAR.match(fold, end)
            end = y.end() if y else end
        elif kind == "chien luoc":
            end = _law_name_end(text, fold, m.end())
            y = _YEARS.match(fold, end)
            end = y.end() if y else end
            if end == m.end():
                continue
            doc_type = "chien-luoc"
        else:
            p = _PARTY_WORDS.match(fold, m.end())
            end = p.end() if p else m.end()
            while True:                         # do not end on "của" or "lần thứ"
                tail = re.search(r"\s+(cua|lan|thu|lan thu)$", fold[m.end():end])
                if not tail:
                    break
                end = m.end() + tail.start()
            doc_type = "nghi-quyet"
        out.append(Citation(s, end, doc_type, name=" ".join(text[s:end].split()), confidence=0.8))
    return out


def _issuer_before(fold: str, c: Citation, orgs: list[OrgMention], org_ending: dict, prev: int) -> OrgMention | None:
    """The body named just before the citation's verb: "UBND tỉnh vừa ban hành", "HĐND tỉnh … thông qua tại",
    "Giám đốc Sở X tại": the nearest organisation before the verb, nothing but words of the clause between."""
    lo = max(0, prev, c.start - 160)
    near = max(lo, c.start - 60)
    # the verb's match is its few words and their white space: within 60 characters of the citation unless
    # a run of white space is long (the search is tried at every position: the shorter, the faster)
    v = _ISSUING_VERB.search(fold, lo if _LONG_SPACE.search(fold, near, c.start) else near, c.start)
    if v is None:
        return None
    verb = fold[v.start():c.start].strip()
    if not verb:
        return None
    k = bisect.bisect_right(positions(orgs, "end"), v.start()) - 1
    while k >= 0 and orgs[k].end > v.start():
        k -= 1
    if k < 0 or orgs[k].start < lo:
        return None
    o = orgs[k]
    gap = fold[o.end:v.start()]
    if not _GAP_OK.fullmatch(gap):
        return None
    if gap.strip() and not verb.startswith(("thong qua", "phe duyet", "tai", "trinh")) \
            and not re.fullmatch(r"\s*(?:\([^)]*\)\s*)?", gap):
        return None                        # "UBND tỉnh ban hành": the verb right after the body
    return o


def find_citations(text: str, fold: str, dates: list[DateMention], orgs: list[OrgMention]) -> list[Citation]:
    """Every cited document, with the date, issuer and title the text gives it."""
    cites = _numbered(text, fold)
    named = _named(text, fold, [(c.start, c.end) for c in cites])
    numbered_at = {c.start: c for c in cites}
    for n in named:                        # "Luật Viễn thông số 41/2009/QH12": one document, name and number
        gap = _NAME_NUMBER_GAP.match(fold, n.end)
        numbered = numbered_at.get(gap.end()) if gap else None
        if numbered is not None and numbered.doc_type == n.doc_type:
            numbered.name, numbered.start = n.name, n.start
        else:
            cites.append(n)
    cites.sort(key=lambda c: c.start)
    date_at = {d.start: d for d in dates}
    org_at = {o.start: o for o in orgs}
    org_ending = {o.end: o for o in orgs}
    starts = [c.start for c in cites]
    date_ends = [d.end for d in dates]
    for i, c in enumerate(cites):
        pos = _AFTER.match(fold, c.end).end()
        if fold.startswith("ngay", pos) and pos not in date_at:
            day = _DAY_WORD.match(fold, pos)
            pos = day.end() if day else pos
        tail = c.end
        if pos in date_at:
            c.date, c.date_rule = date_at[pos], "after"
            tail = c.date.end
            if fold[tail:tail + 1] == ")":
                tail += 1
        else:
            prev_start = starts[i - 1] if i else 0
            j = bisect.bisect_right(date_ends, c.start) - 1
            for d in dates[j:j + 1] if j >= 0 else []:
                gap = fold[d.end:c.start]
                if (d.start >= prev_start and len(gap) <= 80 and "\n" not in gap and ". " not in gap
                        and _VERB_BEFORE.search(gap)):
                    c.date, c.date_rule = d, "before"
                    c.confidence = min(c.confidence, 0.8)
                break
        of = _OF.match(fold, tail)
        if of and of.end() in org_at:
            c.issuer = org_at[of.end()]
            tail = c.issuer.end
            while (co := _CO.match(fold, tail)) and co.end() in org_at and org_at[co.end()].type == c.issuer.type \
                    and c.issuer.type == "ministry":
                c.co_issuers.append(org_at[co.end()])                 # "của liên Bộ A - Bộ B"
                tail = org_at[co.end()].end
        else:
            c.issuer = _issuer_before(fold, c, orgs, org_ending, cites[i - 1].end if i else 0)
        t = _TITLE.match(fold, tail)
        if t and c.doc_type not in ("luat", "hien-phap"):
            body_start = t.start(1)
            rest = text[t.end():t.end() + 300]
            if rest[:1] in "“\"":
                close = rest.find("”" if rest[0] == "“" else '"', 1)
                end = t.end() + (close + 1 if close > 0 else len(rest))
            else:
                stop = re.search(r"[.;(\n]|\s-\s|,\s*(?:ngay|cua)\s", rest)
                end = t.end() + (stop.start() if stop else len(rest))
            title = " ".join(text[body_start:end].split()).rstrip(" ,")
            if len(title) > len(t.group(1)) + 2:
                c.title, c.title_span = title, (body_start, end)
    return cites
