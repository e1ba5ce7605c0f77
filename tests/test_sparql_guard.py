"""The SPARQL guard (graph/guards/sparql_guard.py) against what Oxigraph really does.

Why: the endpoint refuses SERVICE (a call from the server to any URL, 127.0.0.1 included) and the
guard must read a query as Oxigraph reads it; every reader must refuse what crashes Oxigraph (a
segfault in the CLI, a dead worker in the endpoint). Each lexical case below is run by Oxigraph
next to a canary HTTP server (tests/oxigraph_oracle.py, in a child process): the test states what
Oxigraph does with it (calls SERVICE, parses without a call, or refuses the syntax), checks that
this is so, and checks that the guard refuses exactly the queries that call out. The size bounds
are checked through the endpoint's execute() and the CLI, each in a child process so that a crash
fails the test with its exit status.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from oxigraph_oracle import Oracle
from tttt_kg.graph.guards import sparql_guard as guard
from tttt_kg.graph.guards.sparql_guard import (MAX_CHAIN, MAX_NESTING, QueryAmbiguous, QueryTooDeep, QueryTooLong,
                                        ServiceRefused, UpdateRefused, check_nesting, check_query, chain_length,
                                        first_keyword, is_update, nesting_depth, tokens, uses_service)
from tttt_kg.graph.stores.store import StoreError


@pytest.fixture(scope="module")
def oracle():
    o = Oracle()
    yield o
    o.stop()


S = "http://127.0.0.1:PORT"   # the canary; PORT is replaced by the oracle's port
CALLS, PASSES, SYNTAX = "calls SERVICE", "parses, no call", "syntax error"

CASES = [
    # comments end at CR or LF (SPARQL's COMMENT), and only there
    ("comment ended by CR", "SELECT * WHERE { #x\rSERVICE <S/internal> { ?a ?b ?c } }", CALLS),
    ("comment ended by CRLF", "SELECT * WHERE { #x\r\nSERVICE <S/a> { ?a ?b ?c } }", CALLS),
    ("comment ended by LF", "SELECT * WHERE { #x\nSERVICE <S/a> { ?a ?b ?c } }", CALLS),
    ("comment before the query, ended by CR", "#c\rSELECT * WHERE { SERVICE <S/a> { } }", CALLS),
    ("form feed does not end a comment", "SELECT * WHERE { #x\x0cSERVICE <S/a> { ?a ?b ?c }\n}", PASSES),
    ("vertical tab does not end a comment", "SELECT * WHERE { #x\x0bSERVICE <S/a> { }\n}", PASSES),
    ("NEL does not end a comment", "SELECT * WHERE { #x\x85SERVICE <S/a> { }\n}", PASSES),
    ("line separator does not end a comment", "SELECT * WHERE { #x\u2028SERVICE <S/a> { }\n}", PASSES),
    ("SERVICE in a comment", "SELECT * WHERE { # SERVICE <S/a> { }\n ?s ?p ?o }", PASSES),
    ("tab and CR as whitespace", "SELECT\t*\rWHERE\t{\rSERVICE\t<S/a>\r{ } }", CALLS),
    ("form feed is not whitespace", "SELECT * WHERE {\x0cSERVICE <S/a> { } }", SYNTAX),
    # prefixed names: PN_LOCAL_ESC and PERCENT are part of the name, not a comment or a string
    ("PN_LOCAL_ESC \\#", "PREFIX ex: <http://x/> SELECT (ex:a\\#b AS ?q) ?c WHERE { SERVICE <S/x> { ?a ?b ?c } }", CALLS),
    ("PN_LOCAL_ESC \\' (not a string)", "PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\' AS ?q) SERVICE <S/x> { } }",
     CALLS),
    ("PERCENT %23", "PREFIX ex: <http://x/> SELECT (ex:a%23b AS ?q) WHERE { SERVICE <S/x> { } }", CALLS),
    ("escapes in a name that reads SERVICE", "PREFIX ex: <http://x/> SELECT * WHERE { VALUES ?v { ex:a\\~SERVICE } }",
     PASSES),
    # strings: escaped quotes, long strings over lines with # and }
    ("escaped quote in a string", 'SELECT * WHERE { BIND("a\\"b #" AS ?x) SERVICE <S/x> { } }', CALLS),
    ("long string over lines with # and }", "SELECT * WHERE { BIND('''x\n#}\n''' AS ?x) SERVICE <S/x> { } }", CALLS),
    ("long string holding a SERVICE clause", 'SELECT * WHERE { BIND("""a " "" \n# } SERVICE <S/x> { }\n""" AS ?x) }',
     PASSES),
    ("quotes of the other kind in strings", "SELECT * WHERE { BIND('\"#' AS ?x) BIND(\"'#\" AS ?y) SERVICE <S/x> { } }",
     CALLS),
    ("SERVICE in each string form", "SELECT * WHERE { BIND('SERVICE <S/a> { }' AS ?a) BIND(\"SERVICE <S/b> { }\" AS ?b) "
                                    "BIND('''SERVICE <S/c> { }''' AS ?c) BIND(\"\"\"SERVICE <S/d> { }\"\"\" AS ?d) }", PASSES),
    # IRIs may hold #; SERVICE in IRIs, variables and prefixed names is no SERVICE
    ("IRI with #", "SELECT * WHERE { BIND(<http://x/a#b> AS ?i) SERVICE <S/x> { } }", CALLS),
    ("SERVICE in an IRI", "SELECT * WHERE { ?s <http://x/SERVICE> ?o . BIND(<http://x/p#SERVICE> AS ?i) }", PASSES),
    ("SERVICE in a variable", "SELECT ?service WHERE { BIND(1 AS ?service) BIND(2 AS $SERVICE) }", PASSES),
    ("SERVICE in a prefixed name", "PREFIX service: <http://x/> SELECT * WHERE { ?s service:SERVICE ?o }", PASSES),
    ("a property named like it", "PREFIX schema: <https://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }",
     PASSES),
    # the keyword in any case, SILENT, and SERVICE wherever a group may hold it
    ("lower case", "SELECT * WHERE { service <S/x> { } }", CALLS),
    ("mixed case", "SELECT * WHERE { SeRvIcE <S/x> { } }", CALLS),
    ("SERVICE SILENT", "SELECT * WHERE { SERVICE SILENT <S/x> { } }", CALLS),
    ("in a subquery", "SELECT * WHERE { { SELECT * WHERE { SERVICE <S/x> { } } } }", CALLS),
    ("in a subquery's subquery", "ASK { { SELECT ?a WHERE { { SELECT ?a WHERE { SERVICE <S/x> { ?a ?b ?c } } } } } }",
     CALLS),
    ("in OPTIONAL", "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <S/x> { } } }", CALLS),
    ("in UNION", "SELECT * WHERE { { } UNION { SERVICE <S/x> { } } }", CALLS),
    ("in FILTER EXISTS", "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <S/x> { } } }", CALLS),
    ("in a SELECT expression", "SELECT (EXISTS { SERVICE <S/x> { } } AS ?e) WHERE { }", CALLS),
    # Oxigraph 0.5 parses SERVICE ?var but fails before calling ("the variable ... is unbound"): refused all the same
    ("a variable names the service", "SELECT * WHERE { VALUES ?svc { <S/x> } SERVICE ?svc { } }", PASSES),
    # keywords glued to what follows: Oxigraph needs no word boundary
    ("no space at all", "SELECT*WHERE{SERVICE<S/x>{}}", CALLS),
    ("SERVICE:x", "PREFIX : <S/> SELECT * WHERE { SERVICE:x { } }", CALLS),
    ("SERVICEsvc:x", "PREFIX svc: <S/> SELECT * WHERE { SERVICEsvc:x { } }", CALLS),
    ("SERVICESILENT", "SELECT * WHERE { SERVICESILENT<S/x> { } }", CALLS),
    ("SERVICE SILENTsvc:x", "PREFIX svc: <S/> SELECT * WHERE { SERVICE SILENTsvc:x { } }", CALLS),
    ("trueSERVICE", "PREFIX x: <http://x/> SELECT * WHERE { x:s x:flag trueSERVICE <S/x> { } }", CALLS),
    ("a prefixed name that is no IRI falls back to its prefix",
     "PREFIX ex: <http://x:> SELECT * WHERE { <http://x/s> <http://x/port> ex:SERVICE <S/x> { } }", CALLS),
    # '<' is less-than after an operand in an expression, an IRI elsewhere
    ("less-than, then what looks like an IRI", "PREFIX : <S/> SELECT * WHERE { FILTER(1<2)SERVICE:x#>\n{ } }", CALLS),
    ("a keyword glued to an operand before less-than",
     "BASE <http://x/> SELECT (COUNT(DISTINCTtrue<'x>') AS ?c) WHERE { SERVICE <S/x> { } } #'", CALLS),
    ("EXISTS {…} before less-than", "SELECT * WHERE { FILTER(EXISTS{}<'x>' || true) SERVICE <S/x> { } } #'", CALLS),
    ("a call after a glued FILTER", "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT * WHERE "
                                    "{ <http://x/s> <http://x/flag> trueFILTER xsd:boolean(?u<'x>' || true) "
                                    "SERVICE <S/x> { } } #'", CALLS),
    ("an IRI after an operand in a collection", "SELECT * WHERE { OPTIONAL { ?s ?p (?a <http://x/a#'b>) } "
                                                "BIND('x' AS ?y) }", PASSES),
    # codepoint escapes: Oxigraph decodes them in strings and IRIs only
    ("\\u0053ERVICE", "SELECT * WHERE { \\u0053ERVICE <S/x> { ?a ?b ?c } }", SYNTAX),
    ("\\U00000053ERVICE", "SELECT * WHERE { \\U00000053ERVICE <S/x> { } }", SYNTAX),
    ("S\\u0045RVICE", "SELECT * WHERE { S\\u0045RVICE <S/x> { } }", SYNTAX),
    ("\\u0053ERVICE in a string", "SELECT * WHERE { BIND('\\u0053ERVICE <S/x> { }' AS ?x) }", PASSES),
    ("\\u0053ERVICE in an IRI", "SELECT * WHERE { BIND(<http://x/\\u0053ERVICE> AS ?x) }", PASSES),
]

# Oxigraph calls nothing for these, and the guard refuses them all the same: it does not parse the
# first three, which read with the codepoint escapes decoded (as SPARQL §19.2 says) are SERVICE
# clauses; nor the form feed; and it parses SERVICE ?var but cannot bind the variable yet
REFUSED_ANYWAY = {"\\u0053ERVICE", "\\U00000053ERVICE", "S\\u0045RVICE", "form feed is not whitespace",
                  "a variable names the service"}


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_guard_reads_service_as_oxigraph_does(oracle, name, text, expected):
    text = text.replace("<S", f"<{S}").replace("PORT", str(oracle.port))
    out = oracle.ask(text)
    assert out.outcome != "crashed", out.detail
    seen = CALLS if out.hits else PASSES if out.parsed else SYNTAX
    assert seen == expected, f"Oxigraph: {out}"
    if expected == CALLS or name in REFUSED_ANYWAY:
        assert uses_service(text)
        with pytest.raises(ServiceRefused, match=r"SERVICE at line \d+, column \d+"):
            check_query(text)
    else:
        assert not uses_service(text)
        check_query(text)


def test_an_escape_that_closes_a_string_only_when_decoded_is_refused(oracle):
    """Oxigraph reads \\u0022 inside a string as a quote character; decoded first (§19.2) it ends the
    string and a SERVICE clause follows. The guard takes both readings and refuses: a false refusal
    of an odd query, never a call."""
    text = f'SELECT * WHERE {{ BIND("\\u0022 SERVICE <{S}/x> {{ }} \\u0022" AS ?x) }}'.replace("PORT", str(oracle.port))
    out = oracle.ask(text)
    assert out.outcome == "ran" and out.hits == 0
    assert guard.facts(text).service_as_read is False
    with pytest.raises(ServiceRefused):
        check_query(text)


# ---- updates --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "insertdata{<http://x/a> <http://x/b> <http://x/c>}",
    "PREFIX ex: <http://x/> # c\rDELETE WHERE { ?s ?p ?o }",
    "BASE <http://x/> LOAD <http://127.0.0.1:1/data>",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL", "drop graph <http://x/g>", "COPY DEFAULT TO <http://x/g>",
    "\\u0049NSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
])
def test_updates_are_refused(oracle, text):
    """An update never reaches Store.query (which would refuse its syntax anyway): the endpoint says why."""
    assert oracle.ask(text).outcome == "syntax"
    assert is_update(text)
    with pytest.raises(UpdateRefused, match="read-only"):
        check_query(text)


def test_queries_are_not_updates():
    for text in ['SELECT ?insert WHERE { BIND("INSERT DATA" AS ?insert) }', "PREFIX delete: <http://x/> ASK { }",
                 "CONSTRUCT WHERE { ?s <http://x/load> ?o }"]:
        assert not is_update(text), text
        check_query(text)
    assert first_keyword("PREFIX a: <http://x/> BASE <http://y/> SELECT * { }") == "select"
    assert first_keyword("PREFIXa:<http://x/>ASK{}") == "ask"


def test_tokens_skip_comments_and_keep_strings_and_iris_whole():
    assert list(tokens('SELECT * WHERE { ?a <x#y> "s#}" } # c')) == [
        ("name", "SELECT"), ("op", "*"), ("name", "WHERE"), ("open", "{"), ("var", "?a"), ("iri", "<x#y>"),
        ("string", '"s#}"'), ("close", "}")]
    assert ("name", "ex:a\\#b") in list(tokens("SELECT (ex:a\\#b AS ?q) {}"))


# ---- the bounds: what legitimate queries need, and what crashes ------------------------------

def braces(n: int) -> str:
    return "SELECT * WHERE " + "{ " * n + "}" * n


def calls(n: int) -> str:
    """n nested function calls: the nesting that costs Oxigraph the most stack (it dies from 928)."""
    return "SELECT * WHERE { FILTER(" + "STR(" * n + "1" + ")" * n + ") }"


def conjunction(n: int) -> str:
    return "SELECT * WHERE { FILTER(" + " && ".join(["true"] * n) + ") }"


def minuses(n: int) -> str:
    """n MINUS in a row: the chain that costs Oxigraph the most stack (it dies from 2,636)."""
    return "SELECT * WHERE { ?a ?b ?c " + " ".join(["MINUS { ?a ?b ?c }"] * n) + " }"


def sum_of_ones(n: int) -> str:
    return "SELECT (" + "+".join(["1"] * n) + " AS ?x) WHERE { }"


def largest_accepted(build) -> int:
    """The largest n whose query passes every size check."""
    lo, hi = 1, 20_000
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            guard.check_size(build(mid))
            lo = mid
        except (QueryTooDeep, QueryTooLong):
            hi = mid
    return lo


def test_the_named_queries_are_far_below_the_bounds():
    from tttt_kg.queries.catalogue import load_catalogue
    queries = load_catalogue()
    assert len(queries) >= 18
    for q in queries:
        check_query(q.text)
        assert nesting_depth(q.text) * 5 <= MAX_NESTING and chain_length(q.text) * 5 <= MAX_CHAIN, q.id


def test_a_filter_of_many_conditions_passes():
    conditions = " || ".join(f'(?label = "nhãn {i}"@vi && ?n > {i})' for i in range(60))
    text = f"SELECT ?s WHERE {{ ?s <http://x/label> ?label ; <http://x/n> ?n . FILTER({conditions}) }}"
    check_query(text)
    assert largest_accepted(conjunction) >= 1000
    check_query("SELECT * WHERE { FILTER(?x IN (" + ",".join(["1"] * 20_000) + ")) }")   # a list, not a chain
    check_query("SELECT * WHERE { VALUES (?x ?y) { " + "(1 2) " * 20_000 + "} }")


def test_nesting_over_the_bound_is_refused_with_where():
    assert nesting_depth(braces(MAX_NESTING)) == MAX_NESTING
    check_nesting(braces(MAX_NESTING))
    check_nesting(calls(MAX_NESTING - 2))   # FILTER( and { are two levels more
    with pytest.raises(QueryTooDeep) as refused:
        check_nesting(braces(MAX_NESTING + 1))
    assert f"{MAX_NESTING + 1} levels deep" in str(refused.value) and "line 1, column" in str(refused.value)
    assert isinstance(refused.value, StoreError)


def test_chains_over_the_bound_are_refused():
    for build in (conjunction, minuses, sum_of_ones):
        n = largest_accepted(build)
        guard.check_size(build(n))
        with pytest.raises(QueryTooLong, match="too many operators or pattern elements"):
            guard.check_size(build(n + 1))


def test_hidden_nesting_is_seen():
    """The old guard took ex:a\\# for a comment start and missed the brackets after it on the line."""
    text = "PREFIX ex: <http://x/> SELECT (ex:a\\#b AS ?q) WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
    with pytest.raises(QueryTooDeep):
        check_nesting(text)


RUN_EXECUTE = """
import json, sys
import pyoxigraph as ox
from tttt_kg.graph.server.query_workers import Limits, QueryRequest, execute
from tttt_kg.graph.server.result_formats import negotiate
from tttt_kg.graph.stores.store import OxigraphStore
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.NamedNode("http://x/o")))
reply = execute(OxigraphStore(store), QueryRequest(negotiate(None), text=sys.stdin.read()), Limits())
print(json.dumps({"status": reply.status, "body": reply.body.decode()}))
"""


def endpoint(text: str) -> tuple[int, str]:
    """The endpoint's execute() on ``text`` in a fresh process, as a worker runs it (its main thread)."""
    done = subprocess.run([sys.executable, "-c", RUN_EXECUTE], input=text, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"the worker died (exit status {done.returncode}): {done.stderr[-500:]}"
    reply = json.loads(done.stdout)
    return reply["status"], reply["body"]


@pytest.fixture(scope="module")
def tiny_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "g.nt"
    path.write_text("<http://x/s> <http://x/p> <http://x/o> .\n")
    return path


def cli(text: str, graph) -> subprocess.CompletedProcess:
    """`tttt-kg query -e TEXT` in a fresh process (the query runs in its worker thread)."""
    return subprocess.run([sys.executable, "-c", "from tttt_kg.cli import main; main()", "query", "-e", text,
                           "--graph", str(graph)], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("build", [braces, calls, conjunction, minuses, sum_of_ones],
                         ids=["braces", "calls", "conjunction", "minuses", "sum"])
def test_just_under_a_bound_runs_and_just_over_is_refused(build, tiny_graph):
    n = largest_accepted(build)
    status, body = endpoint(build(n))
    assert status == 200, body
    done = cli(build(n), tiny_graph)
    assert done.returncode == 0, done.stderr
    status, body = endpoint(build(n + 1))
    assert status == 400 and ("levels deep" in body or "too many operators" in body), body
    done = cli(build(n + 1), tiny_graph)
    assert done.returncode == 2 and done.stderr.startswith("error: the query "), done.stderr


@pytest.mark.parametrize("text", [
    sum_of_ones(11_000),                       # 22 KB of 1+1+…: Oxigraph dies from 6,933 terms
    conjunction(10_000),                       # 10,000 && terms: it dies from 9,375
    calls(3_000), braces(3_000),
], ids=["22 KB of 1+1+...", "10,000 && terms", "3,000 nested calls", "3,000 nested braces"])
def test_what_crashed_oxigraph_gets_a_sentence_and_exit_2(text, tiny_graph):
    done = cli(text, tiny_graph)
    assert done.returncode == 2, (done.returncode, done.stderr[-300:])
    assert done.stderr.startswith("error: the query ") and "limit" in done.stderr and "\n" == done.stderr[-1]
    assert "Traceback" not in done.stderr
    status, body = endpoint(text)
    assert status == 400 and "limit" in body


def test_endpoint_refuses_service_and_update_with_403():
    status, body = endpoint("SELECT * WHERE { #x\rSERVICE <http://127.0.0.1:1/internal> { ?a ?b ?c } }")
    assert status == 403 and "SERVICE at line 2, column 1" in body   # CR ends the line
    status, body = endpoint("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    assert status == 403 and "read-only" in body


def test_an_undecidable_reading_is_refused():
    """FILTER glued to a prefixed name (FILTERex:f) makes the ( after it an expression for Oxigraph;
    a name that merely contains "filter" could be a collection's predicate. Where the two readings of
    a <…> would differ (a ' or # inside), the guard refuses instead of guessing."""
    text = "PREFIX ex: <http://x/> SELECT * WHERE { ?s ?p ?o FILTERex:f(?a<'x>') SERVICE <http://127.0.0.1:1/> { } } #'"
    with pytest.raises(QueryAmbiguous, match="cannot be read for sure at line 1"):
        check_nesting(text)
    with pytest.raises((QueryAmbiguous, ServiceRefused)):
        check_query(text)


# the name characters of SPARQL 1.1 §19.8, as the grammar writes them (positive classes)
PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                 "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
PN_CHARS_U = PN_CHARS_BASE + "_"
PN_CHARS = PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
VARNAME_REST = PN_CHARS_U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"


@pytest.mark.parametrize("grammar,parts", [
    (PN_CHARS_BASE, (guard._BASE,)), (PN_CHARS_U, (guard._U,)), (PN_CHARS, (guard._CHARS,)),
    (PN_CHARS + ".", (guard._CHARS, guard._DOT)), (PN_CHARS + ".:", (guard._CHARS, guard._DOT, guard._COLON)),
    (PN_CHARS_U + ":0-9", (guard._U, guard._COLON, guard._DIGITS)), (VARNAME_REST, (guard._U, guard._VAR_MORE)),
], ids=["PN_CHARS_BASE", "PN_CHARS_U", "PN_CHARS", "PN_CHARS .", "PN_CHARS . :", "PN_LOCAL first", "VARNAME rest"])
def test_the_name_classes_hold_exactly_the_grammars_characters(grammar, parts):
    """The lexer writes its classes as the negation of their complement (cheaper to compile): on every code
    point they must answer as the grammar's own classes do."""
    import re
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(guard.name_class(*parts), every) == re.findall(f"[{grammar}]", every)
