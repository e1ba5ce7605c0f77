"""Organisations named in the text: state bodies told apart from Party and mass bodies.

A name starts at a head word (Sở, Bộ, UBND, Đài, Trung tâm, Chi bộ, Công đoàn …, found in
the folded text so that "So Thong tin" without diacritics is found too, but only where the
head is capitalised in the text, so "số" is never "Sở"), then takes the words of the name:
capitalised words and abbreviations, at most three lower-case syllables after a capitalised
word ("Tần số vô tuyến điện"), "và" or "," or "-" before another capitalised word, a
parenthesised abbreviation "(TTTT)" or term "(khóa XI)", and a place ("tỉnh", "tỉnh Hải Dương",
"huyện Nam Sách"), which ends the name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tttt_kg.graph.vietnamese import fold as fold_text

from .model import OrgMention

# head (folded) → (type, kind, needs a name after it)
HEADS: dict[str, tuple[str, str, bool]] = {
    "thu tuong chinh phu": ("government", "administrative", False),
    "chinh phu": ("government", "administrative", False),
    "quoc hoi": ("national-assembly", "administrative", False),
    "uy ban nhan dan": ("peoples-committee", "administrative", True),
    "ubnd": ("peoples-committee", "administrative", True),
    "hoi dong nhan dan": ("peoples-council", "administrative", True),
    "hdnd": ("peoples-council", "administrative", True),
    "bo chinh tri": ("party-central-body", "party", False),
    "ban bi thu": ("party-central-body", "party", False),
    "ban chap hanh trung uong": ("party-central-body", "party", False),
    "tinh uy": ("provincial-party-committee", "party", False),
    "huyen uy": ("party-committee", "party", False),
    "thanh uy": ("party-committee", "party", False),
    "thi uy": ("party-committee", "party", False),
    "dang bo": ("party-committee", "party", True),
    "dang uy": ("party-committee", "party", True),
    "chi bo": ("party-cell", "party", True),
    "cong doan": ("trade-union", "mass", True),
    "doan thanh nien": ("youth-union", "mass", False),
    "chi doan": ("youth-union", "mass", True),
    "hoi cuu chien binh": ("veterans-association", "mass", False),
    "chi hoi nha bao": ("journalists-association", "mass", False),
    "hoi nha bao": ("journalists-association", "mass", False),
    "hoi lien hiep phu nu": ("womens-union", "mass", False),
    "mat tran to quoc": ("fatherland-front", "mass", False),
    "so": ("department", "administrative", True),
    "bo": ("ministry", "administrative", True),
    "dai": ("broadcaster", "administrative", True),
    "trung tam": ("centre", "administrative", True),
    "chi cuc": ("agency", "administrative", True),
    "cuc": ("agency", "administrative", True),
    "ban": ("board", "administrative", True),
    "van phong": ("office", "administrative", True),
    "hoc vien": ("institute", "administrative", True),
    "vien": ("institute", "administrative", True),
}
def _group_by_first(words: list[str]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w)
    return list(groups.items())


_HEAD = re.compile(r"(?<![\w&/-])(" + "|".join(sorted((re.escape(h) for h in HEADS), key=len, reverse=True)) + r")(?![\w&])")
# the same, for the search through a text: each head's first letter before the look-behind, grouped by
# that letter (longest first within it, as above), so that the regex engine skips to those letters
_HEAD_SEARCH = re.compile("(" + "|".join(
    f"{first}(?<![\\w&/-]{first})(?:{'|'.join(h[1:] for h in heads)})"
    for first, heads in _group_by_first(sorted((re.escape(h) for h in HEADS), key=len, reverse=True))) + r")(?![\w&])")
_TOKEN = re.compile(r"[ ]*(\(|\)|,|-|[\w&]+)")
_PAREN = re.compile(r"\(\s*(?:[A-ZĐ][A-ZĐ&]+|kh[oó]a\s+[IVXLC]+|Kh[oó]a\s+[IVXLC]+)\s*\)")
_LOCALITY = tuple(sorted(("tinh", "huyen", "xa", "phuong", "quan", "thi xa", "thanh pho", "thi tran"), key=len, reverse=True))
_LOCALITY_RE = re.compile("(?:" + "|".join(_LOCALITY) + r")(?![^\W_])")
_TERM = re.compile(r"[ ]*\(?[IVXLC]+\b\)?")
_E_GOVERNMENT = re.compile(r"\s+(?:dien tu|so)(?![\w])")
# lower-case words that end a name (verbs, particles); checked with diacritics, so "giáo" is not "giao"
_STOP = set("""là có được đã đang sẽ về của thuộc tại trên với cho theo từ nay để trong các những này đó thì mà khi
sau trước gồm cũng không đến ngày năm tháng cũ mới hoặc nhằm đều vẫn phối tổ thực tham giúp tiếp chủ ban ký xây
triển đề quản hướng chỉ kiểm cấp làm trình tặng trao giao cử ra vào nhận bổ phê quyết đạt lần thứ hạng ở lại bằng
như vì nếu rằng từng mỗi vừa chưa cả hết còn đối lúc chuyển giải sáp tách đổi thành nâng bàn kết hoàn ứng
tuyên báo gửi đón phục vụ""".split()) - {"phục", "vụ"}
_STOP_FOLDED = {fold_text(w) for w in _STOP}
_NOT_CONTINUATION = {"thông tư", "quyết định", "nghị định", "luật", "chỉ thị", "công văn", "kế hoạch", "hướng dẫn",
                     "tờ trình", "hiến pháp", "cổng", "trang", "hệ", "các", "nghị quyết"}
# one of them as a whole word (not followed by a letter or a digit)
_NOT_CONTINUATION_RE = re.compile("(?:" + "|".join(map(re.escape, sorted(_NOT_CONTINUATION, key=len, reverse=True)))
                                  + r")(?![^\W_])")
# heads whose folded form is shared with other words: the text must be one of these forms
_HEAD_FORMS = {"so": {"sở", "so"}, "bo": {"bộ", "bo"}, "ban": {"ban"}, "dai": {"đài", "dai"}, "cuc": {"cục", "cuc"},
               "vien": {"viện", "vien"}, "hoc vien": {"học viện", "hoc vien"}, "chi bo": {"chi bộ", "chi bo"},
               "dang bo": {"đảng bộ", "dang bo"}, "chi cuc": {"chi cục", "chi cuc"}}
_NEEDS_DISTRIBUTED_PLACE = {"ubnd", "uy ban nhan dan", "hdnd", "hoi dong nhan dan"}
_DISTRIBUTED = re.compile(r"\s*(?:,|va)\s*(?:ubnd|hdnd|uy ban nhan dan|hoi dong nhan dan)\s+(tinh|thanh pho|huyen)(?![\w])")


def _head_at(text: str, folded: str, pos: int) -> str | None:
    """The head word starting at ``pos``, if it is capitalised and really that word."""
    m = _HEAD.match(folded, pos)
    if not m or not text[pos].isupper():
        return None
    head = m.group(1)
    forms = _HEAD_FORMS.get(head)
    if forms and text[pos:m.end()].lower() not in forms:
        return None
    return head


def _is_stop(word: str, folded: str, text: str, end: int, plain: bool = False) -> bool:
    w = word.lower()
    if w in ("số", "so") and not re.match(r"\s*[\d:]", text[end:end + 3]):
        return False                     # "Tần số vô tuyến điện", but "số 12/QĐ" ends the name
    if w == "số":
        return True
    return w in _STOP or (plain and w == folded and folded in _STOP_FOLDED)


def _starts_continuation(text: str, folded: str, pos: int) -> bool:
    """A capitalised word after "và", "," or "-" that continues the name (not a new name or document)."""
    if not text[pos].isupper() or _head_at(text, folded, pos):
        return False
    return _NOT_CONTINUATION_RE.match(text[pos:pos + 12].lower()) is None


def _walk(text: str, fold: str, pos: int, nested_ok: bool, comma_ok: bool, paren_ok: bool,
          plain: bool = False) -> tuple[int, bool]:
    """Read a name's words from ``pos``; return where the name ends and whether it has any."""
    i, end, has_body, lows, last_abbr, caps_after_abbr, n = pos, pos, False, 0, False, 0, 0
    while n < 16:
        n += 1
        m = _TOKEN.match(text, i)
        if not m:
            break
        s, e = m.span(1)
        c = text[s]                            # a token's first character tells its kind
        if c.isalpha() or c == "&":
            if c.islower():
                loc = _LOCALITY_RE.match(fold, s)
                if loc:
                    e = end = loc.end()
                    has_body = True
                    for _ in range(4):             # the place's name: capitalised words
                        w = _TOKEN.match(text, e)
                        if not w or not w.group(1)[0].isupper() or _head_at(text, fold, w.start(1)):
                            break
                        e = end = w.end(1)
                    break
            elif c.isupper():
                if _head_at(text, fold, s) and (has_body or not nested_ok):
                    break                      # another organisation starts here
                if last_abbr:
                    caps_after_abbr += 1
                    if caps_after_abbr > 2:
                        break
                else:
                    last_abbr = e - s > 1 and text[s:e].isupper()
                i = end = e
                has_body, lows = True, 0
                continue
            f = fold[s:e]
            if f == "va":
                nxt = _TOKEN.match(text, e)
                if has_body and nxt and _starts_continuation(text, fold, nxt.start(1)):
                    i, last_abbr, caps_after_abbr = e, False, 0
                    continue
                break
            if f == "khoa":                   # "khóa XI": the term
                r = _TERM.match(text, e)
                if r:
                    i = end = r.end()
                    continue
                break
            if not has_body or last_abbr or lows >= 5 or _is_stop(text[s:e], f, text, e, plain):
                break
            i = end = e
            lows += 1
            continue
        if c == "," or c == "-":
            nxt = _TOKEN.match(text, e)
            if not (has_body and nxt and _starts_continuation(text, fold, nxt.start(1))):
                break
            if c == "," and not comma_ok:
                break
            i, last_abbr, caps_after_abbr = e, False, 0
            continue
        if c == "(":
            p = _PAREN.match(text, s)
            if p and (has_body or paren_ok):
                i = end = p.end()
                continue
        break
    return end, has_body


def _type_of(head: str, name_fold: str) -> tuple[str, str]:
    typ, kind, _ = HEADS[head]
    place = name_fold[len(head):].strip()
    if typ == "peoples-committee" and place.startswith("tinh"):
        typ = "provincial-peoples-committee"
    elif typ == "peoples-council" and place.startswith("tinh"):
        typ = "provincial-peoples-council"
    elif typ == "board" and re.search(r"\b(tinh|huyen|thanh|thi|dang) uy\b|trung uong", place):
        kind = "party"
    return typ, kind


def find_organisations(text: str, fold: str) -> list[OrgMention]:
    """Every organisation name in the repaired text, in order, nested names left out."""
    out: list[OrgMention] = []
    last_end = -1
    sample = text[:20000]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    plain = non_ascii < 0.01 * max(1, len(sample))                                   # typed without diacritics
    for m in _HEAD_SEARCH.finditer(fold):
        s = m.start()
        if s < last_end or not text[s].isupper():        # a head is capitalised (see _head_at)
            continue
        head = m.group(1)                     # what _head_at reads there: the same heads in the same order
        forms = _HEAD_FORMS.get(head)
        if forms and text[s:m.end()].lower() not in forms:
            continue
        if head == "chinh phu" and _E_GOVERNMENT.match(fold, m.end()):
            continue                          # Chính phủ điện tử: e-government, not the Government
        typ, kind, needs_body = HEADS[head]
        end, has_body = _walk(text, fold, m.end(), needs_body or kind != "administrative",      # nested_ok,
                              head in ("so", "bo") or kind != "administrative", not needs_body, plain)  # comma_ok, paren_ok
        if head in _NEEDS_DISTRIBUTED_PLACE and not has_body:
            d = _DISTRIBUTED.match(fold, m.end())
            if not d:
                continue
            name, end = f"{text[s:m.end()]} {text[d.start(1):d.end(1)]}", m.end()
        elif needs_body and not has_body:
            continue
        else:
            name = text[s:end]
        typ, kind = _type_of(head, fold[s:end] if name == text[s:end] else fold_text(name))
        out.append(OrgMention(s, end, name, typ, kind))
        last_end = end
    return out


_PLACE_SUFFIX = re.compile(r"\s+(?:tinh|thanh pho)(?:\s+\S+){0,3}$")
_SUFFIX_TYPES = {"department", "broadcaster", "centre", "agency", "ministry"}


@lru_cache(maxsize=65536)
def org_key(name: str, type_: str | None = None) -> str:
    """Identity of an organisation's name: search_key without "(TTTT)" and, for agencies, without
    the trailing "tỉnh …" (so "Sở Thông tin và Truyền thông (TTTT) tỉnh Hải Dương" is "Sở TTTT")."""
    key = _name_key(name)
    if type_ is None or type_ in _SUFFIX_TYPES:
        key = _PLACE_SUFFIX.sub("", key)
    return key


# ---------------------------------------------------------------- identity across documents
# "UBND tỉnh" in a Hòa Lâm decision is not the UBND tỉnh of Hải Dương. To compare organisations of
# two sources, a provincial body's key carries its province: its own ("… tỉnh Hải Dương") or, when
# the name has none ("Sở TTTT", "UBND tỉnh"), the province the source is about. National bodies
# (ministries, the Government, Party central bodies) keep their name alone.
NATIONAL_TYPES = {"government", "national-assembly", "ministry", "party-central-body", "agency"}
_PLACE_KEY = re.compile(r"(?:^| )(tinh|thanh pho|huyen|thi xa)((?: [a-z0-9]+){0,3})$")


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    """search_key of a name without its bracketed parts; cached: a long text names the same bodies
    thousands of times, and search_key was a third of the extraction's time."""
    from tttt_kg.graph.vietnamese import search_key
    return search_key(re.sub(r"\([^)]*\)", " ", name))


@lru_cache(maxsize=65536)
def place_of(name: str) -> str | None:
    """The place a name carries, as a key: "tinh hai duong"; None for none or a bare "tỉnh"."""
    m = _PLACE_KEY.search(_name_key(name))
    if not m or not m.group(2) or m.group(2).split()[0] == "uy":
        return None                      # "Tỉnh ủy", "Huyện ủy": a Party committee, not a place
    return m.group(0).strip()


def common_place(names: list[str]) -> str | None:
    """The place most names of a source carry (the province it is about)."""
    from collections import Counter
    places = Counter(p for p in map(place_of, names) if p)
    return places.most_common(1)[0][0] if places else None


def identity_key(name: str, type_: str | None, place: str | None) -> str:
    """org key with the province made explicit for provincial bodies (see above)."""
    key = _name_key(name)
    if type_ in NATIONAL_TYPES or not place:
        return key
    m = _PLACE_KEY.search(key)
    if m and m.group(2):
        return key
    if m:
        key = key[:m.start()].rstrip()
    return f"{key} {place}"
