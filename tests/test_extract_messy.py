"""Real text is messy: page breaks, glued words, missing diacritics, tone placement, abbreviations,
headers in capitals, dates broken across lines. Spans must still point into the input as given."""
from __future__ import annotations

import datetime as dt

from tttt_kg.graph.extract import build_candidates, extract
from tttt_kg.graph.extract.cleanup import clean
from tttt_kg.graph.extract.dates import find_dates
from tttt_kg.graph.vietnamese import fold


def _docs(text):
    return {d.get("number") or d["label"]["vi"]: d for d in build_candidates(extract(text), "t.txt").records("documents")}


def _orgs(text):
    return build_candidates(extract(text), "t.txt").records("organisations")


def test_dates_in_every_style():
    text = "Ngày 16/9/2004, 04.02.2008, ngày 16 tháng 9\nnăm 2004, tháng 1/2010, tháng 3 năm 2011, 31/2/2010."
    found = [(d.value, d.precision) for d in find_dates(fold(clean(text).text))]
    assert found == [(dt.date(2004, 9, 16), "day"), (dt.date(2008, 2, 4), "day"), (dt.date(2004, 9, 16), "day"),
                     (dt.date(2010, 1, 1), "month"), (dt.date(2011, 3, 1), "month")]   # 31/2 is no date


def test_numbers_are_not_dates():
    assert find_dates(fold("Quyết định 3593/2004/QĐ-UBND; 2016-2020; 1,34 km; 03/2008/TTLT-BTTTT-BNV")) == []


def test_page_break_inside_a_sentence_keeps_spans_in_the_input():
    text = "Ngày 05/3/2010, UBND\n\ntỉnh có Quyết định số 5/2010/QĐ-UBND về việc thành lập Sở Thông tin\n\nvà Truyền thông."
    doc = _docs(text)["5/2010/QĐ-UBND"]
    assert doc["date"] == dt.date(2010, 3, 5)                      # the date is in the same sentence
    orgs = {o["label"]["vi"]: o for o in _orgs(text)}
    assert "Sở Thông tin và Truyền thông" in orgs                   # a name broken by the page break
    a, b = orgs["Sở Thông tin và Truyền thông"]["span"]
    assert text[a:b] == "Sở Thông tin\n\nvà Truyền thông"           # the span is the input's, break included


def test_glued_words_are_separated():
    text = "Căn cứNghị định số 10/2015/NĐ-CP ngày 02 tháng 02năm 2015 của Chính phủ;"
    doc = _docs(text)["10/2015/NĐ-CP"]
    assert doc["date"] == dt.date(2015, 2, 2) and doc["issuer"] == "chinh-phu"
    t = clean(text)
    assert "Căn cứ Nghị định" in t.text and "02 năm" in t.text and len(t.original) == len(text)


def test_missing_diacritics():
    text = "Quyet dinh so 45/2012/QD-UBND ngay 3/5/2012 cua UBND tinh Ha Nam ve viec thanh lap So Thong tin va Truyen thong."
    doc = _docs(text)["45/2012/QD-UBND"]
    assert doc["type"] == "quyet-dinh" and doc["date"] == dt.date(2012, 5, 3)
    names = {o["label"]["vi"] for o in _orgs(text)}
    assert {"UBND tinh Ha Nam", "So Thong tin va Truyen thong"} <= names


def test_number_is_not_sở():
    assert not [o for o in _orgs("Số 12 phòng; số liệu của Bộ phận một cửa.") if o["type"] in ("department", "ministry")]


def test_old_and_new_tone_placement_and_abbreviations_are_one_organisation():
    text = ("Sở Văn hoá - Thông tin chuyển giao cho Sở TT&TT. Sau đó Sở Văn hóa - Thông tin giải thể; "
            "Sở Thông tin và Truyền thông tiếp nhận.")
    orgs = _orgs(text)
    assert len([o for o in orgs if "Văn" in o["label"]["vi"]]) == 1
    assert len([o for o in orgs if o["id"] == "so-thong-tin-va-truyen-thong"]) == 1


def test_header_in_capitals():
    text = "QUYẾT ĐỊNH\nVỀ VIỆC THÀNH LẬP TRUNG TÂM CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH HÒA LÂM\n\nĐiều 1. Nội dung."
    orgs = _orgs(text)
    assert [o["type"] for o in orgs] == ["centre"]
    a, b = orgs[0]["span"]
    assert text[a:b].startswith("TRUNG TÂM CÔNG NGHỆ")


def test_date_broken_across_lines_after_a_number():
    text = "Nghị quyết số 36-NQ/TW ngày 01/7/\n2014 của Bộ Chính trị"
    doc = _docs(text)["36-NQ/TW"]
    assert doc["date"] == dt.date(2014, 7, 1)
    assert doc["type"] == "nghi-quyet"


def test_numbers_as_documents_write_them():
    text = ("Quyết định 97/QĐ-UBND; Thông tư liên tịch số 03/2008/TTLT-BTTTT-BNV; Luật số 55/2002/QH11; "
            "Chỉ thị 58-CT/TW; Công văn số 123/UBND-VP; Kế hoạch số 17/KH-UBND.")
    docs = _docs(text)
    assert {n: d["type"] for n, d in docs.items()} == {
        "97/QĐ-UBND": "quyet-dinh", "03/2008/TTLT-BTTTT-BNV": "thong-tu-lien-tich", "55/2002/QH11": "luat",
        "58-CT/TW": "chi-thi", "123/UBND-VP": "cong-van", "17/KH-UBND": "ke-hoach"}


def test_a_list_that_cannot_fit_its_count_is_reported():
    text = "Quyết định số 8/2016/QĐ-UBND. Cơ cấu tổ chức gồm 5 phòng (Văn phòng, Thanh tra, Kế hoạch - Tài chính)."
    c = build_candidates(extract(text), "t.txt")
    assert any("states 5" in p for p in c.problems)
    assert len(c.records("units")) == 3


def test_count_before_gồm_decides_and_an_unattested_choice_is_flagged():
    text = ("Ngày 20/7/2015, UBND tỉnh ban hành Quyết định số 31/2015/QĐ-UBND. Sở có 4 phòng chuyên môn gồm "
            "Văn phòng, Thanh tra, Bưu chính, Viễn thông, Báo chí.")
    c = build_candidates(extract(text), "t.txt")
    assert len([u for u in c.records("units") if u["type"] == "division"]) == 4
    assert any("check it by hand" in p for p in c.problems)


def test_evidence_collapses_white_space_as_split_and_join_do():
    """The evidence's fast path (words kept as they are) relies on every white space but the space being
    unprintable; both ways give the same words on random mixes."""
    import random

    from tttt_kg.graph.extract.cleanup import _collapsed
    assert [c for c in range(0x110000) if chr(c).isspace() and chr(c).isprintable()] == [0x20]
    rnd = random.Random(1)
    pieces = ["a", "Sở", " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\x1c", "\u3000", "\u200b", "x"]
    for _ in range(20000):
        words = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        assert _collapsed(words) == " ".join(words.split())
