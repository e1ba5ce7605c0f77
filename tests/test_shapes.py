"""The SHACL shapes accept the seed graph and catch what they promise to catch.

Each break is checked alone with the shapes as SPARQL (graph/shapecheck.py, what `build` runs: about a
second); pyshacl (`validate`, seconds a run) checks all the breaks at once, each on its own node, and must
find every one of them and the same focus nodes as the SPARQL checks.
"""
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from tttt_kg.graph.namespaces import DCTERMS, ELI, ID, ORG, PROV, TKG, new_graph
from tttt_kg.graph.validation import validate

D53 = ID["eli/ubnd-hai-duong/qd/2008/53"]
ASSIGNMENT = ID["assignment/qd-53-2008/1"]
UNIT = ID["unit/so-tttt/van-phong"]
TRANSFER = ID["transfer/2008-bao-chi-xuat-ban-from-vhtt"]
PARTY = ID["org/dang-bo-so-tttt"]


# name: (node, the triples taken out (patterns), the triples put in, the property pyshacl and the SPARQL
# checks must report on that node, or None for any violation of the node). Each break has its own node, so
# that all can be applied to one graph.
def _without(node, prop):
    return node, [(node, prop, None)], [], prop


def _retyped(node, prop, value):
    return node, [(node, prop, None)], [(node, prop, value)], prop


BREAKS = {
    "decision without number": _without(D53, ELI.id_local),
    "decision without date": _without(ID["eli/ubnd-hai-duong/qd/2008/22"], ELI.date_document),
    "decision without issuer": _without(ID["eli/ubnd-hai-duong/qd/2017/03"], ELI.passed_by),
    "assignment without decision": _without(ASSIGNMENT, TKG.assignedBy),
    "assignment without function": _without(ID["assignment/qd-03-2017/1"], TKG.function),
    "assignment without organisation": _without(ID["assignment/qd-03-2017/2"], TKG.assignee),
    "unit without its organisation": _without(UNIT, ORG.unitOf),
    "date that is a plain string": _retyped(TRANSFER, DCTERMS.date, Literal("01/4/2008")),
    "document date that is an xsd:dateTime": _retyped(ID["eli/ubnd-hai-duong/qd/2004/3593"], ELI.date_document,
                                                      Literal("2004-11-03T00:00:00", datatype=XSD.dateTime)),
    "statement without provenance": _without(ID["unit/so-tttt/cntt"], PROV.wasDerivedFrom),
    "party body typed as a unit": (PARTY, [], [(PARTY, ORG.unitOf, ID["org/so-tttt-hai-duong"])], None),
}


def _caught(found: set, node, prop, g) -> bool:
    path = prop.n3(g.namespace_manager) if prop is not None else None
    return any(focus == str(node) and (path is None or p == path) for focus, p in found)


def _by_sparql(failures, g) -> set:
    return {(f.focus, URIRef(f.check.path).n3(g.namespace_manager) if f.check.path else None) for f in failures}


def test_seed_graph_conforms(seed_violations, graph, sparql_shapes):
    assert seed_violations == []
    assert sparql_shapes(graph) == []


def test_every_break_is_on_a_node_of_the_seed_graph_and_on_its_own_node(graph):
    """Else a break would change nothing, or two breaks would hide each other in the combined test."""
    nodes = [node for node, _, _, _ in BREAKS.values()]
    assert len(set(nodes)) == len(nodes)
    assert all((node, None, None) in graph for node in nodes)


@pytest.mark.parametrize("name", list(BREAKS))
def test_the_sparql_shapes_catch_each_break_alone(graph, sparql_shapes, name):
    node, remove, add, prop = BREAKS[name]
    found = _by_sparql(sparql_shapes(graph, remove, add), graph)
    assert _caught(found, node, prop, graph), found


@pytest.fixture(scope="module")
def all_broken(graph):
    g = new_graph()
    g += graph
    for _, remove, add, _ in BREAKS.values():
        for pattern in remove:
            g.remove(pattern)
        for t in add:
            g.add(t)
    return g


@pytest.fixture(scope="module")
def pyshacl_on_all_broken(all_broken):
    return validate(all_broken)


def test_pyshacl_catches_every_break_and_agrees_with_the_sparql_shapes(all_broken, pyshacl_on_all_broken,
                                                                        sparql_shapes):
    by_pyshacl = {(v.focus, v.path) for v in pyshacl_on_all_broken}
    missed = [name for name, (node, _, _, prop) in BREAKS.items() if not _caught(by_pyshacl, node, prop, all_broken)]
    assert not missed, [str(v) for v in pyshacl_on_all_broken]
    by_sparql = _by_sparql(sparql_shapes(all_broken), all_broken)
    assert all(_caught(by_sparql, node, prop, all_broken) for node, _, _, prop in BREAKS.values()), by_sparql
    assert {focus for focus, _ in by_pyshacl} == {focus for focus, _ in by_sparql}


def test_violation_report_names_node_label_path_and_message(pyshacl_on_all_broken):
    line = next(str(v) for v in pyshacl_on_all_broken if v.focus == str(D53) and v.path == "eli:id_local")
    assert "Quyết định 53/2008/QĐ-UBND" in line  # the label a person recognises
    assert str(D53) in line and "eli:id_local" in line and "number" in line
