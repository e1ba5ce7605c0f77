"""The SHACL shapes accept the seed graph and catch what they promise to catch."""
import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from tttt_kg.graph.namespaces import DCTERMS, ELI, ID, ORG, PROV, TKG, new_graph
from tttt_kg.graph.validation import validate

D53 = ID["eli/ubnd-hai-duong/qd/2008/53"]
ASSIGNMENT = ID["assignment/qd-53-2008/1"]
UNIT = ID["unit/so-tttt/van-phong"]
TRANSFER = ID["transfer/2008-bao-chi-xuat-ban-from-vhtt"]


@pytest.fixture
def g(graph):
    copy = new_graph()
    for t in graph:
        copy.add(t)
    return copy


def test_seed_graph_conforms(graph):
    assert validate(graph) == []


def _broken(g, remove=(), add=()):
    for t in remove:
        g.remove(t)
    for t in add:
        g.add(t)
    violations = validate(g)
    return {(v.focus, v.path) for v in violations}, [str(v) for v in violations]


@pytest.mark.parametrize("prop", [ELI.id_local, ELI.date_document, ELI.passed_by])
def test_decision_without_number_date_or_issuer(g, prop):
    found, messages = _broken(g, remove=[(D53, prop, None)])
    assert (str(D53), prop.n3(g.namespace_manager)) in found, messages


@pytest.mark.parametrize("prop", [TKG.assignedBy, TKG.function, TKG.assignee])
def test_assignment_without_decision_function_or_organisation(g, prop):
    found, messages = _broken(g, remove=[(ASSIGNMENT, prop, None)])
    assert (str(ASSIGNMENT), prop.n3(g.namespace_manager)) in found, messages


def test_unit_without_its_organisation(g):
    found, _ = _broken(g, remove=[(UNIT, ORG.unitOf, None)])
    assert (str(UNIT), "org:unitOf") in found


def test_date_that_is_not_xsd_date(g):
    found, _ = _broken(g, remove=[(TRANSFER, DCTERMS.date, None)],
                       add=[(TRANSFER, DCTERMS.date, Literal("01/4/2008"))])
    assert (str(TRANSFER), "dct:date") in found
    found, _ = _broken(g, remove=[(D53, ELI.date_document, None)],
                       add=[(D53, ELI.date_document, Literal("2008-11-03T00:00:00", datatype=XSD.dateTime))])
    assert (str(D53), "eli:date_document") in found


def test_statement_without_provenance(g):
    found, _ = _broken(g, remove=[(UNIT, PROV.wasDerivedFrom, None)])
    assert (str(UNIT), "prov:wasDerivedFrom") in found


def test_party_body_typed_as_unit_is_caught(g):
    party = ID["org/dang-bo-so-tttt"]
    found, _ = _broken(g, add=[(party, ORG.unitOf, ID["org/so-tttt-hai-duong"])])
    assert any(focus == str(party) for focus, _ in found)


def test_violation_report_names_node_label_path_and_message(g):
    g.remove((D53, ELI.id_local, None))
    line = next(str(v) for v in validate(g) if v.focus == str(D53))
    assert "Quyết định 53/2008/QĐ-UBND" in line  # the label a person recognises
    assert str(D53) in line and "eli:id_local" in line and "number" in line
