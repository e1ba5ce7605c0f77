"""Issue 14, speed and warnings: a long input is extracted block by block (spans still count the
whole input, records merged by id), and warnings come as a count per kind with the first places."""
from __future__ import annotations

from extract_unseen import (CIRCULAR_PROVISIONS, DATED_EVENTS, DECISION_HEADER, JOINT_CIRCULAR_HEADER, LINE_LISTS,
                            SUBJECTS)

from tttt_kg.graph.extract import build_candidates, extract
from tttt_kg.graph.extract.stream import blocks, extract_candidates

GAP = "\n\n\n"


def _spans(rec):
    span = rec["span"]
    return [span] if isinstance(span[0], int) else span


def test_blocks_cut_between_documents_and_cover_the_text():
    text = GAP.join([DECISION_HEADER, SUBJECTS, DATED_EVENTS])
    pieces = list(blocks(text, len(DECISION_HEADER) + 200))
    assert "".join(b for _, b in pieces) == text
    assert [o for o, _ in pieces] == [sum(len(b) for _, b in pieces[:i]) for i in range(len(pieces))]
    assert pieces[1][1].lstrip("\n").startswith(SUBJECTS[:40])       # at the blank lines between documents


def test_block_by_block_gives_each_documents_records_with_spans_in_the_whole_text():
    docs = [CIRCULAR_PROVISIONS, JOINT_CIRCULAR_HEADER, LINE_LISTS]       # 647, 646, 599 characters
    text = GAP.join(docs)
    streamed = extract_candidates(text, "corpus.txt", block_chars=660)   # one document a block
    alone = [build_candidates(extract(d), "corpus.txt") for d in docs]
    assert {r["id"] for r in streamed.records("documents")} == {r["id"] for c in alone for r in c.records("documents")}
    assert len(streamed.records("assignments")) == sum(len(c.records("assignments")) for c in alone)
    offsets = [sum(len(d) + len(GAP) for d in docs[:i]) for i in range(len(docs))]
    for section in ("organisations", "documents", "units", "change_events", "transfers"):
        merged = {(r.get("id"), r.get("from")): r for r in streamed.records(section)}
        for c, offset, doc in zip(alone, offsets, docs):
            for rec in c.records(section):
                spans = [list(s) for s in _spans(merged[(rec.get("id"), rec.get("from"))])]
                for a, b in _spans(rec):             # the same words, counted in the whole text
                    assert [a + offset, b + offset] in spans and text[a + offset:b + offset] == doc[a:b]
    [source] = streamed.records("sources")
    assert source["length"] == len(text)
    whole = build_candidates(extract(text), "corpus.txt").records("sources")[0]
    assert source["sha256"] == whole["sha256"]


def test_a_body_named_in_two_blocks_is_one_record_with_both_spans():
    text = GAP.join([SUBJECTS, SUBJECTS])
    streamed = extract_candidates(text, "twice.txt", block_chars=len(SUBJECTS) + 10)
    once = extract_candidates(SUBJECTS, "twice.txt")
    assert [r["id"] for r in streamed.records("organisations")] == [r["id"] for r in once.records("organisations")]
    sở = next(r for r in streamed.records("organisations") if r["id"] == "so-thong-tin-va-truyen-thong-bac-son")
    assert max(b for _, b in _spans(sở)) > len(SUBJECTS)                # a span in the second copy
    assert len(streamed.records("transfers")) == len(once.records("transfers"))


def test_an_input_under_a_block_is_extracted_as_before():
    c = extract_candidates(DECISION_HEADER, "passage.txt")
    assert c.sections == build_candidates(extract(DECISION_HEADER), "passage.txt").sections


LIST_NOBODY_GIVES = ("Trong năm {n}, Sở đã thực hiện tốt chức năng quản lý nhà nước về báo chí, xuất bản, "
                     "bưu chính, viễn thông trên địa bàn.\n\n")


def test_warnings_are_a_count_per_kind_with_the_first_places(cli, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("".join(LIST_NOBODY_GIVES.format(n=2000 + i) for i in range(12)), encoding="utf-8")
    short = cli("extract", path)
    assert short.exit_code == 0, short.stderr
    lines = [ln for ln in short.stderr.splitlines() if ln.startswith("warning:")]
    assert len(lines) == 1
    assert "12 × function list no document of the text gives" in lines[0]
    assert lines[0].count("[") >= 3 and "…" in lines[0]                 # the first three places
    every = cli("extract", path, "--verbose")
    assert len([ln for ln in every.stderr.splitlines() if "no document" in ln]) == 12


def test_a_few_warnings_of_a_kind_are_printed_whole(cli, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text(LIST_NOBODY_GIVES.format(n=2001), encoding="utf-8")
    result = cli("extract", path)
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert "a list of 4 (báo chí, xuất bản, bưu chính, …) that no document of the text gives" in line


def test_counts_of_a_phrase_are_of_the_block_asked_about():
    """A new block's text may take the memory (and the id) of a freed one: counts must not carry over."""
    from tttt_kg.graph.extract.units import _count
    for _ in range(50):
        first = "Bưu chính, Viễn thông " * 500 + "x"
        assert _count(first, "Bưu chính, Viễn thông") == 500
        del first
        second = "Văn phòng, Thanh tra. " * 500 + "y"             # the same size
        assert _count(second, "Bưu chính, Viễn thông") == 0
