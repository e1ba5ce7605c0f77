"""Reading the graph past 2019: the mandate in 2026, where each function went, timeline and diff to 2025."""
from __future__ import annotations

import pytest

from tttt_kg.queries import catalogue as C


@pytest.fixture(scope="session")
def full_store(full_graph):
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    s = ox.Store()
    s.load(serialise(full_graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(s)


@pytest.fixture(scope="session")
def full_file(full_graph, tmp_path_factory):
    from tttt_kg.graph.export import write
    path = tmp_path_factory.mktemp("full") / "tttt-kg.ttl"
    write(full_graph, "turtle", path)
    return path


def rows(store, name, **params):
    return [{k: v.value for k, v in row.items()} for row in C.run(store, C.get(name), params).rows]


def test_function_fate_follows_every_function_of_the_2017_list(full_store, full_ask):
    listed = {f.rsplit("/", 1)[-1] for (f,) in full_ask("""SELECT DISTINCT ?f WHERE { ?a tkg:assignedBy ?d ;
                 tkg:function ?f . ?d eli:id_local "03/2017/QĐ-UBND" }""")}
    later = {f.rsplit("/", 1)[-1] for (f,) in full_ask("""SELECT DISTINCT ?f WHERE { ?a tkg:assignedBy ?d ;
                 tkg:function ?f . ?d dct:identifier "qd-ubnd-hai-duong-sau-2022" }""")}
    assert len(listed) == 16 and later == {"an-toan-thong-tin-mang", "giao-dich-dien-tu", "chuyen-doi-so"}
    got = rows(full_store, "function-fate", org="so-tttt-hai-duong", at="2026-01-01")
    by_fn = {}
    for r in got:
        by_fn.setdefault(r["function"], []).append(r)
    assert set(by_fn) == listed | later
    assert {r["ceased"] for r in got} == {"2025-03-01"}
    press = by_fn["bao-chi"][0]
    assert press["holder"].startswith("Sở Văn hoá, Thể thao và Du lịch") and press["certainty"] == "inferred"
    post = by_fn["buu-chinh"][0]
    assert post["holderEnded"] == "2025-07-01" and post["now"] == "Sở Khoa học và Công nghệ thành phố Hải Phòng"
    assert post["nowCertainty"] == "inferred"
    broadcast = by_fn["phat-thanh-truyen-hinh"][0]
    assert broadcast["certainty"] == broadcast["nowCertainty"] == "national-only"
    security = by_fn["an-toan-thong-tin-mang"][0]
    assert security["now"] == "Công an tỉnh Hải Dương" and security["certainty"] == "inferred"
    unknown = by_fn["quang-cao-tich-hop"][0]
    assert unknown["holder"] == unknown["now"] == "not known" and unknown.get("certainty", "") == ""
    # before the split (and on the seed graph) nothing has gone anywhere
    assert all(r["holder"] == "not known" for r in rows(full_store, "function-fate", org="so-tttt-hai-duong", at="2024-12-31"))


def test_mandate_in_2026_says_the_so_tttt_is_gone_and_who_holds_its_functions(cli, full_file):
    result = cli("mandate", "--at", "2026-01-01", "--org", "so-tttt-hai-duong", "--graph", full_file)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[2] == "(0 rows)"   # no list of its own holds in 2026
    assert "(so-tttt-hai-duong) no longer exists on 2026-01-01: it ceased on 2025-03-01" in out
    assert "Where each of its functions went" in out
    bao_chi = next(line for line in out.splitlines() if line.startswith("bao-chi "))
    assert "Sở Văn hoá, Thể thao và Du lịch tỉnh Hải Dương" in bao_chi and "inferred" in bao_chi
    buu_chinh = next(line for line in out.splitlines() if line.startswith("buu-chinh "))
    assert "Sở Khoa học và Công nghệ thành phố Hải Phòng" in buu_chinh
    assert "not known" in next(line for line in out.splitlines() if line.startswith("quang-cao-tich-hop "))


def test_mandate_rows_carry_their_certainty(full_store):
    got = rows(full_store, "mandate-at", at="2026-01-01")
    police = next(r for r in got if r["org"] == "cong-an-hai-duong")
    assert police["basis"] == "transferred" and police["certainty"] == "inferred"
    assert {r["certainty"] for r in rows(full_store, "mandate-at", at="2010-01-01")} == {"stated"}


def test_mandate_in_another_format_keeps_one_table_and_names_the_query(cli, full_file):
    result = cli("mandate", "--at", "2026-01-01", "-f", "csv", "--graph", full_file)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("org,organisation,basis")
    assert "no longer exists" not in result.stdout
    assert "tttt-kg query function-fate -p org=so-tttt-hai-duong -p at=2026-01-01" in result.stderr


def test_mandate_before_the_merger_is_unchanged(cli, full_file):
    result = cli("mandate", "--at", "2018-01-01", "--graph", full_file)
    assert "no longer exists" not in result.stdout and "(13 rows)" in result.stdout


def test_timeline_reaches_2025(full_store):
    got = rows(full_store, "timeline")
    numbers = [r["number"] for r in got]
    assert numbers[:4] == ["3593/2004/QĐ-UBND", "22/2008/QĐ-UBND", "53/2008/QĐ-UBND", "03/2017/QĐ-UBND"]
    assert {"176/2025/QH15", "43/2025/NĐ-CP", "55/2025/NĐ-CP"} <= set(numbers)
    resolution = next(r for r in got if r.get("date") == "2025-02-20")
    assert resolution["number"] == "(number not known)" and resolution["issuer"] == "Hội đồng nhân dân tỉnh Hải Dương"
    # the replacement of 03/2017 has no date: it comes after 03/2017 (known to be after 2022-09-15), with none shown
    after = numbers.index("03/2017/QĐ-UBND") + 1
    assert got[after]["number"] == "(number not known)" and "date" not in got[after]
    assert got[after]["replaces"] == "03/2017/QĐ-UBND" and got[after]["certainty"] == "inferred"
    dated = [r["date"] for r in got if "date" in r]
    assert dated == sorted(dated) and dated[-1].startswith("2025")


def test_diff_2019_2026(cli, full_file):
    result = cli("diff", "2019-01-01", "2026-01-01", "--graph", full_file)
    assert result.exit_code == 0, result.output
    units = result.stdout.split("Units, 2019-01-01 → 2026-01-01")[1]
    assert "kept" not in units.split("no longer exists")[0]          # the Sở TTTT's phòng ended with it
    assert "dropped  Thông tin - Báo chí - Xuất bản" in units
    assert "(so-tttt-hai-duong) no longer exists on 2026-01-01" in result.stdout


def test_seed_graph_answers_as_before(cli, graph_file_seed):
    # the seed alone knows nothing of 2025: the Sở TTTT still holds its 2017 list, and no section is added
    result = cli("mandate", "--at", "2026-01-01", "--graph", graph_file_seed)
    assert "(13 rows)" in result.stdout and "no longer exists" not in result.stdout


@pytest.fixture(scope="session")
def graph_file_seed(graph, tmp_path_factory):
    from tttt_kg.graph.export import write
    path = tmp_path_factory.mktemp("seed") / "tttt-kg.ttl"
    write(graph, "turtle", path)
    return path


def test_cite_a_page_sourced_statement(cli):
    result = cli("cite", "nq-hdnd-hai-duong-2025-02-20")
    assert result.exit_code == 0
    assert "certainty: stated (D)" in result.stdout and "rows H3, H4" in result.stdout
    assert "https://kinhtemoitruong.vn/" in result.stdout and "not known: eli:id_local" in result.stdout
