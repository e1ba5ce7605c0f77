"""Every cited span verifies against the seed; `cite` prints the passage; tampering is caught."""
from tttt_kg.graph.provenance import dates_in, locate, read_source, verify


def test_every_span_verifies_against_the_seed(graph, seed_path):
    checked, problems = verify(graph, read_source(seed_path))
    assert problems == []
    assert checked >= 100


def test_a_span_moved_off_its_words_is_caught(records_copy, seed_path):
    from tttt_kg.graph.build import build_graph
    path = records_copy / "documents.yaml"
    text = path.read_text(encoding="utf-8")
    # point the 53/2008 decision at the opening paragraph, which names neither its number nor its date
    import re
    old = re.search(r"stated_units: 7\n    span: (\[\d+, \d+\])", text).group(1)
    path.write_text(text.replace(f"stated_units: 7\n    span: {old}", "stated_units: 7\n    span: [163, 579]"), encoding="utf-8")
    _, problems = verify(build_graph(records_copy), read_source(seed_path))
    messages = [str(p) for p in problems if p.subject.endswith("/qd/2008/53")]
    assert any("53/2008/QĐ-UBND" in m for m in messages)
    assert any("2008-11-03" in m for m in messages)


def test_dates_are_recognised_in_every_written_form():
    assert dates_in("Ngày 16/9/2004, ngày 04.02.2008 và ngày 11 tháng 9 năm 2019") == {
        "2004-09-16", "2008-02-04", "2019-09-11"}


def test_locate_tolerates_line_breaks():
    assert locate("giúp UBND\n\ntính quản lý", "UBND tính") == [(5, 15)]


def test_cli_verify_sources_ok(cli, seed_path):
    result = cli("verify-sources", seed_path)
    assert result.exit_code == 0, result.output
    assert "spans verified" in result.output


def test_cli_verify_sources_refuses_another_text(cli, seed_path, tmp_path):
    changed = tmp_path / "seed.txt"
    changed.write_text(seed_path.read_text(encoding="utf-8").replace("53/2008", "54/2008"), encoding="utf-8")
    result = cli("verify-sources", changed)
    assert result.exit_code == 2
    assert "SHA-256" in result.output and "Traceback" not in result.output


def test_cli_cite_prints_the_passage(cli, seed_path):
    result = cli("cite", "qd-03-2017", "--source", seed_path)
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/tttt-kg/id/eli/ubnd-hai-duong/qd/2017/03" in result.output
    assert "thay thế Quyết định số 53/2008/QĐ-UBND" in result.output


def test_cli_cite_by_prefixed_name(cli, seed_path):
    result = cli("cite", "id:transfer/2008-phat-thanh-truyen-hinh-from-dai", "--source", seed_path)
    assert result.exit_code == 0, result.output
    assert "Đài Phát thanh và Truyền hình tỉnh" in result.output and "01/4/2008" in result.output


def test_cli_cite_unknown_iri(cli):
    result = cli("cite", "no-such-thing")
    assert result.exit_code == 2 and "not a statement of the graph" in result.output


def test_cli_locate(cli, seed_path):
    result = cli("locate", seed_path, "03/2017/QĐ-UBND")
    assert result.exit_code == 0
    assert "line 19" in result.output


def test_locate_tolerant_ignores_case_and_diacritics_and_keeps_offsets():
    text = "Theo Quyết định số 12/2021/QĐ-UBND,\nTRUNG TÂM Công nghệ thông tin và Truyền thông được kiện toàn."
    assert locate(text, "12/2021/QD-UBND") == []
    [(s, e)] = locate(text, "12/2021/QD-UBND", tolerant=True)
    assert text[s:e] == "12/2021/QĐ-UBND"
    [(s, e)] = locate(text, "trung tam cong nghe", tolerant=True)
    assert text[s:e] == "TRUNG TÂM Công nghệ"
    assert locate(text, "   ", tolerant=True) == []


def test_cli_locate_prints_half_open_spans_the_line_and_tolerant_matches(cli, seed_path, tmp_path):
    text = "Dòng một.\nNgày 02/5/2019, Sở ban hành Kế hoạch số 7/KH-STTTT về chuyển đổi số.\n"
    source = tmp_path / "s.txt"
    source.write_text(text, encoding="utf-8")
    exact = cli("locate", source, "7/KH-STTTT")
    start = text.index("7/KH-STTTT")
    assert exact.exit_code == 0 and f"[{start}, {start + 10})  line 2: " in exact.output
    assert "«7/KH-STTTT»" in exact.output and "về chuyển đổi số" in exact.output
    folded = cli("locate", source, "ke hoach so 7/kh-sttttt")
    assert folded.exit_code == 2 and "even ignoring case and diacritics" in folded.output
    folded = cli("locate", source, "ke hoach so")
    assert folded.exit_code == 0 and "ignoring case and diacritics" in folded.output
    assert f"[{text.index('Kế hoạch số')}, " in folded.output
