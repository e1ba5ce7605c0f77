"""The extractor on the seed: scored against the curated records, written as records, compared."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from tttt_kg.graph.extract import build_candidates, extract, read_text
from tttt_kg.graph.extract.evaluate import TARGETS, evaluate
from tttt_kg.graph.records import load_records

# the fields graph/records.py accepts for each kind of record
FIELDS = {
    "sources": {"id", "file", "sha256", "length", "label", "date", "publisher", "written", "span", "source"},
    "organisations": {"id", "type", "label", "alt", "part_of", "linked_to", "founded", "members", "written", "span", "source"},
    "documents": {"id", "type", "number", "date", "issuer", "label", "alt", "title", "regulates", "replaces", "amends",
                  "subject", "stated_units", "term", "written", "span", "source"},
    "assignments": {"decision", "organisation", "items", "written", "span", "source"},
    "units": {"id", "type", "label", "alt", "unit_of", "listed_in", "written", "span", "source"},
    "change_events": {"id", "type", "label", "date", "decision", "part_of", "original", "resulting", "basis",
                      "written", "span", "source"},
    "transfers": {"id", "functions", "wording", "from", "to", "date", "decision", "written", "span", "source"},
}


@pytest.fixture(scope="module")
def seed_candidates(seed_path):
    return build_candidates(extract(read_text(seed_path)), str(seed_path))


@pytest.fixture(scope="module")
def scores(seed_candidates):
    return evaluate(seed_candidates, load_records())


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_targets_on_the_seed(scores, kind):
    recall, precision = TARGETS[kind]
    s = scores[kind]
    if recall:
        assert s.recall >= recall, (kind, s.misses)
    assert s.precision_in_region >= precision, (kind, s.wrong)


def test_issue_targets_are_the_ones_asserted():
    assert TARGETS["citations-with-dates"][0] >= 0.95
    assert TARGETS["functions"][0] >= 0.9 and TARGETS["units"][0] >= 0.9
    assert all(p >= 0.9 for _, p in TARGETS.values())


def test_decisions_of_the_seed(seed_candidates):
    docs = {d["id"]: d for d in seed_candidates.records("documents")}
    assert docs["qd-53-2008"]["date"] == dt.date(2008, 11, 3)
    assert docs["qd-53-2008"]["stated_units"] == 7
    assert docs["qd-03-2017"]["replaces"] == ["qd-53-2008"]
    assert docs["nq-36-tw-2014"]["date"] == dt.date(2014, 7, 1)


def test_candidates_use_only_record_fields_and_cite_the_seed(seed_candidates, seed_path):
    text = read_text(seed_path)
    squashed = " ".join(text.split())
    for section, allowed in FIELDS.items():
        for rec in seed_candidates.records(section):
            assert set(rec) <= allowed, (section, set(rec) - allowed)
            spans = rec["span"] if isinstance(rec["span"][0], list) else [rec["span"]]
            cited = " ".join(" ".join(text[a:b].split()) for a, b in spans)
            for written in rec.get("written", []):
                assert written in cited and written in squashed, (section, written)
    for rec in seed_candidates.records("assignments"):
        for item in rec["items"]:
            a, b = item["span"]
            assert " ".join(text[a:b].split()) == item["wording"]


def test_cli_writes_record_files_atomically_and_they_parse(cli, seed_path, tmp_path):
    out = tmp_path / "candidates"
    result = cli("extract", seed_path, "-o", out)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["assignments.yaml", "documents.yaml", "events.yaml", "organisations.yaml", "source.yaml",
                     "units.yaml"]
    events = yaml.safe_load((out / "events.yaml").read_text(encoding="utf-8"))
    assert {"change_events", "transfers"} <= set(events)
    assert "# candidate: true" in (out / "documents.yaml").read_text(encoding="utf-8")
    source = yaml.safe_load((out / "source.yaml").read_text(encoding="utf-8"))["sources"][0]
    assert source["sha256"] == load_records().source.sha256      # the same text, so the same identity


def test_cli_evaluate_prints_the_scores(cli, seed_path):
    result = cli("extract", "--evaluate")
    assert result.exit_code == 0, result.stderr
    assert "citations-with-dates" in result.output and "1.00 (6/6)" in result.output


def test_against_the_packaged_records(cli, seed_path):
    result = cli("extract", seed_path, "--against", Path(__file__).resolve().parent.parent / "graph" / "records")
    assert result.exit_code == 0, result.stderr
    assert "match    documents      qd-53-2008 = qd-53-2008" in result.output
    # the one conflict is a reading: the records take 3593/2004's "quản lý dịch vụ công" as a ninth item
    # (graph/records/names.yaml keeps both readings); the extractor reads the list's eight
    assert "1 conflicting" in result.output
    assert "conflict assignments    qd-3593-2004 = qd-3593-2004  only in the graph: dich-vu-cong" in result.output
    assert "new      organisations  thu-tuong-chinh-phu" in result.output


def test_against_reports_a_conflict(cli, seed_path, records_copy):
    docs = records_copy / "documents.yaml"
    docs.write_text(docs.read_text(encoding="utf-8").replace("date: 2008-11-03", "date: 2008-11-04"), encoding="utf-8")
    result = cli("extract", seed_path, "--against", records_copy)
    assert result.exit_code == 0, result.stderr
    assert "conflict documents      qd-53-2008 = qd-53-2008  53/2008/QĐ-UBND: dated 2008-11-03 in the text, " \
           "2008-11-04 in the graph" in result.output


def test_against_a_built_graph_file(cli, seed_path, tmp_path):
    graph = tmp_path / "g.ttl"
    assert cli("build", "-o", graph).exit_code == 0
    result = cli("extract", seed_path, "--against", graph)
    assert result.exit_code == 0, result.stderr
    assert "match    assignments    qd-53-2008 = qd-53-2008" in result.output


def test_against_matches_events_and_transfers(cli, seed_path, tmp_path):
    graph = tmp_path / "g.ttl"
    assert cli("build", "-o", graph).exit_code == 0
    for reference in (Path(__file__).resolve().parent.parent / "graph" / "records", graph):
        out = cli("extract", seed_path, "--against", reference).output
        assert "= 2017-merge-buu-chinh-vien-thong" in out and "= chi-bo-to-dang-bo" in out
        assert re.search(r"match    transfers      transfer-bao-chi-xuat-ban-from-so-van-hoa-thong-tin\S* = "
                         r"2008-bao-chi-xuat-ban-from-vhtt", out)


def test_member_counts_and_founding_date(seed_candidates):
    orgs = {o["id"]: o for o in seed_candidates.records("organisations")}
    assert orgs["dang-bo-so-thong-tin-va-truyen-thong-hai-duong"]["members"] == 39     # ids carry the province
    assert orgs["cong-doan-so-thong-tin-va-truyen-thong-hai-duong"]["members"] == 48
    assert "members" not in orgs["so-thong-tin-va-truyen-thong-hai-duong"]   # only Party and mass bodies count members
    assert orgs["so-buu-chinh-vien-thong-hai-duong"]["founded"] == dt.date(2004, 10, 1)


def test_against_reports_a_member_count_conflict(cli, seed_path, records_copy):
    orgs = records_copy / "organisations.yaml"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("members: 39", "members: 40"), encoding="utf-8")
    out = cli("extract", seed_path, "--against", records_copy).output
    assert "conflict organisations  dang-bo-so-thong-tin-va-truyen-thong-hai-duong = dang-bo-so-tttt  Đảng bộ Sở TTTT: " \
           "members 39 here, 40 in the graph" in out
