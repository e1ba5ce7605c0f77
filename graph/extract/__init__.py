"""Extract candidate records from Vietnamese administrative text.

    from tttt_kg.graph.extract import read_text, extract, build_candidates, to_yaml
    text = read_text("quyet-dinh.txt")            # UTF-8, UTF-16 (±BOM) or Windows-1258 → NFC
    candidates = build_candidates(extract(text), "quyet-dinh.txt")
    print(to_yaml(candidates))                     # records in the format of graph/records/*.yaml

Modules, one job each: decoding (bytes → NFC text), cleanup (page breaks, glued words, capitals;
offset map back to the input), dates, citations, organisations, functions, units, relations,
layout (sentences, paragraphs), scan (several patterns searched fast), pipeline (runs them),
stream (long inputs block by block), records_out (the candidate records), yaml_text (a record's
YAML), rdf_out (the candidates as RDF), warnings (summarised), evaluate (scores on the seed),
compare (against an existing graph).
"""
from __future__ import annotations

from .decoding import DecodeError, decode, read_text
from .pipeline import extract
from .records_out import Candidates, build_candidates, file_texts, to_yaml
from .stream import extract_candidates

__all__ = ["DecodeError", "decode", "read_text", "extract", "Candidates", "build_candidates", "file_texts",
           "to_yaml", "extract_file", "extract_candidates"]


def extract_file(path) -> Candidates:
    """Read, decode and extract one file into candidate records (block by block when it is long)."""
    return extract_candidates(read_text(path), str(path))
