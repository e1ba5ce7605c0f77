"""The extractor on our own passages in three styles: a history page, a decision, a circular."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from extract_passages import CIRCULAR, DECISION, HISTORY_PAGE

from tttt_kg.graph.extract import build_candidates, extract

RECORDS = Path(__file__).resolve().parent.parent / "graph" / "records"


def _candidates(text):
    return build_candidates(extract(text), "passage.txt")


def _by(records, field, value):
    return next(r for r in records if r.get(field) == value)


@pytest.fixture(scope="module")
def history():
    return _candidates(HISTORY_PAGE)


@pytest.fixture(scope="module")
def decision():
    return _candidates(DECISION)


@pytest.fixture(scope="module")
def circular():
    return _candidates(CIRCULAR)


def test_every_span_points_at_its_evidence():
    for text in (HISTORY_PAGE, DECISION, CIRCULAR):
        c = _candidates(text)
        squashed = " ".join(text.split())
        for section in ("organisations", "documents", "units"):
            for rec in c.records(section):
                spans = rec["span"] if isinstance(rec["span"][0], list) else [rec["span"]]
                cited = " ".join(" ".join(text[a:b].split()) for a, b in spans)
                for written in rec.get("written", []):
                    assert written in cited, (section, rec["id"], written, cited)
                    assert written in squashed


def test_history_page_decision_with_dotted_date_and_issuer(history):
    doc = _by(history.records("documents"), "number", "215/2008/QĐ-UBND")
    assert doc["type"] == "quyet-dinh"
    assert doc["date"] == dt.date(2008, 2, 4)
    issuer = _by(history.records("organisations"), "id", doc["issuer"])
    assert issuer["label"]["vi"] == "UBND tỉnh Hòa Lâm"
    assert issuer["type"] == "provincial-peoples-committee"


def test_history_page_date_before_the_citation(history):
    doc = _by(history.records("documents"), "number", "31/2015/QĐ-UBND")
    assert doc["date"] == dt.date(2015, 7, 20)


def test_history_page_transformation_and_transfer_with_a_date_broken_across_lines(history):
    event = _by(history.records("change_events"), "type", "transformation")
    orgs = {o["id"]: o["label"]["vi"] for o in history.records("organisations")}
    assert [orgs[i] for i in event["original"]] == ["Sở Bưu chính, Viễn thông"]
    assert orgs[event["resulting"][0]].startswith("Sở Thông tin và Truyền thông")
    transfer = history.records("transfers")[0]
    assert transfer["functions"] == ["bao-chi", "xuat-ban"]
    assert orgs[transfer["from"]] == "Sở Văn hóa, Thể thao và Du lịch"
    assert transfer["date"] == dt.date(2008, 5, 12)


def test_history_page_abbreviated_name_is_the_same_organisation(history):
    sotttt = [o for o in history.records("organisations") if o["type"] == "department"
              and "Sở TT&TT" in [o["label"]["vi"], *o.get("alt", [])]]
    assert len(sotttt) == 1 and "Sở Thông tin và Truyền thông tỉnh Hòa Lâm" in [sotttt[0]["label"]["vi"], *sotttt[0]["alt"]]


def test_history_page_count_decides_the_ambiguous_comma(history):
    units = [u["label"]["vi"] for u in history.records("units")]
    assert units == ["Ban Giám đốc", "Văn phòng", "Thanh tra", "Bưu chính, Viễn thông", "Báo chí",
                     "Trung tâm Công nghệ thông tin và Truyền thông"]
    assert any("readings" in p for p in history.problems)       # the other readings are reported
    doc = _by(history.records("documents"), "number", "31/2015/QĐ-UBND")
    assert doc["stated_units"] == 4


def test_history_page_party_and_union_bodies_told_apart(history):
    kinds = {o["label"]["vi"]: o["type"] for o in history.records("organisations")}
    assert kinds["Chi bộ Sở"] == "party-cell"
    assert kinds["Đảng bộ Sở Thông tin và Truyền thông"] == "party-committee"
    assert kinds["Công đoàn Sở Thông tin và Truyền thông"] == "trade-union"
    assert kinds["Đoàn Thanh niên"] == "youth-union"
    union = _by(history.records("organisations"), "type", "trade-union")
    assert union["linked_to"] == _by(history.records("organisations"), "type", "department")["id"]
    upgrade = _by(history.records("change_events"), "type", "upgrade")
    assert upgrade["original"] and upgrade["resulting"]


def test_decision_preamble_based_on_with_glued_words(decision):
    docs = {d["id"]: d for d in decision.records("documents")}
    law = _by(decision.records("documents"), "type", "luat")
    assert law["label"]["vi"] == "Luật Tổ chức chính quyền địa phương"
    assert law["date"] == dt.date(2015, 6, 19)
    decree = _by(decision.records("documents"), "number", "77/2018/NĐ-CP")
    assert decree["date"] == dt.date(2018, 2, 15)                 # "15 tháng 02năm 2018"
    assert _by(decision.records("organisations"), "id", decree["issuer"])["type"] == "government"
    circular = _by(decision.records("documents"), "number", "09/2018/TT-BTTTT")
    assert circular["date"] == dt.date(2018, 6, 30)
    own = _by(decision.records("documents"), "number", "12/2019/QĐ-UBND")
    assert own["replaces"] == [_by(decision.records("documents"), "number", "31/2015/QĐ-UBND")["id"]]
    assert own["based_on"] == [law["id"], decree["id"], circular["id"]]      # the "Căn cứ" lines, in order
    assert set(docs) >= {own["id"], law["id"], decree["id"], circular["id"]}


def test_decision_function_list_keeps_an_unknown_item(decision):
    [assignment] = decision.records("assignments")
    assert assignment["decision"] == "qd-12-2019"
    functions = [f for item in assignment["items"] for f in item["functions"]]
    assert functions == ["bao-chi", "xuat-ban", "buu-chinh", "vien-thong", "cntt", "an-toan-thong-tin-mang"]
    assert decision.new_functions == {"an-toan-thong-tin-mang": "an toàn thông tin mạng"}


def test_decision_units_after_a_colon_match_their_counts(decision):
    units = {u["label"]["vi"]: u["type"] for u in decision.records("units")}
    assert units == {"Văn phòng": "division", "Thanh tra": "division", "Phòng Bưu chính - Viễn thông": "division",
                     "Trung tâm Giám sát an toàn thông tin": "public-service-unit"}
    assert not decision.problems
    assert all(u["listed_in"] == ["qd-12-2019"] for u in decision.records("units"))


def test_decision_header_in_capitals_names_the_department(decision):
    dept = _by(decision.records("organisations"), "type", "department")
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH HÒA LÂM" in dept["written"]
    assert dept["label"]["vi"] == "Sở Thông tin và Truyền thông"    # the running-text spelling is the label


def test_circular_law_with_name_and_number_is_one_document(circular):
    laws = [d for d in circular.records("documents") if d["type"] == "luat"]
    assert len(laws) == 1
    assert laws[0]["number"] == "41/2009/QH12" and laws[0]["label"]["vi"] == "Luật Viễn thông"
    assert laws[0]["date"] == dt.date(2009, 11, 23)


def test_circular_functions_after_a_colon_belong_to_the_circular(circular):
    [assignment] = circular.records("assignments")
    assert assignment["decision"] == "tt-07-2020"
    assert [i["functions"] for i in assignment["items"]] == [
        ["bao-chi"], ["xuat-ban"], ["phat-thanh-truyen-hinh"], ["thong-tin-dien-tu"], ["buu-chinh"]]
    own = _by(circular.records("documents"), "id", "tt-07-2020")
    assert own["replaces"] == ["tt-03-2009"]


def test_candidates_load_as_records_once_reviewed(tmp_path, history):
    """The output is the records format: after the reviewer's part (English labels, a title the text
    does not give), graph/records.py reads it and checks every reference."""
    import copy

    from tttt_kg.graph.extract import file_texts
    from tttt_kg.graph.records import load_records
    history = copy.deepcopy(history)
    for rec in [*history.records("organisations"), *history.records("units"), *history.records("change_events")]:
        rec["label"]["en"] = "(translation)"
    for rec in history.records("documents"):
        rec.setdefault("title", {"vi": "(trích yếu)"})["en"] = "(translation)"
    for rec in [*history.records("change_events"), *history.records("transfers")]:
        if isinstance(rec.get("date"), str):       # "2010-01": the text gives the month only; records take a day
            del rec["date"]
    for name, text in file_texts(history, "hoa-lam.txt").items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    recs = load_records(tmp_path)
    assert {o.type for o in recs.organisations} >= {"department", "party-cell", "trade-union"}
    assert [t.functions for t in recs.transfers] == [["bao-chi", "xuat-ban"]]
    assert all(r.spans for r in [*recs.documents, *recs.units, *recs.change_events])


def test_another_provinces_bodies_are_new_national_ones_match(cli, tmp_path):
    """Against the Hải Dương records, a Hòa Lâm decision's "UBND tỉnh" and "Sở …" are new bodies,
    while the Government and the Ministry are the same ones."""
    path = tmp_path / "hoa-lam.txt"
    path.write_text(DECISION, encoding="utf-8")
    result = cli("extract", path, "--against", RECORDS)
    assert result.exit_code == 0, result.stderr
    out = result.output
    assert "new      organisations  uy-ban-nhan-dan-tinh-hoa-lam  UBND tỉnh" in out       # ids carry the province
    assert "new      organisations  so-thong-tin-va-truyen-thong-hoa-lam  Sở Thông tin và Truyền thông" in out
    assert "match    organisations  chinh-phu = chinh-phu" in out
    assert "match    organisations  bo-thong-tin-va-truyen-thong = bo-tttt" in out
    assert "= ubnd-hai-duong" not in out and "= so-tttt" not in out
    assert "new      assignments    qd-12-2019  6 functions" in out


def test_history_page_member_counts(history):
    members = {o["label"]["vi"]: o.get("members") for o in history.records("organisations")}
    assert members["Công đoàn Sở Thông tin và Truyền thông"] == 30
    assert members["Đoàn Thanh niên"] == 12
