"""The SHACL shapes as SPARQL, run on Oxigraph's engine: validation that scales to millions of triples.

pyshacl evaluates shapes through rdflib and takes minutes on a national-size corpus. This
module reads ontology/shapes.ttl itself and turns every constraint into one SPARQL SELECT
that returns the focus nodes breaking it, so a store is checked against exactly the same
shapes file (no second copy of the rules to drift). It supports the SHACL Core subset the
shapes use — targetClass, targetSubjectsOf, property paths that are one IRI, minCount,
maxCount, datatype, class, pattern, languageIn, uniqueLang, node, not/class, or and xone (of
property shapes with min/max counts) and SPARQL-based constraints — and refuses a shape that uses anything else, rather than skip it.
One deliberate difference: Oxigraph keeps integer subtypes as xsd:integer, so sh:datatype
xsd:positiveInteger (etc.) accepts an xsd:integer in the subtype's range.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
IGNORED = {"message", "severity", "name", "description", "order", "group"}
XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph stores the integer subtypes as xsd:integer ("9"^^xsd:positiveInteger reads back as
# "9"^^xsd:integer), so a datatype check on them has to test the value's range instead.
INTEGER_SUBTYPES = {"nonNegativeInteger": ">= 0", "positiveInteger": "> 0", "nonPositiveInteger": "<= 0",
                    "negativeInteger": "< 0"}
# datatypes SPARQL can cast to: a value of one whose lexical form is wrong makes the cast an error
CASTABLE = {"boolean", "integer", "decimal", "float", "double", "date", "dateTime", "time"}
SUPPORTED = IGNORED | {"targetClass", "targetSubjectsOf", "property", "path", "minCount", "maxCount", "datatype",
                       "class", "pattern", "flags", "node", "not", "or", "xone", "sparql", "select",
                       "languageIn", "uniqueLang"}


class ShapeCompileError(ValueError):
    """A shape that uses a SHACL feature this SPARQL translation does not cover."""


@dataclass(frozen=True)
class Check:
    shape: str          # the node shape (IRI) the constraint belongs to
    path: str | None    # the property, when it is a property constraint
    kind: str           # minCount, datatype, …
    message: str
    sparql: str         # the check on its own: a query binding ?focus (and ?detail for a node reached by sh:node)
    # Value constraints of one property shape (counts, datatype, pattern, languageIn) are run
    # together, in one pass over the focus nodes: ``frame`` is what they share (target, reported
    # variable, path, the property shape), ``aggregate`` what this one adds to the GROUP BY, ``test``
    # when a focus fails.
    frame: tuple[str, str, str, str] | None = None
    aggregate: str = ""
    test: str = ""


@dataclass(frozen=True)
class Failure:
    focus: str
    check: Check

    def __str__(self):
        where = f" [<{self.check.path}>]" if self.check.path else ""
        return f"Violation: <{self.focus}>{where}: {self.check.message} ({self.check.kind}, <{self.check.shape}>)"


def _str_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Shapes:
    def __init__(self, path: Path):
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        self.store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)

    def objects(self, s, local: str, ns: str = SH):
        return [q.object for q in self.store.quads_for_pattern(s, self.ox.NamedNode(ns + local), None)]

    def one(self, s, local: str):
        values = self.objects(s, local)
        return values[0] if values else None

    def rdf_list(self, head) -> list:
        out, nil = [], self.ox.NamedNode(RDF + "nil")
        while head != nil:
            out.append(self.objects(head, "first", RDF)[0])
            head = self.objects(head, "rest", RDF)[0]
        return out

    def check_supported(self, node, where: str) -> None:
        for q in self.store.quads_for_pattern(node, None, None):
            p = q.predicate.value
            if p.startswith(SH) and p[len(SH):] not in SUPPORTED:
                raise ShapeCompileError(f"{where}: sh:{p[len(SH):]} is not translated to SPARQL; "
                                        "extend graph/shapecheck.py before using it in ontology/shapes.ttl")


def _class_variable(var: str, cls: str) -> str:
    return f"?cls_{zlib.crc32((var + cls).encode()):08x}"


def _instance_of(var: str, cls: str) -> str:
    """``var`` is an instance of ``cls`` or of a subclass; the class list is filled in per store."""
    name = _class_variable(var, cls)
    return f"{var} a {name} . VALUES {name} {{ @@{cls}@@ }}"


def _not_instance_of(var: str, cls: str) -> str:
    """``var`` is not an instance of ``cls`` (nor of a subclass). OPTIONAL + !BOUND, not FILTER NOT
    EXISTS, which Oxigraph evaluates per row: 1.9 s of the class checks' 6.9 s at 1M triples."""
    return f"OPTIONAL {{ {_instance_of(var, cls)} }} FILTER(!BOUND({_class_variable(var, cls)}))"


def _values(subject: str, p: str, value: str) -> str:
    """The group pattern ``{ subject p value }``, written for the backend when the check runs
    (see `_expand_joins`)."""
    return f"@@pairs {subject} {p} {value}@@"


_PAIRS = re.compile(r"@@pairs (\?\w+) (<[^<>\s]+>) (\?\w+)@@")


def _expand_joins(sparql: str, scan: bool) -> str:
    """Write each `_values` pattern for the backend. With ``scan`` (an on-disk store) it is a subquery
    of its own, which Oxigraph hash-joins: one scan of the predicate's triples instead of a RocksDB
    lookup per focus node (1M triples on disk, all checks one after another: 13.3 s -> 7.1 s). In
    memory a lookup is cheaper than a scan (the same checks: 9.0 s as lookups, 11.2 s as scans)."""
    if scan:
        return _PAIRS.sub(r"{ SELECT \1 \3 WHERE { \1 \2 \3 } }", sparql)
    return _PAIRS.sub(r"{ \1 \2 \3 }", sparql)


_PLACEHOLDER = re.compile(r"@@([^@\s]+)@@")


def _expand_classes(sparql: str, store, cache: dict[str, str]) -> str:
    """Replace each @@C@@ by C and its subclasses in ``store`` (rdfs:subClassOf*, as SHACL's sh:class)."""
    def subclasses(match):
        cls = match.group(1)
        if cls not in cache:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls}> }}").rows
            cache[cls] = " ".join(sorted({f"<{r['c'].value}>" for r in rows} | {f"<{cls}>"}))
        return cache[cls]
    return _PLACEHOLDER.sub(subclasses, sparql)


def compile_shapes(path: Path | str | None = None) -> list[Check]:
    """One SPARQL check per constraint of the shapes file (default: the project's shapes)."""
    if path is None:
        from tttt_kg.ontology import SHAPES
        path = SHAPES
    shapes = _Shapes(Path(path))
    ox = shapes.ox
    checks: list[Check] = []
    node_shapes = [q.subject for q in shapes.store.quads_for_pattern(
        None, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "NodeShape"))]
    for shape in sorted(node_shapes, key=str):
        targets = [f"{{ {_instance_of('?this', c.value)} }}" for c in shapes.objects(shape, "targetClass")]
        targets += [f"{{ ?this <{p.value}> [] }}" for p in shapes.objects(shape, "targetSubjectsOf")]
        if not targets:
            continue   # used through sh:node only
        target = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(targets) + " } }"
        checks += _node_checks(shapes, shape, shape, target, "?this")
    return checks


def _node_checks(shapes: _Shapes, shape, top, target: str, report: str) -> list[Check]:
    """Checks of a node shape whose focus nodes ``target`` binds to ?this; ``report`` is the variable reported."""
    shapes.check_supported(shape, str(shape))
    msg = shapes.one(shape, "message")
    message = msg.value if msg is not None else "violates the shape"
    out: list[Check] = []
    detail = " (?this AS ?detail)" if report != "?this" else ""   # the inner node of an sh:node, as pyshacl's sh:detail
    sel = f"SELECT DISTINCT ({report} AS ?focus){detail} WHERE {{ {target} "

    def add(kind, body, path=None, message=message):
        out.append(Check(str(top.value if hasattr(top, 'value') else top), path, kind, message, sel + body + " }"))

    for cls in shapes.objects(shape, "class"):
        add("class", _not_instance_of("?this", cls.value),
            message=f"is not a <{cls.value}>" if msg is None else message)
    for neg in shapes.objects(shape, "not"):
        shapes.check_supported(neg, f"{shape} sh:not")
        classes = shapes.objects(neg, "class")
        if len(classes) != 1 or len(list(shapes.store.quads_for_pattern(neg, None, None))) != 1:
            raise ShapeCompileError(f"{shape}: only sh:not [ sh:class C ] is translated")
        add("not", _instance_of("?this", classes[0].value) + " .")
    for logic in ("or", "xone"):
        for alternatives in shapes.objects(shape, logic):
            conforming = _conforming_members(shapes, shape, shapes.rdf_list(alternatives), target)
            test = "?conforming = 0" if logic == "or" else "?conforming != 1"
            default = ("has none of the alternative properties" if logic == "or"
                       else "must have exactly one of the alternative properties")
            add(logic, f"{conforming} FILTER({test})", message=default if msg is None else message)
    for constraint in shapes.objects(shape, "sparql"):
        shapes.check_supported(constraint, f"{shape} sh:sparql")
        text = shapes.one(constraint, "select").value.replace("$this", "?this")
        m = shapes.one(constraint, "message")
        add("sparql", f"{{ {text} }}", message=m.value if m is not None else message)
    for prop in shapes.objects(shape, "property"):
        out += _property_checks(shapes, prop, top, target, report)
    return out


def _conforming_members(shapes: _Shapes, shape, members: list, target: str) -> str:
    """A subquery binding ?conforming: how many of the members (property shapes with only a path,
    minCount and maxCount) each focus node conforms to, for sh:or and sh:xone."""
    optionals, tests = [], []
    for i, member in enumerate(members):
        shapes.check_supported(member, f"{shape} member")
        keys = {q.predicate.value[len(SH):] for q in shapes.store.quads_for_pattern(member, None, None)
                if q.predicate.value.startswith(SH)} - IGNORED
        path = shapes.one(member, "path")
        if path is None or not keys <= {"path", "minCount", "maxCount"}:
            raise ShapeCompileError(f"{shape}: sh:or / sh:xone members must be [ sh:path P ; sh:minCount m ; sh:maxCount n ]")
        mn, mx = shapes.one(member, "minCount"), shapes.one(member, "maxCount")
        optionals.append(f"OPTIONAL {_values('?this', f'<{path.value}>', f'?m{i}')}")
        low = f"COUNT(DISTINCT ?m{i}) >= {int(mn.value)}" if mn is not None else "true"
        high = f"COUNT(DISTINCT ?m{i}) <= {int(mx.value)}" if mx is not None else "true"
        tests.append(f"IF({low} && {high}, 1, 0)")
    return (f"{{ SELECT ?this (({' + '.join(tests)}) AS ?conforming) WHERE {{ {target} {' '.join(optionals)} }} "
            "GROUP BY ?this }")


def _property_checks(shapes: _Shapes, prop, top, target: str, report: str) -> list[Check]:
    shapes.check_supported(prop, f"{top} property")
    path = shapes.one(prop, "path")
    if path is None or not isinstance(path, shapes.ox.NamedNode):
        raise ShapeCompileError(f"{top}: only property paths that are a single IRI are translated")
    p = f"<{path.value}>"
    msg = shapes.one(prop, "message")
    out: list[Check] = []
    detail = " (?this AS ?detail)" if report != "?this" else ""
    sel = f"SELECT DISTINCT ({report} AS ?focus){detail} WHERE {{ {target} "

    def add(kind, body, default_message):
        out.append(Check(str(top.value), path.value, kind, msg.value if msg is not None else default_message,
                         sel + body + " }"))

    frame = (target, report, p, str(prop))   # one batch per property shape: its aggregates' names are unique

    def add_value_check(kind, test, default_message, bad=None):
        """A constraint run in the property's shared pass: ``bad`` is a test of one value ?v
        (an error, e.g. an ill-typed literal, counts as bad), ``test`` one of the focus's aggregates."""
        aggregate = f"(SUM(IF(BOUND(?v) && COALESCE({bad}, true), 1, 0)) AS ?bad_{kind})" if bad else ""
        out.append(Check(str(top.value), path.value, kind, msg.value if msg is not None else default_message,
                         grouped_query(frame, [(aggregate, test)]), frame, aggregate, test))

    mn, mx = shapes.one(prop, "minCount"), shapes.one(prop, "maxCount")
    if mn is not None:
        n = int(mn.value)
        add_value_check("minCount", f"?n < {n}", f"needs at least {n} value(s) of {p}")
    if mx is not None:
        n = int(mx.value)
        add_value_check("maxCount", f"?n > {n}", f"has more than {n} value(s) of {p}")
    dt = shapes.one(prop, "datatype")
    if dt is not None:
        local = dt.value[len(XSD):] if dt.value.startswith(XSD) else None
        if local in INTEGER_SUBTYPES:
            ok = (f"isLiteral(?v) && DATATYPE(?v) IN (<{dt.value}>, <{XSD}integer>) "
                  f"&& ?v {INTEGER_SUBTYPES[local]}")
        else:
            ok = f"isLiteral(?v) && DATATYPE(?v) = <{dt.value}>"
            if local in CASTABLE:   # an ill-typed value ("2020-13-45"^^xsd:date) fails the cast: an error, so bad
                ok += f" && STRLEN(STR(<{dt.value}>(STR(?v)))) >= 0"
        add_value_check("datatype", "?bad_datatype > 0", f"a value of {p} is not a <{dt.value}>", f"!({ok})")
    for cls in shapes.objects(prop, "class"):
        # find the few distinct bad values first, then their focus nodes: far cheaper when
        # many nodes share one value (every span points at the same source document)
        bad = (f"{{ SELECT ?v WHERE {{ {{ SELECT DISTINCT ?v WHERE {{ {target} {_values('?this', p, '?v')} }} }} "
               f"{_not_instance_of('?v', cls.value)} }} }}")
        add("class", f"{bad} {_values('?this', p, '?v')}", f"a value of {p} is not a <{cls.value}>")
    pattern = shapes.one(prop, "pattern")
    if pattern is not None:
        flags = shapes.one(prop, "flags")
        args = _str_literal(pattern.value) + (f", {_str_literal(flags.value)}" if flags is not None else "")
        add_value_check("pattern", "?bad_pattern > 0", f"a value of {p} does not match {pattern.value}",
                        f"isBlank(?v) || !REGEX(STR(?v), {args})")
    langs = shapes.one(prop, "languageIn")
    if langs is not None:
        tags = [t.value for t in shapes.rdf_list(langs)]
        matches = " || ".join(f"LANGMATCHES(LANG(?v), {_str_literal(t)})" for t in tags)
        add_value_check("languageIn", "?bad_languageIn > 0", f"a value of {p} is not tagged {', '.join(tags)}",
                        f"!isLiteral(?v) || !({matches})")
    unique = shapes.one(prop, "uniqueLang")
    if unique is not None and unique.value == "true":
        add("uniqueLang", f"?this {p} ?a, ?b . FILTER(!sameTerm(?a, ?b) && LANG(?a) != \"\" "
            "&& LCASE(LANG(?a)) = LCASE(LANG(?b)))", f"two values of {p} share a language tag")
    for node in shapes.objects(prop, "node"):
        inner = (f"{{ SELECT DISTINCT ?outer ?this WHERE {{ {{ SELECT (?this AS ?outer) WHERE {{ {target} }} }} "
                 f"{_values('?outer', p, '?this')} }} }}")
        out += _node_checks(shapes, node, top, inner, "?outer")
    return out


def grouped_query(frame: tuple[str, str, str, str], parts: list[tuple[str, str]]) -> str:
    """One SELECT for several value constraints of one property shape: each focus node's values are
    counted and tested once, and column ?c<i> says whether it fails the i-th (aggregate, test)."""
    target, report, p, _ = frame
    detail = " (?this AS ?detail)" if report != "?this" else ""
    group = "?this" if report == "?this" else f"?this {report}"
    aggregates = " ".join(a for a, _ in parts if a)
    columns = " ".join(f"({test} AS ?c{i})" for i, (_, test) in enumerate(parts))
    return (f"SELECT ?focus{' ?detail' if detail else ''} {columns} WHERE {{ "
            f"{{ SELECT ({report} AS ?focus){detail} (COUNT(DISTINCT ?v) AS ?n) {aggregates} "
            f"WHERE {{ {target} OPTIONAL {_values('?this', p, '?v')} }} GROUP BY {group} }} "
            f"FILTER({' || '.join(f'({test})' for _, test in parts)}) }}")


def check_store(store, checks: list[Check] | None = None, workers: int = 2,
                scan_joins: bool | None = None) -> list[Failure]:
    """Run every check on a store (anything with `.query(sparql)`); return the failures.

    ``scan_joins`` picks how a focus node's values are joined (see `_expand_joins`); by default
    scans on a store that is on disk (``store.on_disk``), lookups elsewhere.

    Checks that share a frame run as one query: one pass over a property shape's focus nodes instead
    of one per constraint (a span's start: 3.2 s -> 0.5 s at 1M triples on disk). Queries run in ``workers`` threads: Oxigraph releases the GIL while it evaluates one.
    """
    from concurrent.futures import ThreadPoolExecutor

    checks = checks if checks is not None else compile_shapes()
    groups: dict[object, list[Check]] = {}
    for i, check in enumerate(checks):
        groups.setdefault(check.frame if check.frame is not None else i, []).append(check)
    batches = list(groups.values())
    cache: dict[str, str] = {}
    scan = getattr(store, "on_disk", False) if scan_joins is None else scan_joins
    texts = [_expand_joins(_expand_classes(grouped_query(b[0].frame, [(c.aggregate, c.test) for c in b])
                                           if b[0].frame else b[0].sparql, store, cache), scan) for b in batches]

    def run(i):
        found = []
        for row in store.query(texts[i]).rows:
            for j, check in enumerate(batches[i]):
                if check.frame is not None and getattr(row.get(f"c{j}"), "value", None) != "true":
                    continue   # the focus fails another constraint of the batch, not this one
                found.append(Failure(row["focus"].value, check))
                if "detail" in row:   # a node reached through sh:node fails too, as pyshacl reports it
                    found.append(Failure(row["detail"].value, check))
        return found

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        failures = [f for found in pool.map(run, range(len(batches))) for f in found]
    return sorted(failures, key=lambda f: (f.focus, f.check.path or "", f.check.kind))
