"""The vocabulary files: OWL ontology, SKOS schemes, SHACL shapes and the JSON-LD context."""
from pathlib import Path

HERE = Path(__file__).parent
ONTOLOGY = HERE / "tttt.ttl"
FUNCTIONS = HERE / "functions.ttl"
TYPES = HERE / "types.ttl"
SHAPES = HERE / "shapes.ttl"
CONTEXT = HERE / "context.jsonld"
PAGES = HERE / "pages.ttl"   # loaded with the page-sourced records only (graph/pages.py)

VOCABULARY_FILES = (ONTOLOGY, FUNCTIONS, TYPES)
