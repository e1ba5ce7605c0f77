"""Checks on a SPARQL text before Oxigraph sees it, made on the tokens Oxigraph's parser reads.

Why: the endpoint must refuse SERVICE (Oxigraph would call any URL, 127.0.0.1 included: a
server-side request forgery) and SPARQL Update, and every reader must refuse what crashes the
engine: Oxigraph's parser and evaluator recurse once per nesting level and once per operator of a
chain, and overflow the stack with a segfault (no exception, no message: exit 139 in the CLI, a
dead worker in the endpoint). A guard that reads the text differently from the engine is bypassed
(a comment ended by CR hid a SERVICE from the old regex guard), so the lexer here transcribes the
terminals of the SPARQL 1.1 grammar (§19.8: IRIREF, PNAME_NS/PNAME_LN with PLX, PERCENT and
PN_LOCAL_ESC, BLANK_NODE_LABEL, VAR1/VAR2, LANGTAG, numbers, the four string forms with ECHAR,
WS = space/tab/CR/LF, COMMENT ended by CR or LF) plus what Oxigraph (pyoxigraph 0.5.13, spargebra)
does beyond or apart from the letter of the grammar, each checked on Oxigraph itself
(tests/test_sparql_guard.py; the fuzzer there compares this guard with Oxigraph on generated
queries):

* codepoint escapes (\\uXXXX, \\UXXXXXXXX) are decoded inside strings and IRIs only; outside
  them ``\\u0053ERVICE`` is a syntax error, not SERVICE (§19.2 would decode them everywhere). The
  guard reads both ways, the text as it is and the text with every escape decoded, and refuses
  when either reading shows SERVICE, an update, or too deep or long a query;
* keywords need no word boundary: ``SERVICEex:x {…}``, ``SERVICE:x {…}``, ``SELECTDISTINCT``,
  ``?s ?p trueSERVICE <…> {…}`` are read keyword by keyword; a prefixed name whose IRI does not
  parse falls back to its bare prefix, so ``ex:SERVICE <…> {…}`` with ``PREFIX ex: <http://h:>``
  is a SERVICE too. A name token is checked at each place a keyword can start in it;
* ``<`` is a less-than inside an expression after an operand (``FILTER(?a<?b)``) and an IRI
  elsewhere, so the lexer keeps a stack of bracket contexts (group, expression, collection) to
  read it as Oxigraph does; where the context of a ``(`` depends on keyword gluing it cannot
  decide (never in a query written with spaces), a ``<…>`` that would read differently either way
  is refused as ambiguous;
* SPARQL 1.2 syntax (``<<``, ``<<(``, ``>>``, ``{|``, ``|}``, ``~``, ``@en--ltr``, VERSION).

The size bounds, measured with `python bench/bench_sparql_stack.py` (pyoxigraph 0.5.13, 8 MB stack;
the smallest n that kills a fresh process, SIGSEGV; `--mode thread` gave the same n for exists-nest,
calls, minus-seq and bind-seq, the lowest shapes):

    shape            mode     dies from n  weighted depth there
    plus             main           6,953                 6,961
    and              main           9,375                 9,388
    or               main           9,375                 9,389
    not              main           9,375                 9,384
    parens           main           4,687                23,444
    calls            main             956                 5,745
    custom-calls     main           4,375                21,884
    braces           main           2,226                11,133
    optional-nest    main           2,929                17,582
    exists-nest      main             839                 5,881
    subqueries       main           1,190                15,478
    bnode-nest       main           3,476                17,388
    collection-nest  main           4,140                20,708
    triples          main           8,281                 8,289
    optional-seq     main           6,171                12,354
    minus-seq        main           2,617                 5,246
    bind-seq         main           2,617                 5,247
    filter-seq       main           9,375                18,762
    union            main           6,562                13,135
    path-seq         main           8,281                 8,288
    path-alt         main          10,937                10,944
    in-list          main        > 20,000                     -
    values           main        > 20,000                     -

The lowest weighted depth at a crash is 5,246 (2,617 MINUS in a row): MAX_CHAIN = 1,500 keeps a
3.5 x margin. The fewest brackets at a crash are 839 nested FILTER EXISTS: MAX_NESTING = 200 keeps
4 x. VALUES and IN lists are flat (no crash at 20,000), so the messages point to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from tttt_kg.graph.stores.base import StoreError

MAX_NESTING = 200    # brackets in brackets; Oxigraph dies from 843 nested FILTER EXISTS {, 960 STR(
MAX_CHAIN = 1500     # weighted depth (see _Frame); Oxigraph dies from 5,262 (2,625 MINUS in a row)
LEVEL_COST = 4       # a bracket level weighs 4, each operator or pattern element at a level 1
ELEMENT_COST = 1


class QueryRefused(StoreError):
    """A query the guard refuses before the engine sees it."""


class QueryTooDeep(QueryRefused):
    """A query nested deeper than the engine can parse safely."""


class QueryTooLong(QueryRefused):
    """A query whose chains of operators and pattern elements are longer than the engine survives."""


class QueryAmbiguous(QueryRefused):
    """A query whose reading depends on keyword gluing the guard cannot decide."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update sent where only queries are answered."""


class ServiceRefused(QueryRefused):
    """A federated query (SERVICE): the endpoint does not call other servers."""


# ---- the terminals (SPARQL 1.1 §19.8) ---------------------------------------------------------

# The name characters of §19.8 as code point ranges. Each class is written as the negation of its
# complement (name_class): Python's re compiles a class by visiting every BMP code point it lists, and
# PN_CHARS_BASE lists ~54,000 of them, its complement ~11,000; the guard's patterns compiled in 95 ms
# at import (every query process pays it: a named query on a built graph took 0.28 s in all), 20 ms so.
_BASE = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
         (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF),
         (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))
_U = _BASE + ((0x5F, 0x5F),)                                                        # PN_CHARS_U: and _
_DIGITS = ((0x30, 0x39),)
_VAR_MORE = _DIGITS + ((0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))              # VARNAME after the first
_CHARS = _U + _VAR_MORE + ((0x2D, 0x2D),)                                          # PN_CHARS: and -
_DOT, _COLON = ((0x2E, 0x2E),), ((0x3A, 0x3A),)


def name_class(*parts: tuple[tuple[int, int], ...]) -> str:
    """A regex class matching exactly the code points of the union of ``parts`` (ranges (low, high)),
    written as ``[^complement]`` (see above)."""
    ranges = sorted(r for part in parts for r in part)
    gaps, start = [], 0
    for low, high in ranges:
        if low > start:
            gaps.append((start, low - 1))
        start = max(start, high + 1)
    if start <= 0x10FFFF:
        gaps.append((start, 0x10FFFF))
    esc = lambda c: f"\\U{c:08X}"   # noqa: E731  (an escape re reads: no character is special)
    return "[^" + "".join(esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}" for lo, hi in gaps) + "]"


_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"{name_class(_BASE)}(?:{name_class(_CHARS, _DOT)}*{name_class(_CHARS)})?"
_PN_LOCAL = (f"(?:{name_class(_U, _COLON, _DIGITS)}|{_PLX})"
             f"(?:(?:{name_class(_CHARS, _DOT, _COLON)}|{_PLX})*(?:{name_class(_CHARS, _COLON)}|{_PLX}))?")
_UCHAR = r"(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"
_ECHAR = r"(?:\\[tbnrf\\\"'])"
_ESC = f"(?:{_ECHAR}|{_UCHAR})"   # Oxigraph decodes \u escapes inside strings (checked)

_WS = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\r\n]*")                       # COMMENT ends at CR or LF
# each string form matched as far as it goes; group 2 is the closing quote(s) when the string is whole
_LONG = {q: re.compile(f"{q * 3}((?:(?:{q}|{q * 2})?(?:[^{q}\\\\]|{_ESC}))*)({q * 3})?") for q in "'\""}
_SHORT = {q: re.compile(f"{q}((?:[^{q}\\\\\\n\\r]|{_ESC})*)({q})?") for q in "'\""}
_IRIREF = re.compile(f"<((?:[^<>\"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*)>")
_PNAME = re.compile(f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?")
_WORD = re.compile(f"{name_class(_U)}{name_class(_U, _DIGITS)}*")
_VAR = re.compile(f"[?$]{name_class(_U, _DIGITS)}{name_class(_U, _VAR_MORE)}*")
_BNODE = re.compile(f"_:{name_class(_U, _DIGITS)}(?:{name_class(_CHARS, _DOT)}*{name_class(_CHARS)})?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
                     r"|[0-9]*\.[0-9]+|[0-9]+")
_NAME_START = re.compile(name_class(_U, _COLON))
_BASE_CHAR = re.compile(name_class(_BASE))
_PREFIX_RUN = re.compile(f"{name_class(_U)}{name_class(_CHARS, _DOT)}*")
_LOCAL = re.compile(_PN_LOCAL)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_OPS2 = ("&&", "||", "!=", "<=", ">=", "^^")
_OPS1 = "=<>!+-*/^|?,;.~&"

# what makes a chain in Oxigraph's algebra: operators, path operators, the separators of triples
# and pattern elements (each triple pattern, OPTIONAL, MINUS, … is one more join, left-deep)
_CHAIN_OPS = frozenset({"&&", "||", "!=", "<=", ">=", "=", "<", ">", "!", "+", "-", "*", "/", "^", "|",
                        "?", ".", ";", ",", "~"})
_NOT_CHAIN_WORDS = frozenset({"a", "true", "false", "undef"})
_UPDATE_KEYWORDS = ("insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with")
UPDATE_KEYWORDS = frozenset(_UPDATE_KEYWORDS)


class Token(NamedTuple):
    kind: str      # word, pname, var, bnode, iri, string, langtag, number, open, close, op, unknown
    text: str
    start: int     # offset in the text read (for the decoded reading: mapped back to the original)


class _Frame:
    """One open bracket. ``kind`` says how Oxigraph reads ``<`` and ``(`` inside it: group ({…}),
    data (the {…} of VALUES), expr ((…) of an expression), coll ((…) of a collection, path or
    VALUES row), unsure, bnode ([…]), tterm (<<…>>), annot ({|…|}), top (outside every bracket).

    ``weight`` counts the chain elements at this level: operators, path operators, the '.', ';'
    and ',' between triples, keywords (OPTIONAL, MINUS, BIND, …) and child brackets; commas between
    arguments and VALUES rows are flat lists and do not count. Oxigraph builds chains left-deep
    (a || b || c is ((a || b) || c); each triple, OPTIONAL, MINUS, BIND is one more join or extend),
    and parses and evaluates them recursively, so the stack a bracket needs grows with
    LEVEL_COST + ELEMENT_COST * weight + the heaviest child's: the weighted depth MAX_CHAIN bounds."""
    __slots__ = ("kind", "start", "weight", "child", "subquery", "tokens")

    def __init__(self, kind: str, start: int, subquery=None):
        self.kind, self.start, self.weight, self.child, self.subquery, self.tokens = kind, start, 0, 0, subquery, 0


def _ci(text: str, at: int, word: str) -> bool:
    """``text[at:]`` starts with ``word`` ignoring case, generously: any character whose lower,
    upper or case-folded form is the letter counts (erring towards reading a keyword)."""
    if len(text) - at < len(word):
        return False
    for c, letter in zip(text[at:at + len(word)], word):
        if c != letter and c.lower() != letter and c.upper().lower() != letter and c.casefold() != letter:
            return False
    return True


@dataclass
class _Reading:
    tokens: list
    depth: int
    depth_steps: list            # (depth, offset) each time a new deepest level is reached
    chain: int
    chain_at: int | None         # the innermost bracket whose weighted depth passes MAX_CHAIN
    chain_width: int             # the most chain elements at one level
    ambiguous_at: int | None


def _operand_end(tok: Token | None) -> bool:
    """After this token, Oxigraph reads ``<`` inside an expression as less-than."""
    if tok is None:
        return False
    if tok.kind in ("var", "number", "string", "langtag", "iri", "pname", "bnode"):
        return True
    if tok.kind == "close":            # (…), EXISTS {…}, <<( … )>>
        return tok.text in (")", "]", "}", ">>")
    if tok.kind == "word":   # DISTINCTtrue, DISTINCT1: Oxigraph reads a keyword and then the operand
        low = tok.text.lower()
        return low.endswith(("true", "false")) or low[-1:].isdigit()
    return False


def _ends_with_filter(tok: Token | None) -> bool:
    """``trueFILTER``, ``x:FILTER`` (a prefixed name may fall back to ``x:``): FILTER may end it."""
    if tok is None or tok.kind not in ("word", "pname"):
        return False
    return len(tok.text) >= 6 and _ci(tok.text, len(tok.text) - 6, "filter")


def _starts_a_call(tok: Token) -> bool:
    """A prefixed name in which Oxigraph may read FILTER or BIND and then a function name:
    ``FILTERex:f(``, ``x:FILTERregex(``, ``x:BIND(``."""
    prefix, _, local = tok.text.partition(":")
    return (any(_ci(prefix, 0, glued) for glued in ("filter", "truefilter", "falsefilter"))
            or _ci(local, 0, "filter") or local.lower() == "bind")


def _paren_kind(frame: _Frame, prev: Token | None, prev2: Token | None) -> str:
    """How Oxigraph reads a ``(`` opened here: 'expr', 'coll' or 'unsure'."""
    if frame.kind in ("expr", "unsure"):
        return frame.kind
    if frame.kind == "top":            # SELECT (…), GROUP BY (…), HAVING (…), ORDER BY …(…), VALUES (?x)
        return "expr"
    if frame.kind != "group":          # collections, blank nodes, triple terms, annotations, VALUES rows
        return "coll"
    if frame.subquery is True:         # { SELECT (… AS ?x) WHERE {…} GROUP BY (…) ORDER BY …(…) }
        return "expr"
    maybe = "unsure" if frame.subquery == "maybe" else "coll"
    if prev is None:
        return "coll"
    if prev.kind == "word":            # FILTER(, BIND(, FILTER regex(, VALUES (; but ?s a (1 2)
        low = prev.text.lower()
        if low == "a":
            return "coll"
        return "unsure" if low.endswith("a") else "expr"
    if prev.kind in ("iri", "pname"):  # FILTER <fn>(…) / FILTER ex:fn(…) is a call; ?s ?p ex:o (1 2) is not
        if prev2 is not None and prev2.kind == "word" and prev2.text.lower() == "filter":
            return "expr"
        if _ends_with_filter(prev2) or (prev.kind == "pname" and _starts_a_call(prev)):
            return "unsure"
        return maybe
    if prev.kind in ("var", "number", "string", "langtag", "bnode", "close"):
        return maybe
    if prev.kind == "unknown":
        return "unsure"
    return "coll"                      # after {, ., ;, ,, /, |, ^, !, …


class _Lexer:
    """One pass over a text: tokens, bracket contexts, depth and chain measures."""

    def __init__(self, text: str, origin=None):
        self.text = text
        self.origin = origin           # offsets in the decoded text -> offsets in the original
        self.tokens: list[Token] = []
        self.stack = [_Frame("top", 0)]
        self.depth = 0
        self.depth_steps: list[tuple[int, int]] = []
        self.chain_at = None
        self.chain_width = 0
        self.ambiguous_at = None
        self.values = False            # after VALUES and its variables: the next { is a data block
        self.failed: dict[str, int] = {}   # quote -> where a string opened by it failed (see string())
        self.run_end = -1               # end of the current run of name characters (see name())

    def at(self, pos: int) -> int:
        return self.origin[pos] if self.origin is not None else pos

    # ---- emitting ----
    def emit(self, kind: str, text: str, pos: int) -> Token:
        tok = Token(kind, text, pos if self.origin is None else self.origin[pos])
        frame = self.stack[-1]
        if frame.tokens == 0 and frame.kind == "group" and kind in ("word", "pname"):
            low = text.lower()
            if low in ("select", "selectdistinct", "selectreduced"):
                frame.subquery = True
            elif _ci(text, 0, "select"):
                frame.subquery = "maybe"
        frame.tokens += 1
        if kind == "word":
            low = text.lower()
            if low not in _NOT_CHAIN_WORDS:
                self.count(frame, 1, pos)
            self.values = low == "values"
        else:
            if kind == "op" and text in _CHAIN_OPS and not (text == "," and frame.kind == "expr"):
                self.count(frame, 1, pos)   # (arguments and IN lists are flat lists, not chains)
            if self.values and (kind not in ("var", "open", "close") or text in ("{", "}", "[", "]")):
                self.values = False
        self.tokens.append(tok)
        return tok

    def count(self, frame: _Frame, n: int, pos: int) -> None:
        frame.weight += n
        if frame.weight > self.chain_width:
            self.chain_width = frame.weight

    def open(self, kind: str, text: str, pos: int, subquery=None) -> None:
        parent = self.stack[-1]
        if kind == "group" and self.values:
            kind = "data"
        self.emit("open", text, pos)
        if parent.kind != "data":       # { } { } { } is a chain of joins too; VALUES rows are a flat list
            self.count(parent, 1, pos)
        self.stack.append(_Frame(kind, self.at(pos), subquery))
        self.depth = len(self.stack) - 1
        if not self.depth_steps or self.depth > self.depth_steps[-1][0]:
            self.depth_steps.append((self.depth, self.at(pos)))

    def close(self, text: str, pos: int) -> None:
        self.emit("close", text, pos)
        if len(self.stack) > 1:
            self.pop()

    def pop(self) -> None:
        frame = self.stack.pop()
        weighted = LEVEL_COST + ELEMENT_COST * frame.weight + frame.child
        if weighted > MAX_CHAIN and self.chain_at is None:
            self.chain_at = frame.start
        parent = self.stack[-1]
        parent.child = max(parent.child, weighted)

    # ---- reading ----
    def prev(self, back: int = 1) -> Token | None:
        return self.tokens[-back] if len(self.tokens) >= back else None

    def run(self) -> _Reading:
        text, n, pos = self.text, len(self.text), 0
        while pos < n:
            c = text[pos]
            if c in " \t\r\n":
                pos = _WS.match(text, pos).end()
                continue
            if c == "#":
                pos = _COMMENT.match(text, pos).end()
                continue
            m = None
            if c in "\"'":
                end = self.string(pos)
                if end:
                    self.emit("string", text[pos:end], pos)
                    pos = end
                else:                   # not a string Oxigraph reads: go on reading what follows as syntax
                    self.emit("unknown", c, pos)
                    pos += 1
                continue
            if c == "<":
                pos = self.less_than(pos)
                continue
            if c in "?$":
                m = _VAR.match(text, pos)
                if m:
                    self.emit("var", m.group(), pos)
                    pos = m.end()
                else:
                    self.emit("op" if c == "?" else "unknown", c, pos)
                    pos += 1
                continue
            if c == "_" and text.startswith("_:", pos):
                m = _BNODE.match(text, pos)
                if m:
                    self.emit("bnode", m.group(), pos)
                    pos = m.end()
                    continue
            if c == "@":
                m = _LANGTAG.match(text, pos)
                if m:
                    self.emit("langtag", m.group(), pos)
                    pos = m.end()
                else:
                    self.emit("unknown", c, pos)
                    pos += 1
                continue
            if c.isdigit() and c in "0123456789" or (c == "." and text[pos + 1:pos + 2].isdigit()):
                m = _NUMBER.match(text, pos)
                if m:
                    self.emit("number", m.group(), pos)
                    pos = m.end()
                    continue
            if _NAME_START.match(c):
                end = self.name(pos)
                if end:
                    self.emit("pname", text[pos:end], pos)
                    pos = end
                else:
                    m = _WORD.match(text, pos)
                    self.emit("word", m.group(), pos)
                    pos = m.end()
                continue
            pos = self.punctuation(c, pos)
        while len(self.stack) > 1:       # unclosed brackets: measured as if closed at the end
            self.pop()
        top = self.stack[0]
        chain = ELEMENT_COST * top.weight + top.child
        if chain > MAX_CHAIN and self.chain_at is None:
            self.chain_at = 0
        return _Reading(self.tokens, max((d for d, _ in self.depth_steps), default=0), self.depth_steps,
                        chain, self.chain_at, self.chain_width, self.ambiguous_at)

    def string(self, pos: int) -> int | None:
        """The end of the string that starts at ``pos``, or None. Linear over a whole text: a string
        that fails (no closing quote before the line or text ends, a bad escape) fails from every
        quote of its kind up to where it failed, since each of them was escaped in the first try."""
        text = self.text
        for quote, pattern in ((text[pos] * 3, _LONG[text[pos]]), (text[pos], _SHORT[text[pos]])):
            if not text.startswith(quote, pos) or pos < self.failed.get(quote, -1):
                continue
            m = pattern.match(text, pos)
            if m and m.group(2) is not None:
                return m.end()
            self.failed[quote] = m.end() if m else pos + len(quote)
        return None

    def name(self, pos: int) -> int | None:
        """The end of the prefixed name that starts at ``pos``, or None (a keyword, then). Linear: the
        run of name characters from here is measured once for every start inside it."""
        text = self.text
        if text[pos] == ":":
            colon = pos
        else:
            if pos >= self.run_end:
                self.run_end = _PREFIX_RUN.match(text, pos).end()
            colon = self.run_end
            if not _BASE_CHAR.match(text[pos]) or not text.startswith(":", colon) or text[colon - 1] == ".":
                return None
        m = _LOCAL.match(text, colon + 1)
        return m.end() if m else colon + 1

    def punctuation(self, c: str, pos: int) -> int:
        text = self.text
        two = text[pos:pos + 2]
        frame = self.stack[-1]
        if c == "{":
            if two == "{|":
                self.open("annot", "{|", pos)
                return pos + 2
            self.open("group", "{", pos)
            return pos + 1
        if c == "[":
            self.open("bnode", "[", pos)
            return pos + 1
        if c == "(":
            self.open(_paren_kind(frame, self.prev(), self.prev(2)), "(", pos)
            return pos + 1
        if c in "})]":
            self.close(c, pos)
            return pos + 1
        if two == "|}" and frame.kind == "annot":
            self.close("|}", pos)
            return pos + 2
        if two == ">>" and frame.kind == "tterm":
            self.close(">>", pos)
            return pos + 2
        if two in _OPS2:
            self.emit("op", two, pos)
            return pos + 2
        if c in _OPS1:
            self.emit("op", c, pos)
            return pos + 1
        self.emit("unknown", c, pos)
        return pos + 1

    def less_than(self, pos: int) -> int:
        """``<``: an IRI, a triple term (``<<``), or less-than, as Oxigraph reads it in this context."""
        text = self.text
        frame = self.stack[-1]
        operator = frame.kind in ("expr", "unsure") and _operand_end(self.prev())
        if operator:
            m = _IRIREF.match(text, pos)
            if frame.kind == "unsure" and m:
                inner = m.group(1)
                if any(ch in inner for ch in "'#()[]"):
                    if self.ambiguous_at is None:
                        self.ambiguous_at = self.at(pos)
                else:                   # read as an IRI; as less-than it would add these operators
                    self.emit("iri", m.group(), pos)
                    self.count(frame, sum(inner.count(op) for op in "=<>!+-*/^|?,;.~&"), pos)
                    return m.end()
            if text.startswith("<=", pos):
                self.emit("op", "<=", pos)
                return pos + 2
            self.emit("op", "<", pos)
            return pos + 1
        if text.startswith("<<", pos):
            self.open("tterm", "<<", pos)
            return pos + 2
        m = _IRIREF.match(text, pos)
        if m:
            self.emit("iri", m.group(), pos)
            return m.end()
        self.emit("op", "<", pos)
        return pos + 1


def _decode(text: str) -> tuple[str, list[int]] | None:
    """The text with every \\u / \\U escape decoded (§19.2), and where each character came from."""
    if "\\u" not in text and "\\U" not in text:
        return None
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _CODEPOINT.finditer(text):
        out.append(text[last:m.start()])
        origin.extend(range(last, m.start()))
        value = int(m.group(1) or m.group(2), 16)
        out.append(chr(value) if value <= 0x10FFFF else m.group())
        origin.extend([m.start()] * len(out[-1]))
        last = m.end()
    out.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return "".join(out), origin


# ---- decisions on the tokens ------------------------------------------------------------------

def _tail_is_name(tail: str) -> bool:
    m = _PNAME.fullmatch(tail)
    return m is not None


def _is_open_brace(tok: Token | None) -> bool:
    return tok is not None and tok.kind == "open" and tok.text in ("{", "{|")


def _service_rest(tail: str, toks: list[Token], j: int) -> bool:
    """After the letters SERVICE, does ``tail`` (the rest of the token) and what follows read as
    SILENT? VarOrIri GroupGraphPattern?"""
    tails = [tail]
    if _ci(tail, 0, "silent"):
        tails.append(tail[6:])
    for rest in tails:
        if rest and _tail_is_name(rest) and _is_open_brace(toks[j] if j < len(toks) else None):
            return True
        if not rest and _var_or_iri_then_group(toks, j, silent_allowed=rest is tail):
            return True
    return False


def _var_or_iri_then_group(toks: list[Token], j: int, silent_allowed: bool) -> bool:
    if j >= len(toks):
        return False
    tok = toks[j]
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if tok.kind in ("var", "iri", "pname") and _is_open_brace(nxt):
        return True
    if silent_allowed and tok.kind in ("word", "pname") and _ci(tok.text, 0, "silent"):
        rest = tok.text[6:]
        if not rest:
            return _var_or_iri_then_group(toks, j + 1, silent_allowed=False)
        return _tail_is_name(rest) and _is_open_brace(nxt)
    return False


def _keyword_starts(tok: Token) -> list[int]:
    """Where in a name token Oxigraph may start reading a keyword: at its start, after a boolean
    glued in front (``trueSERVICE``), and after the colon (a prefixed name whose IRI does not parse
    falls back to the bare prefix, ``ex:``)."""
    starts = [0]
    for boolean in ("true", "false"):
        if _ci(tok.text, 0, boolean):
            starts.append(len(boolean))
    if tok.kind == "pname":
        starts.append(tok.text.index(":") + 1)
    return starts


def _service_at(toks: list[Token]) -> int | None:
    for i, tok in enumerate(toks):
        if tok.kind not in ("word", "pname"):
            continue
        for k in _keyword_starts(tok):
            if _ci(tok.text, k, "service") and _service_rest(tok.text[k + 7:], toks, i + 1):
                return tok.start + k
    return None


def _first_keyword(toks: list[Token]) -> str | None:
    """The operation keyword after the prologue (BASE, PREFIX, VERSION), lower-cased."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind not in ("word", "pname"):
            return None
        low = tok.text.lower()
        if _ci(low, 0, "prefix") or _ci(low, 0, "base"):
            while i < len(toks) and toks[i].kind != "iri":   # PREFIX ex: <…> / BASE <…>
                i += 1
            i += 1
            continue
        if _ci(low, 0, "version"):
            i += 2
            continue
        return low
    return None


@dataclass(frozen=True)
class Facts:
    """What the guard decides on, over both readings (as it is, and with \\u escapes decoded)."""
    depth: int
    depth_steps: tuple
    chain: int
    chain_at: int | None
    chain_width: int
    service_at: int | None
    service_as_read: bool        # Oxigraph's own reading (escapes not decoded) shows SERVICE
    update: str | None
    first_keyword: str | None
    ambiguous_at: int | None


@lru_cache(maxsize=128)
def facts(text: str) -> Facts:
    """Read ``text`` both ways. Remembered per text: the named queries come back again and again."""
    raw = _Lexer(text).run()
    readings = [raw]
    decoded = _decode(text)
    if decoded is not None:
        readings.append(_Lexer(decoded[0], decoded[1]).run())
    services = [_service_at(r.tokens) for r in readings]
    firsts = [_first_keyword(r.tokens) for r in readings]
    update = next((f for f in firsts if f and f.startswith(_UPDATE_KEYWORDS)), None)
    deepest = max(readings, key=lambda r: r.depth)
    longest = max(readings, key=lambda r: r.chain)
    return Facts(depth=deepest.depth, depth_steps=tuple(deepest.depth_steps), chain=longest.chain,
                 chain_at=longest.chain_at, chain_width=max(r.chain_width for r in readings),
                 service_at=next((s for s in services if s is not None), None),
                 service_as_read=services[0] is not None, update=update, first_keyword=firsts[0],
                 ambiguous_at=next((r.ambiguous_at for r in readings if r.ambiguous_at is not None), None))


def where(text: str, offset: int) -> str:
    """'line L, column C' of an offset (lines end at LF, CR or CRLF, as SPARQL's comments do)."""
    before = text[:offset]
    lines = re.split(r"\r\n|\r|\n", before)
    return f"line {len(lines)}, column {len(lines[-1]) + 1}"


# ---- the public checks --------------------------------------------------------------------------

def tokens(text: str):
    """(kind, text) of each token Oxigraph reads, comments and whitespace left out. Kinds: name
    (keyword or prefixed name), var, bnode, iri, string, langtag, number, open, close, op, unknown."""
    for tok in _Lexer(text).run().tokens:
        yield ("name" if tok.kind in ("word", "pname") else tok.kind), tok.text


def nesting_depth(text: str) -> int:
    """The deepest level of {…}, (…), […], <<…>> outside strings, IRIs and comments."""
    return facts(text).depth


def chain_length(text: str) -> int:
    """The weighted depth Oxigraph's algebra can reach: brackets plus the operators and pattern
    elements chained at each level (see _Frame)."""
    return facts(text).chain


def check_size(text: str, limit: int = MAX_NESTING, chain_limit: int = MAX_CHAIN) -> None:
    """Raise QueryTooDeep / QueryTooLong / QueryAmbiguous (StoreErrors) for a text Oxigraph could
    not parse or evaluate without overflowing its stack, or that the guard cannot read for sure."""
    f = facts(text)
    if f.depth > limit:
        at = next(pos for depth, pos in f.depth_steps if depth > limit)
        raise QueryTooDeep(
            f"the query nests brackets {f.depth} levels deep ({{…}}, (…), […]); the limit is {limit}, "
            f"passed at {where(text, at)}. Flatten it: a FILTER with many conditions needs no nesting "
            "(a && b && c), and groups in a row need no braces around each other")
    if f.chain > chain_limit:
        at = f.chain_at if f.chain_at is not None else 0
        raise QueryTooLong(
            f"the query chains too many operators or pattern elements: {f.chain_width:,} at one level, "
            f"{f.chain:,} along its deepest path counting a bracket level as {LEVEL_COST} (from "
            f"{where(text, at)}); the limit is {chain_limit:,}, past which Oxigraph can crash. Split it into "
            "several queries, or put long lists of values in VALUES ?x { … } or ?x IN (…), which are not chains")
    if f.ambiguous_at is not None:
        raise QueryAmbiguous(
            f"the query cannot be read for sure at {where(text, f.ambiguous_at)}: a keyword glued to the "
            "next word makes '<' either less-than or the start of an IRI. Put spaces between keywords "
            "and names, and around '<' when it means less-than")


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Raise QueryTooDeep when ``text`` nests deeper than ``limit`` (and QueryTooLong or
    QueryAmbiguous as check_size does): the one check every query path (store.query) calls."""
    check_size(text, limit)


def uses_service(text: str) -> bool:
    """True when Oxigraph may read a SERVICE clause in the text (a call to another server)."""
    return facts(text).service_at is not None


def first_keyword(text: str) -> str | None:
    """The operation keyword after the prologue (PREFIX/BASE declarations), lower-cased."""
    return facts(text).first_keyword


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update operation (INSERT, DELETE, LOAD, CLEAR, DROP, …)."""
    return facts(text).update is not None


def check_query(text: str) -> None:
    """Every check the endpoint makes, one typed StoreError each: UpdateRefused, ServiceRefused,
    QueryTooDeep, QueryTooLong, QueryAmbiguous."""
    f = facts(text)
    if f.update is not None:
        raise UpdateRefused(
            "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, "
            "MOVE, COPY) is refused; send a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if f.service_at is not None:
        raise ServiceRefused(
            f"federated queries are refused: this endpoint does not call other endpoints (SERVICE at "
            f"{where(text, f.service_at)}); query each endpoint on its own")
    check_size(text)
