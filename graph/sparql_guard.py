"""Checks on a SPARQL text before an engine sees it, done on its tokens, not its substrings.

Why: Oxigraph's parser recurses once per nesting level and overflows the stack (a segfault,
no message) somewhere between 2,000 and 4,000 nested braces or parentheses, so a depth limit
has to be enforced before parsing. The endpoint also needs to know, without running a query,
whether it asks for federation (SERVICE) and whether a text is an update (INSERT, LOAD, …).

The lexer skips strings, IRIs and comments, so a `{` inside a literal or the word
"service" inside an IRI, a variable or a prefixed name is never mistaken for syntax.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .store import StoreError

MAX_NESTING = 200

_TOKEN = re.compile(r'''
      (?P<string>"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^'\\]|\\.|'(?!''))*(?:\'\'\'|$)
                |"(?:[^"\\\n]|\\.)*(?:"|$)|'(?:[^'\\\n]|\\.)*(?:'|$))
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<comment>\#[^\n]*)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<name>(?:[^\W\d][\w.\-]*)?:[\w.\-:%\\]*|[^\W\d][\w\-]*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
''', re.VERBOSE | re.DOTALL)

UPDATE_KEYWORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"})


class QueryTooDeep(StoreError):
    """A query nested deeper than the engines can parse safely."""


def tokens(text: str):
    """(kind, text) for each syntax-bearing token: names, variables, brackets, IRIs, strings."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "comment":
            yield kind, match.group()


@lru_cache(maxsize=128)
def nesting_depth(text: str) -> int:
    """The deepest level of {…}, (…) and […] outside strings, IRIs and comments. Remembered per text:
    the named queries come back again and again, and lexing one took ~0.05 ms, a sixth of the cheapest
    (resource, 0.31 ms at 1M on disk). Ad hoc texts are kept too; 128 of them at most."""
    depth = deepest = 0
    for kind, _ in tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
    return deepest


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Raise QueryTooDeep (a StoreError) when ``text`` nests deeper than ``limit``."""
    depth = nesting_depth(text)
    if depth > limit:
        raise QueryTooDeep(f"the query nests {{…}} / (…) {depth} levels deep; the limit is {limit}. "
                           "Flatten it (a FILTER with many conditions needs no nesting: a && b && c)")


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (a federated call to another endpoint)."""
    return any(kind == "name" and value.casefold() == "service" for kind, value in tokens(text))


def first_keyword(text: str) -> str | None:
    """The operation keyword after the prologue (PREFIX/BASE declarations), casefolded."""
    expect_iri = False
    for kind, value in tokens(text):
        if expect_iri:
            expect_iri = kind != "iri"
            continue
        if kind == "name":
            word = value.casefold()
            if word in ("prefix", "base"):
                expect_iri = True
                continue
            if ":" in word:
                continue
            return word
        return None
    return None


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update operation (INSERT, DELETE, LOAD, CLEAR, DROP, …)."""
    return first_keyword(text) in UPDATE_KEYWORDS
