"""Turn checked records into one RDF graph: vocabulary, schemes and source-grounded facts.

The seed's records are built by graph/builder.py, the page-cited ones by graph/pages.py; the derived
validity (graph/validity.py) and the dataset's description (graph/description.py) are added last.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from tttt_kg.graph import records as R
from tttt_kg.graph.builder import _Builder
from tttt_kg.graph.description import describe
from tttt_kg.graph.pages import PageBuilder, load_page_records
from tttt_kg.graph.validity import add_to_graph


SOURCE_KINDS = ("seed", "pages")


def build_graph(records_dir: Path | str | None = None, sources=SOURCE_KINDS) -> Graph:
    """Load and check the records, then build the whole graph (vocabulary included).

    ``sources``: "seed" (the span-cited records, always needed: the others refer to them) and
    "pages" (the page-cited records under ``2019-2025/``, see graph/pages.py).
    """
    if "seed" not in sources:
        raise ValueError("the page-sourced records refer to the seed's organisations and decisions, so a build "
                         "needs the seed; build both and read with `--source pages` instead")
    recs = R.load_records(records_dir)
    if "pages" in sources:
        pages = load_page_records(recs, records_dir)
        if pages.sheets:
            return describe(add_validity(PageBuilder(recs, pages).build()))
    return describe(add_validity(_Builder(recs).build()))   # VoID/DCAT on id:dataset, counted last (graph/description.py)


def add_validity(g: Graph) -> Graph:
    """What the validity rule derives, stored apart from the stated dates (graph/validity.py)."""
    add_to_graph(g)
    return g
