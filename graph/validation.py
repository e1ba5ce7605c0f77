"""SHACL validation with a report a person can read: node, label, path, message."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

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


def validate(g: Graph) -> list[Violation]:
    """Run ontology/shapes.ttl over ``g``; return its violations (empty when it conforms)."""
    import pyshacl

    shapes = Graph().parse(SHAPES, format="turtle")
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
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
