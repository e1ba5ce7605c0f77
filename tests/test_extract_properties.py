"""Property tests: no text makes the extractor raise, and every span it reports lies in the input."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tttt_kg.graph.extract import DecodeError, build_candidates, decode, extract, to_yaml
from tttt_kg.graph.extract.cleanup import clean

# pieces of administrative prose, so that random text often looks like the real thing
TOKENS = ["Quyết định", "số", "3593/2004/QĐ-UBND", "36-NQ/TW", "ngày", "16/9/2004", "04.02.2008", "tháng", "9",
          "năm", "2004", "1/2010", "Sở", "Bưu chính,", "Viễn thông", "UBND", "tỉnh", "Hòa Lâm", "Chi bộ",
          "Công đoàn", "quản lý nhà nước về", "báo chí;", "xuất bản", "gồm có", "7 phòng", "(", ")", "và", "thay thế",
          "trên cơ sở", "tiếp nhận", "từ", "đổi tên thành", "(nay là", "Luật", "Báo chí", "căn cứ", "Căn cứ", "\n",
          "\n\n", ".", ",", ":", ";", "Số:", "SỞ THÔNG TIN", "được thành lập", "lúc đầu là", "nâng cấp thành", "là"]
prose = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join)
anything = st.text(max_size=400)


def _check(text: str) -> None:
    x = extract(text)
    n = len(text)
    t = x.text
    for mention in [*x.dates, *x.citations, *x.organisations]:
        s, e = t.original_span(mention.start, mention.end)
        assert 0 <= s <= e <= n
    c = build_candidates(x, "random.txt")
    to_yaml(c)
    for section in ("organisations", "documents", "units", "change_events", "transfers"):
        for rec in c.records(section):
            spans = rec["span"] if rec["span"] and isinstance(rec["span"][0], list) else [rec["span"]]
            assert all(0 <= a <= b <= max(n, 1) for a, b in spans)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_arbitrary_text_never_raises(text):
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose)
def test_administrative_looking_text_never_raises(text):
    _check(text)


@settings(max_examples=200, deadline=None)
@given(anything)
def test_cleanup_maps_every_offset_into_the_input(text):
    t = clean(text)
    for i in range(len(t.text) + 1):
        assert 0 <= t.original_offset(i) <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused_clearly(data):
    try:
        text = decode(data, "x")
    except DecodeError as exc:
        assert "fix:" in str(exc)
    else:
        assert isinstance(text, str)


_ITEM_WORDS = ["báo chí", "CNTT", "TT&TT", "các", "những", "xuất bản", "TT và TT", "và", "(CNTT)", "bưu chính", "hoá",
               "-", "Phát thanh", "truyền hình", "\n", "BC-VT", "ß"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ITEM_WORDS), min_size=1, max_size=4).map(" ".join), min_size=2, max_size=5),
       st.lists(st.sampled_from([", ", ",", " , ", "., ", ";, "]), min_size=5, max_size=5))
def test_the_key_of_listed_items_joined_is_their_keys_joined(pieces, gaps):
    """What lets a function list skip runs of items longer than any concept (functions._comma_items)."""
    from tttt_kg.graph.extract.functions import function_key
    joined = "".join(p + g for p, g in zip(pieces, gaps))[:-len(gaps[len(pieces) - 1])]
    assert function_key(joined).split() == [w for p in pieces for w in function_key(p).split()]


_APART = [r"ab+", r"b(?<![\w]b)c", r"\d(?=x)", r"c[^\n]{0,3}"]     # each starts with its own characters


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "co cau", "x", "1", " ", "\n", "bc", "abb"]), max_size=30).map("".join))
def test_patterns_searched_apart_match_as_their_alternation(text):
    """scan.first_matches gives the matches of (?:P1|P2|…), each pattern searched on its own."""
    import re

    from tttt_kg.graph.extract.scan import first_matches
    apart = [re.compile(p) for p in _APART]
    together = re.compile("|".join(f"(?:{p})" for p in _APART))
    assert [m.span() for m in first_matches(apart, text)] == [m.span() for m in together.finditer(text)]
