"""SHACL validation with a report a person can read: node, label, path, message."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import ConjunctiveGraph, Graph
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import prepareQuery

from tttt_kg.ontology import SHAPES

from tttt_kg.graph.namespaces import SH


@dataclass
class Violation:
    focus: str
    label: str | None
    path: str | None
    message: str
    severity: str

    def __str__(self):
        who = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        where = f" [{self.path}]" if self.path else ""
        return f"{self.severity}: {who}{where}: {self.message}"


class _PreparedQueries(Graph):
    """``g`` itself (the same store, no copy) whose query() parses each distinct SPARQL text once.

    pyshacl runs every sh:sparql constraint once per focus node, with the same text and $this bound,
    and rdflib parses the text anew each time: 80% of validate()'s time on the seed graph (cProfile).
    A prepared query run with other bindings is rdflib's own way to do this (prepareQuery)."""

    def __init__(self, g: Graph):
        super().__init__(store=g.store, identifier=g.identifier, namespace_manager=g.namespace_manager)
        self._namespaces = dict(self.namespaces())   # what rdflib would resolve prefixes with, per query
        self._prepared: dict = {}

    def query(self, query_object, processor="sparql", result="sparql", initNs=None, *args, **kwargs):  # noqa: N803
        initNs = initNs or self._namespaces  # noqa: N806
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted(initNs.items())) if initNs is not self._namespaces else None)
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=initNs)
            query_object = self._prepared[key]
        return super().query(query_object, processor, result, initNs, *args, **kwargs)


def validate(g: Graph) -> list[Violation]:
    """Run ontology/shapes.ttl over ``g``; return its violations (empty when it conforms)."""
    import pyshacl

    shapes = Graph().parse(SHAPES, format="turtle")
    # in place: the shapes have no sh:rule (graph/shapecheck.py refuses one), so nothing writes to
    # ``g``, and the wrapper must be the graph pyshacl queries, not a copy of it
    data = g if isinstance(g, ConjunctiveGraph) else _PreparedQueries(g)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
                                    inplace=not isinstance(g, ConjunctiveGraph))
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        labels = sorted(g.objects(focus, RDFS.label), key=lambda lab: (getattr(lab, "language", None) != "vi", str(lab)))
        label = labels[0] if labels else None
        severity = report.value(result, SH.resultSeverity)
        out.append(Violation(
            focus=str(focus), label=str(label) if label is not None else None,
            path=path.n3(g.namespace_manager) if path is not None else None,
            message="; ".join(messages) or "violates a shape", severity=str(severity).rsplit("#", 1)[-1]))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
