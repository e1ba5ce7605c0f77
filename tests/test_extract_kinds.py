"""Issue 14: the kinds of trouble texts nobody here has seen show, one group of tests per kind,
on our own passages (tests/extract_unseen.py). Each test failed before its rule was written."""
from __future__ import annotations

import datetime as dt

import pytest
from extract_unseen import (CIRCULAR_PROVISIONS, CUT_EXCERPT, DAMAGED_CIRCULAR, DECISION_HEADER, DECISION_PROVISIONS,
                            HISTORY_ISSUERS, JOINT_CIRCULAR_HEADER, PRESS_ITEM, LINE_LISTS, BRACKET_UNITS,
                            DATED_EVENTS, SUBJECTS, NAMED_TWICE_BAC_SON, NAMED_TWICE_TAY_GIANG)

from tttt_kg.graph.extract import build_candidates, extract


def _candidates(text):
    return build_candidates(extract(text), "passage.txt")


def _doc(c, number):
    return next(d for d in c.records("documents") if d.get("number") == number)


def _org(c, ident):
    return next(o for o in c.records("organisations") if o["id"] == ident)


def _comment(c, section, ident):
    return next(note for rec, note in c.sections[section] if rec.get("id") == ident)


# 1. the document's own header --------------------------------------------------------------------

@pytest.fixture(scope="module")
def decision():
    return _candidates(DECISION_HEADER)


def test_header_gives_the_decisions_own_date_issuer_and_title(decision):
    own = _doc(decision, "25/2016/QĐ-UBND")
    assert own["date"] == dt.date(2016, 10, 14)                   # "Bắc Sơn, ngày 14 tháng 10 năm 2016"
    issuer = _org(decision, own["issuer"])
    assert issuer["type"] == "provincial-peoples-committee"
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC SƠN" in issuer["written"]       # two lines in capitals, one name
    assert own["title"]["vi"] == ("Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của "
                                  "Sở Thông tin và Truyền thông tỉnh Bắc Sơn")
    assert _org(decision, own["regulates"])["type"] == "department"
    assert "header" in _comment(decision, "documents", own["id"])


def test_header_decision_replaces_and_is_based_on(decision):
    own = _doc(decision, "25/2016/QĐ-UBND")
    assert own["replaces"] == [_doc(decision, "09/2009/QĐ-UBND")["id"]]      # "Quyết định này … thay thế"
    assert own["based_on"] == ["luat-to-chuc-chinh-quyen-dia-phuong", _doc(decision, "06/2016/TTLT-BTTTT-BNV")["id"]]
    assert not [p for p in decision.problems if "based on" in p]


def test_two_column_header_pasted_as_lines_of_a_joint_circular():
    c = _candidates(JOINT_CIRCULAR_HEADER)
    own = _doc(c, "11/2012/TTLT-BTTTT-BNV")
    assert own["type"] == "thong-tu-lien-tich"
    assert own["date"] == dt.date(2012, 7, 5)                     # "Số: … Hà Nội, ngày 05 tháng 7 năm 2012"
    assert own["issuer"] == "bo-thong-tin-va-truyen-thong"
    assert "issued jointly with bo-noi-vu" in _comment(c, "documents", own["id"])
    assert own["replaces"] == [_doc(c, "04/2008/TTLT-BTTTT-BNV")["id"]]
    assert own["based_on"] == [_doc(c, "132/2008/NĐ-CP")["id"]]
    assert not [o for o in c.records("organisations") if "Cộng" in o["label"]["vi"] or "Việt Nam" in o["label"]["vi"]]


# 2. the document's own provisions ----------------------------------------------------------------

def test_circular_list_after_a_cited_decree_is_the_circulars_and_the_departments():
    c = _candidates(CIRCULAR_PROVISIONS)
    [a] = c.records("assignments")
    assert a["decision"] == _doc(c, "08/2021/TT-BTTTT")["id"]          # not Nghị định 107/2020 of the paragraph
    assert _org(c, a["organisation"])["type"] == "department"             # not the UBND it serves
    assert [f for i in a["items"] for f in i["functions"]] == [
        "bao-chi", "xuat-ban", "buu-chinh", "vien-thong", "tan-so-vo-tuyen-dien", "cntt", "thong-tin-doi-ngoai",
        "thong-tin-co-so"]


def test_list_introduced_by_quyet_dinh_nay_belongs_to_the_decision():
    c = _candidates(DECISION_PROVISIONS)
    [a] = c.records("assignments")
    assert a["decision"] == _doc(c, "40/2022/QĐ-UBND")["id"]            # not the Quyết định of the "Căn cứ"
    assert _org(c, a["organisation"])["type"] == "department"


def test_a_list_no_document_gives_is_reported_not_dropped_silently():
    text = ("Trong những năm qua, Sở đã thực hiện tốt chức năng quản lý nhà nước về báo chí, xuất bản, "
            "bưu chính, viễn thông trên địa bàn.")
    c = _candidates(text)
    assert not c.records("assignments")
    assert any("4" in p and "báo chí" in p and "no document" in p for p in c.problems)


# 3. who issued it -------------------------------------------------------------------------------------

def test_issuers_named_by_the_clause():
    c = _candidates(PRESS_ITEM)
    assert _doc(c, "22/2023/TT-BTTTT")["issuer"] == "bo-thong-tin-va-truyen-thong"          # "X vừa ban hành"
    council = _org(c, _doc(c, "14/2023/NQ-HĐND")["issuer"])                                  # "được HĐND … thông qua tại"
    assert council["type"] == "provincial-peoples-council" and "Tây Giang" in " ".join(council["written"])
    dept = _org(c, _doc(c, "61/TTr-STTTT")["issuer"])                                          # "Giám đốc Sở X tại Tờ trình"
    assert dept["type"] == "department"


def test_issuers_behind_a_post_a_joint_preposition_and_old_codes():
    c = _candidates(HISTORY_ISSUERS)
    assert _org(c, _doc(c, "1520/QĐ-UBT")["issuer"])["type"] == "provincial-peoples-committee"  # "của Chủ tịch UBND"
    assert _doc(c, "12/2007/TT-BBCVT")["issuer"] == "bo-buu-chinh-vien-thong"                   # "của Bộ trưởng Bộ …"
    joint = _doc(c, "03/2008/TTLT-BTTTT-BNV")
    assert joint["issuer"] == "bo-thong-tin-va-truyen-thong"                                      # "của liên Bộ: A, B"
    assert "issued jointly with bo-noi-vu" in _comment(c, "documents", joint["id"])
    by_code = _org(c, _doc(c, "88/2005/QĐ-UB")["issuer"])                                         # only the code says
    assert by_code["type"] == "provincial-peoples-committee" and by_code["id"].endswith("tay-giang")


def test_issuer_codes_come_from_one_table():
    from tttt_kg.graph.extract.citations import issuer_hints
    assert issuer_hints("ttlt-btttt-bnv") == ["Bộ Thông tin và Truyền thông", "Bộ Nội vụ"]
    assert issuer_hints("qd-ubt") == issuer_hints("qd-ub") == issuer_hints("qd-ubnd") == ["UBND tỉnh"]
    assert issuer_hints("tt-bbcvt") == ["Bộ Bưu chính, Viễn thông"]
    assert issuer_hints("ubnd-vp") == ["UBND tỉnh"]                  # VP: a unit's code, no second issuer


# 4. damaged text -------------------------------------------------------------------------------------

def test_glued_words_are_split_by_syllable_structure_in_any_case():
    from tttt_kg.graph.extract.cleanup import clean
    for glued, repaired in [("Bộtrưởng Bộ", "Bộ trưởng Bộ"), ("SỞ THÔNGTIN", "SỞ THÔNG TIN"),
                            ("Thông tin vàTruyền thông", "Thông tin và Truyền thông"), ("BộNội vụ", "Bộ Nội vụ"),
                            ("chứcnăng, nhiệmvụ", "chức năng, nhiệm vụ"), ("thànhlập", "thành lập"),
                            ("vănhóa", "văn hóa"), ("ngườiđứng đầu", "người đứng đầu")]:
        assert clean(glued).text.lower() == repaired.lower(), glued
    # single syllables, foreign words, names and codes stay as they are
    for whole in ("nghiêng", "khuya", "người", "quyền", "Nguyễn", "truyền", "Internet", "Viettel", "TTLT-BTTTT",
                  "online", "Mobifone"):
        assert clean(whole).text.lower() == whole.lower(), whole


def test_spans_of_a_repaired_text_point_into_the_input():
    c = _candidates(DAMAGED_CIRCULAR)
    minister = next(o for o in c.records("organisations") if o["id"] == "bo-noi-vu")
    start, end = minister["span"] if isinstance(minister["span"][0], int) else minister["span"][0]
    assert DAMAGED_CIRCULAR[start:end] == "BộNội vụ"


def test_damaged_header_reads_as_the_joint_circulars_own():
    c = _candidates(DAMAGED_CIRCULAR)
    own = _doc(c, "15/2014/TTLT-BTTTT-BNV")
    assert own["issuer"] == "bo-thong-tin-va-truyen-thong"                      # "BỘ THÔNGTIN VÀ TRUYỀN / THÔNG"
    assert "TTLT-BTTTT-BNV" in own["title"]["vi"]                              # codes are not recased
    assert not [o for o in c.records("organisations") if o["label"]["vi"].lower().startswith("thông")]


def test_a_count_is_not_an_item_and_a_cut_word_is_not_a_function():
    c = _candidates(DAMAGED_CIRCULAR)
    [a] = c.records("assignments")
    wordings = [i["wording"] for i in a["items"]]
    assert wordings[0] == "báo chí" and not any("lĩnh vực" in w for w in wordings)
    assert wordings[-1] == "thông tin đối ngoại"                               # "thông tin cơ s" is cut off
    assert any("cut off" in p and "thông tin cơ s" in p for p in c.problems)
    c = _candidates(CUT_EXCERPT)
    [a] = c.records("assignments")
    assert [i["wording"] for i in a["items"]] == ["báo chí", "xuất bản", "bưu chính", "viễn thông"]
    assert "cong-nghe-thong-ti" not in c.new_functions


# 5. lists in other shapes ------------------------------------------------------------------------------

def test_function_items_on_lines_of_their_own():
    c = _candidates(LINE_LISTS)
    [a] = c.records("assignments")
    assert a["decision"] == _doc(c, "19/2017/QĐ-UBND")["id"]
    assert [i["wording"] for i in a["items"]] == ["Báo chí", "Xuất bản, in, phát hành", "Bưu chính", "Viễn thông",
                                                  "Công nghệ thông tin"]
    assert [i["functions"] for i in a["items"]][-1] == ["cntt"]
    start, end = a["items"][1]["span"]
    assert LINE_LISTS[start:end] == "Xuất bản, in, phát hành"              # the marker "b)" is not the item


def test_unit_items_on_lines_of_their_own():
    c = _candidates(LINE_LISTS)
    units = {u["label"]["vi"]: u["type"] for u in c.records("units")}
    assert units == {"Lãnh đạo Sở": "leadership", "Văn phòng": "division", "Thanh tra": "division",
                     "Phòng Bưu chính, Viễn thông": "division", "Phòng Công nghệ thông tin": "division",
                     "Trung tâm Công nghệ thông tin và Truyền thông": "public-service-unit"}
    assert {u["listed_in"][0] for u in c.records("units")} == {_doc(c, "19/2017/QĐ-UBND")["id"]}
    assert {u["unit_of"] for u in c.records("units")} == {"so-thong-tin-va-truyen-thong-dong-ha-lam"}


def test_semicolons_across_lines_and_units_in_brackets_without_gồm():
    c = _candidates(BRACKET_UNITS)
    [a] = c.records("assignments")
    assert [i["wording"] for i in a["items"]] == ["báo chí", "xuất bản", "bưu chính", "viễn thông",
                                                  "công nghệ thông tin"]
    units = {u["label"]["vi"]: u["type"] for u in c.records("units")}
    assert units == {"Văn phòng": "division", "Thanh tra": "division", "Phòng Bưu chính - Viễn thông": "division",
                     "Phòng Báo chí - Xuất bản": "division", "Trung tâm Thông tin và Truyền thông": "public-service-unit"}
    assert not [p for p in c.problems if "units" in p]
    assert {u["unit_of"] for u in c.records("units")} == {"so-thong-tin-va-truyen-thong-tay-giang"}   # "Sở có …"


# 6. dates with their precision --------------------------------------------------------------------------

def test_month_and_year_dates_keep_their_precision_on_their_events():
    from tttt_kg.graph.extract.dates import find_dates
    from tttt_kg.graph.vietnamese import fold
    assert [(d.value, d.precision) for d in find_dates(fold("Năm 2003, tháng 3/2011, ngày 5 tháng 6 năm 2012"))] == [
        (dt.date(2003, 1, 1), "year"), (dt.date(2011, 3, 1), "month"), (dt.date(2012, 6, 5), "day")]
    c = _candidates(DATED_EVENTS)
    [transfer] = c.records("transfers")
    assert transfer["date"] == "2011-03" and transfer["functions"] == ["phat-thanh-truyen-hinh"]   # still a transfer
    assert "month" in _comment(c, "transfers", transfer["id"])
    [upgrade] = [e for e in c.records("change_events") if e["type"] == "upgrade"]
    assert upgrade["date"] == "2003"
    # a document's date is a day: "Năm 2012 … ban hành Quyết định" gives it none
    assert "date" not in _doc(c, "301/QĐ-UBND")


# 7. the right subject ------------------------------------------------------------------------------------

def test_the_body_established_on_the_basis_of_another_is_the_new_one_not_the_issuer():
    c = _candidates(SUBJECTS)
    events = {tuple(e["resulting"]): e for e in c.records("change_events") if e["type"] == "transformation"}
    assert set(events) == {("so-thong-tin-va-truyen-thong-bac-son",),
                           ("trung-tam-cong-nghe-thong-tin-va-truyen-thong-bac-son",)}
    centre = events[("trung-tam-cong-nghe-thong-tin-va-truyen-thong-bac-son",)]
    assert centre["original"] == ["trung-tam-tin-hoc-bac-son"]
    assert centre["decision"] == _doc(c, "35/2016/QĐ-UBND")["id"]


def test_a_transfer_is_tied_to_the_decision_that_made_it():
    c = _candidates(SUBJECTS)
    [transfer] = c.records("transfers")
    assert transfer["decision"] == _doc(c, "1190/QĐ-UBND")["id"]                 # not 10/2008 of the paragraph
    assert transfer["date"] == dt.date(2008, 6, 2)
    assert transfer["to"] == "so-thong-tin-va-truyen-thong-bac-son"
    assert transfer["from"] == "so-van-hoa-the-thao-va-du-lich-bac-son"


# 8. ids that survive a second province ----------------------------------------------------------------

def test_one_body_named_four_ways_is_one_record_with_its_province_in_the_id():
    c = _candidates(NAMED_TWICE_BAC_SON)
    depts = [o for o in c.records("organisations") if o["type"] == "department"]
    assert [o["id"] for o in depts] == ["so-thong-tin-va-truyen-thong-bac-son"]
    assert {"SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở TT&TT", "Sở TTTT Bắc Sơn"} <= set(depts[0]["written"])
    committees = [o["id"] for o in c.records("organisations") if o["type"] == "provincial-peoples-committee"]
    assert committees == ["uy-ban-nhan-dan-tinh-bac-son"]
    assert _doc(c, "71/QĐ-STTTT")["issuer"] == "so-thong-tin-va-truyen-thong-bac-son"


def test_candidates_of_two_provinces_never_share_an_id():
    ids = [{o["id"] for o in _candidates(text).records("organisations")}
           for text in (NAMED_TWICE_BAC_SON, NAMED_TWICE_TAY_GIANG)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    assert "so-thong-tin-va-truyen-thong-tay-giang" in ids[1]
