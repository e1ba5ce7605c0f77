"""tttt-kg: a knowledge graph of Vietnamese administrative decisions.

The code lives in the top-level folders the design card fixes (graph/, ontology/,
queries/, viz/, scripts/); setup.cfg maps each of them into this one namespace so
that nothing installs a bare ``graph`` or ``scripts`` package into site-packages.
"""

__version__ = "0.1.0"
