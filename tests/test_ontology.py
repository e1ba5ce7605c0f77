"""The vocabulary documents itself, and every class the data uses has a shape."""
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from tttt_kg.graph.namespaces import SH, TKG
from tttt_kg.ontology import ONTOLOGY, SHAPES


def test_every_own_term_is_labelled_in_vi_and_en_with_comment_domain_and_range():
    g = Graph().parse(ONTOLOGY)
    terms = [s for s in set(g.subjects(RDF.type, None)) if str(s).startswith(str(TKG))]
    assert len(terms) > 20
    problems = []
    for t in terms:
        langs = {lab.language for lab in g.objects(t, RDFS.label)}
        if not {"vi", "en"} <= langs:
            problems.append(f"{t}: labels {langs}")
        if g.value(t, RDFS.comment) is None:
            problems.append(f"{t}: no comment")
        if (t, RDF.type, OWL.Class) not in g:
            if g.value(t, RDFS.domain) is None or g.value(t, RDFS.range) is None:
                problems.append(f"{t}: domain or range missing")
    assert problems == []


def test_every_class_the_data_uses_has_a_shape(graph):
    shapes = Graph().parse(SHAPES)
    targeted = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    vocabulary_meta = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.FunctionalProperty, OWL.Ontology}
    used = set(graph.objects(None, RDF.type)) - vocabulary_meta
    # a class is covered when it or one of its superclasses (per the graph's vocabulary) is targeted
    def covered(cls):
        return cls in targeted or any(covered(sup) for sup in graph.objects(cls, RDFS.subClassOf) if sup != cls)
    assert sorted(str(c) for c in used if not covered(c)) == []
