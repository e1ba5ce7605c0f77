"""The SERVICE guard against Oxigraph's own parser, on queries generated from SPARQL's grammar.

Why: a guard that reads a query differently from the engine is bypassed (a comment ended by CR,
a `\\#` in a prefixed name hid SERVICE from the old guard). Hypothesis builds queries from a
grammar (prologue, the four query forms, group patterns with triples and paths, FILTER, OPTIONAL,
UNION, MINUS, BIND, VALUES, subqueries, EXISTS, SERVICE [SILENT]) and puts lexical noise between
tokens: comments ended by LF, CR, CRLF or the end of the text, each kind of whitespace, tokens
glued together, codepoint escapes of keyword letters, PN_LOCAL_ESC and PERCENT in names, strings
in all four quote styles holding '#', '{', quotes, escapes and a whole SERVICE clause. Oxigraph
(tests/oxigraph_oracle.py) runs each query next to a canary HTTP server; every pattern before a
SERVICE is written to match the store's one triple, so a SERVICE Oxigraph parses is a SERVICE it
calls. The guard must refuse every query that made a call, and on the text as Oxigraph reads it
(escapes not decoded) must see SERVICE in exactly the queries that made one.

A fixed number of examples from a fixed seed (derandomize, the "deterministic" hypothesis profile
tests/conftest.py loads): the same queries on every run, CI's included; `--hypothesis-profile=explore`
draws new ones.
Run against the previous guard (graph/guards/sparql_guard.py before the rewrite), this test fails on
its first bypass: a comment ended by CR before SERVICE.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oxigraph_oracle import Oracle
from tttt_kg.graph.guards import sparql_guard

# what the test checks; a script can point these at another guard to see whether the fuzzer finds its holes
REFUSES_SERVICE = sparql_guard.uses_service


def READS_SERVICE(text: str) -> bool:   # the reading Oxigraph makes (codepoint escapes not decoded)
    return sparql_guard.facts(text).service_as_read


CHECK_READING = True   # False: check only that no call gets through (an older guard has no READS_SERVICE)


CANARY = "127.0.0.1:PORT"   # replaced by the oracle's canary port before anyone reads the query


@pytest.fixture(scope="module")
def oracle():
    o = Oracle()
    yield o
    o.stop()


# ---- lexical noise ---------------------------------------------------------------------------

COMMENT_TEXT = ["", "x", " }", " {", " SERVICE <http://127.0.0.1:PORT/c> { ?ca ?cb ?cc }", ' "', " '", " <",
                " \\", " \\u0053", "\x0c SERVICE <http://127.0.0.1:PORT/ff> { }", "\u2028 }", "\x85 {", " #"]
LINE_ENDS = ["\n", "\r", "\r\n"]


def separator(draw, kind: str) -> str:
    """What goes between two tokens: mostly a space; now and then glue (no separator), a tab, a line
    end (LF, CR, CRLF), a comment ended by one of them, a mix; rarely a character that is not SPARQL
    whitespace (Oxigraph then refuses the query, and any guard answer is fine)."""
    if kind == "space":
        return " "
    if kind == "glue":
        return ""
    if kind == "comment":
        return " #" + draw(st.sampled_from(COMMENT_TEXT)) + draw(st.sampled_from(LINE_ENDS))
    if kind == "line":
        return draw(st.sampled_from(["\t", "\n", "\r", "\r\n"]))
    if kind == "mixed":
        parts = draw(st.lists(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "#c\r", "#c\n", "#}\r\n"]),
                              min_size=1, max_size=4))
        return "".join(parts)
    return draw(st.sampled_from(["\x0c", "\xa0", "\u2028", "\x0b"]))


# sampled_from draws about uniformly (integers() favours the ends of its range)
SEPARATOR_KINDS = ["space"] * 780 + ["glue"] * 50 + ["comment"] * 50 + ["line"] * 80 + ["mixed"] * 37 + ["bad"] * 3
# before a SERVICE keyword, where noise that a guard misreads hides the clause: more comments and glue
NOISY_KINDS = ["space"] * 40 + ["glue"] * 15 + ["comment"] * 30 + ["line"] * 8 + ["mixed"] * 7


@st.composite
def keyword(draw, word: str):
    """A keyword in any case, now and then with one letter written as a codepoint escape."""
    style = draw(st.sampled_from(["upper"] * 20 + ["lower"] * 6 + ["mixed"] * 3 + ["escape"]))
    if style == "upper":
        return word.upper()
    if style == "lower":
        return word.lower()
    if style == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        return "".join(c.lower() if f else c.upper() for c, f in zip(word, flips))
    i = draw(st.integers(0, len(word) - 1))
    code = draw(st.sampled_from([f"\\u{ord(word[i]):04X}", f"\\U{ord(word[i]):08X}", f"\\u{ord(word[i].lower()):04x}"]))
    return word[:i] + code + word[i + 1:]


# ---- terms -----------------------------------------------------------------------------------

LOCAL_PARTS = ["a", "b", "SERVICE", "service", "1", "\\#", "\\.", "\\-", "\\~", "\\'", "\\(", "\\)", "\\,", "\\;", "\\=",
               "\\/", "\\?", "\\@", "\\%", "\\&", "\\!", "\\$", "\\*", "\\+", "\\_", "%23", "%7B", "%20", ":", ".", "-"]


@st.composite
def odd_name(draw):
    """A prefixed name with escapes and percent codes in its local part (x: is <http://x/>)."""
    first = draw(st.sampled_from(["a", "SERVICE", "\\#", "%41", "1", ":", "\\-", "_"]))
    rest = draw(st.lists(st.sampled_from(LOCAL_PARTS), max_size=4))
    local = first + "".join(rest)
    if local.endswith("."):
        local += "z"
    return draw(st.sampled_from(["x:", "svc:", ":"])) + local


ODD_IRIS = ["<http://x/s>", "<http://x/p#SERVICE>", "<http://x/SERVICE>", "<http://x/a#b>", "<http://x/\\u0041>",
            "<http://x/'q>", "<http://x/(a)>", "<http://x/?q=1&r>", "<http://127.0.0.1:PORT/not-a-service>",
            "<http://x/#>", "<http://x/a>"]

STRING_UNITS = ["a", "#", "{", "}", "SERVICE <http://127.0.0.1:PORT/str> { ?sa ?sb ?sc }", "\\\"", "\\'", "\\\\",
                "\\n", "\\t", "\\u0041", "\\u0053ERVICE", "'", '"', "\n", "\r", "<", ">", "?x", "(", ")", " "]


@st.composite
def string(draw):
    """A string in one of the four quote styles, its content written so that it stays one string."""
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    units = draw(st.lists(st.sampled_from(STRING_UNITS), max_size=6))
    q = quote[0]
    out = []
    for i, unit in enumerate(units):
        if len(quote) == 1:
            unit = unit.replace("\n", "\\n").replace("\r", "\\r").replace(q, "\\" + q)
        elif unit == q and (i == len(units) - 1 or units[i + 1].startswith(q) or
                            (i > 0 and units[i - 1].endswith(q))):
            unit = "\\" + q   # never three quotes in a row, nor one just before the closing ones
        elif unit.endswith(q) and i == len(units) - 1:
            unit = unit[:-1] + "\\" + q
        out.append(unit)
    return quote + "".join(out) + quote


DATA_TERMS = ["1", "-2", "3.5", "4e1", "true", "false", '"l"@en', '"1"^^x:int', '"d"^^<http://x/dt>']


def data_term():
    """A term VALUES accepts: a string, a name, an IRI, a number, a boolean."""
    return st.one_of(string(), odd_name(), st.sampled_from(ODD_IRIS), st.sampled_from(DATA_TERMS))


def any_term():
    """A term of an expression or a triple: data, variables, and in triples blank nodes."""
    return st.one_of(data_term(), st.sampled_from(["?u1", "$u2", "?service", "?SERVICE"]))


# ---- expressions (true ones, so that FILTER keeps the solution) ------------------------------

ANY_COMPARE = [["?a", "<", "?b"], ["1", "<", "'x>'"], ["1", "<", "<http://x/a>"], ["?a", "<", "(", "1", ")"],
               ["?a", "<", "'#'"], ["2", "<=", "1"], ["\"a\"", ">", "\"b\""], ["?a", "<", "<http://x/'q>"],
               ["x:a", "<", "x:b"], ["?u", "!=", "?u"], ["EXISTS", "{", "}", "<", "'#'"],
               ["NOT", "EXISTS", "{", "}", "<", "<http://x/'q>"]]


def expr_true(depth: int = 2):
    atoms = st.sampled_from([["true"], ["(", "1", "<", "2", ")"], ["(", "2", ">", "1", ")"], ["(", "1", "<=", "1", ")"],
                             ["(", "1", "=", "1", ")"], ["!", "false"], ["(", '"a"', "<", '"b"', ")"],
                             ["(", "1", "IN", "(", "1", ",", "2", ")", ")"],
                             ["REGEX", "(", '"SERVICE"', ",", '""', ")"],
                             ["STRSTARTS", "(", "STR", "(", "<http://x/s>", ")", ",", '"http"', ")"]])
    if depth == 0:
        return atoms

    @st.composite
    def compound(draw):
        form = draw(st.sampled_from(["and", "or_any", "not", "exists", "if", "paren"]))
        if form == "and":
            return ["("] + draw(expr_true(depth - 1)) + ["&&"] + draw(expr_true(depth - 1)) + [")"]
        if form == "or_any":   # error || true is true: the left side may be anything
            left = draw(st.one_of(st.sampled_from(ANY_COMPARE), st.builds(lambda t: [t], any_term())))
            return ["("] + left + ["||"] + draw(expr_true(depth - 1)) + [")"]
        if form == "not":
            return ["!", "(", "1", ">", "2", ")"]
        if form == "exists":
            return ["EXISTS", "{"] + draw(pattern(depth - 1)) + ["}"]
        if form == "if":
            return ["IF", "(", "true", ","] + draw(expr_true(depth - 1)) + [",", "false", ")"]
        return ["("] + draw(expr_true(depth - 1)) + [")"]

    return st.one_of(atoms, compound())


# ---- patterns --------------------------------------------------------------------------------

def fresh(prefix: str = "v") -> str:
    """A variable used nowhere else (named when the query is put together), so that patterns written
    to match the store's triple never join on a variable bound to another of its terms."""
    return "\0" + prefix


def _name_variables(tokens: list[str]) -> list[str]:
    return [f"?{t[1:]}{i}" if t.startswith("\0") else t for i, t in enumerate(tokens)]


@st.composite
def triple(draw):
    """A triple pattern that matches one of the oracle store's triples."""
    if draw(st.sampled_from([False] * 4 + [True])):   # ends with a keyword-like word that may glue to the next
        return [draw(st.sampled_from(["x:s", fresh("s")])), "x:flag", draw(st.sampled_from(["true", "TRUE", "tRUE"]))]
    s = draw(st.sampled_from(["var", "<http://x/s>", "x:s", "[]", "_:m"]))
    p = draw(st.sampled_from(["var", "<http://x/p>", "x:p", "path"]))
    o = draw(st.sampled_from(["var", "<http://x/o>", "x:o"]))
    s = [fresh("s")] if s == "var" else [s]
    o = [fresh("o")] if o == "var" else [o]
    if p == "var":
        p = [fresh("p")]
    elif p == "path":
        p = draw(st.sampled_from([["(", "x:p", "|", "x:none", ")"], ["x:p", "?"], ["x:p", "*"], ["!", "x:none"],
                                  ["(", "x:p", ")"], ["!", "(", "x:none", "|", "^", "x:none", ")"], ["x:p", "/", "x:p", "?"]]))
    else:
        p = [p]
    return s + p + o


@st.composite
def loose(draw):
    """Anything in an OPTIONAL or MINUS: it may match nothing (so no SERVICE goes in here)."""
    form = draw(st.sampled_from(["term", "collection", "bnode", "values", "bind"]))
    if form == "term":
        return [fresh("l"), "x:q", draw(any_term())]
    if form == "collection":
        return [fresh("l"), "x:q", "(", draw(any_term()), draw(st.one_of(any_term(), st.sampled_from(["_:b1", "[]"]))),
                ")"]
    if form == "bnode":
        return [fresh("l"), "x:q", "[", "x:r", draw(any_term()), ";", "x:t", draw(any_term()), "]"]
    if form == "values":
        return ["VALUES", "(", fresh("w"), fresh("w"), ")", "{", "(", draw(data_term()), draw(data_term()), ")", "}"]
    return ["BIND", "(", draw(any_term()), "AS", fresh("b"), ")"]


@st.composite
def service(draw, depth: int):
    words = [draw(keyword("SERVICE"))]
    if draw(st.booleans()):
        words.append(draw(keyword("SILENT")))
    target = draw(st.sampled_from(["<http://127.0.0.1:PORT/g>", "svc:g", ":g", "svc:"]))
    inner = draw(pattern(depth - 1)) if depth > 0 else []
    return words + [target, "{"] + inner + ["}"]


@st.composite
def element(draw, depth: int):
    forms = ["triple", "triple", "filter", "bind", "values", "optional", "minus", "decoy"]
    if depth > 0:
        forms += ["union", "group", "subquery", "service", "service", "exists"]
    form = draw(st.sampled_from(forms))
    if form == "triple":
        return draw(triple())
    if form == "filter":   # a bracketted expression, a built-in call, a function (a cast) call
        how = draw(st.sampled_from(["paren", "paren", "builtin", "cast", "cast_iri"]))
        if how == "builtin":
            return [draw(keyword("FILTER")), "REGEX", "(", draw(string()), ",", '""', ")"]
        if how.startswith("cast"):
            fn = "xsd:boolean" if how == "cast" else "<http://www.w3.org/2001/XMLSchema#boolean>"
            return [draw(keyword("FILTER")), fn, "("] + draw(expr_true(1)) + [")"]
        return [draw(keyword("FILTER")), "("] + draw(expr_true(1)) + [")"]
    if form == "bind":
        return [draw(keyword("BIND")), "("] + draw(st.one_of(expr_true(1), any_term().map(lambda t: [t]))) + \
               [draw(keyword("AS")), fresh("b"), ")"]
    if form == "values":
        return ["VALUES", fresh("w"), "{", draw(data_term()), "}"]
    if form == "optional":
        return [draw(keyword("OPTIONAL")), "{"] + draw(loose()) + ["}"]
    if form == "minus":
        return [draw(keyword("MINUS")), "{"] + draw(loose()) + ["}"]
    if form == "decoy":   # SERVICE-looking text that is not a SERVICE clause, escapes in names
        if draw(st.booleans()):
            return ["BIND", "(", draw(odd_name()), "AS", fresh("d"), ")"]
        return draw(st.sampled_from([["BIND", "(", "?service", "AS", fresh("d"), ")"],
                                     ["BIND", "(", "<http://x/SERVICE>", "AS", fresh("d"), ")"],
                                     ["BIND", "(", '"SERVICE <http://127.0.0.1:PORT/d> { }"', "AS", fresh("d"), ")"],
                                     ["OPTIONAL", "{", fresh("d"), "x:SERVICE", fresh("d"), "}"],
                                     ["BIND", "(", "x:SERVICE", "AS", fresh("d"), ")"]]))
    if form == "union":
        return ["{"] + draw(pattern(depth - 1)) + ["}", draw(keyword("UNION")), "{"] + draw(pattern(depth - 1)) + ["}"]
    if form == "group":
        return ["{"] + draw(pattern(depth - 1)) + ["}"]
    if form == "subquery":
        head = draw(st.sampled_from([["*"], [fresh("n")], ["(", "1", "AS", fresh("n"), ")"], ["?g", "(", "COUNT", "(", "*", ")", "AS", fresh("c"), ")"]]))
        head += draw(st.sampled_from([[], ["("] + draw(st.sampled_from(ANY_COMPARE)) + ["AS", fresh("e"), ")"]]))
        tail = ["GROUP", "BY", "?g"] if "COUNT" in head else []
        tail += draw(st.sampled_from([[], ["HAVING", "(", "COUNT", "(", "*", ")", ">=", "1", ")"]])) if tail else []
        tail += draw(st.sampled_from([[], ["ORDER", "BY", "DESC", "(", "?g", ")"], ["ORDER", "BY", "xsd:string", "(", "?g", ")", "?g"],
                                      ["ORDER", "BY", "?g", "<http://www.w3.org/2001/XMLSchema#string>", "(", "?g", ")"],
                                      ["LIMIT", "3"]]))
        return ["{", draw(keyword("SELECT"))] + head + [draw(keyword("WHERE")), "{"] + draw(pattern(depth - 1)) + \
               ["}"] + tail + ["}"]
    if form == "exists":
        return ["FILTER", "EXISTS", "{"] + draw(pattern(depth - 1)) + ["}"]
    return draw(service(depth))


def _needs_dot(item: list[str]) -> bool:
    """A triple pattern must be ended by '.' before the next one (other elements need not)."""
    return item[-1] not in ("}", ")")


@st.composite
def elements(draw, depth: int = 2):
    """Group elements each keeping the one solution, so that a SERVICE among them is called."""
    return draw(st.lists(element(depth), max_size=4))


@st.composite
def pattern(draw, depth: int = 2):
    out: list[str] = []
    for item in draw(elements(depth)):
        out += item + (["."] if _needs_dot(item) or draw(st.booleans()) else [])
    return out


@st.composite
def query(draw):
    """A whole query as a list of tokens: prologue, form, pattern, modifiers."""
    prologue = draw(st.permutations([["PREFIX", "x:", "<http://x/>"], ["PREFIX", "svc:", "<http://127.0.0.1:PORT/>"],
                                     ["PREFIX", ":", "<http://127.0.0.1:PORT/>"], ["BASE", "<http://x/>"],
                                     ["PREFIX", "xsd:", "<http://www.w3.org/2001/XMLSchema#>"]]))
    tokens = [t for decl in prologue for t in decl]
    form = draw(st.sampled_from(["select", "select", "select_expr", "select_expr", "ask", "construct", "describe"]))
    items = draw(elements())
    if draw(st.sampled_from([True, True, False])):   # most queries get a SERVICE at the top level too
        items.insert(draw(st.integers(0, len(items))), draw(service(1)))
    body = []
    for item in items:
        body += item + (["."] if _needs_dot(item) or draw(st.booleans()) else [])
    where = ["{"] + body + ["}"]
    if form == "select":
        tokens += [draw(keyword("SELECT")), "*", draw(keyword("WHERE"))] + where
    elif form == "select_expr":
        tokens += [draw(keyword("SELECT")), "(", draw(odd_name()), "AS", "?q", ")", "("] + draw(expr_true(1)) + \
                  ["AS", "?r", ")", draw(keyword("WHERE"))] + where
    elif form == "ask":
        tokens += [draw(keyword("ASK"))] + where
    elif form == "construct":
        tokens += [draw(keyword("CONSTRUCT")), "{", "<http://x/s>", "<http://x/p>", "<http://x/o>", "}", "WHERE"] + where
    else:
        tokens += [draw(keyword("DESCRIBE")), "<http://x/s>", "WHERE"] + where
    if form.startswith("select"):
        tokens += draw(st.sampled_from([[], ["LIMIT", "5"], ["OFFSET", "0"], ["ORDER", "BY", "?q"],
                                        ["ORDER", "BY", "?q", "xsd:string", "(", "?q", ")"]]))
    tokens = _name_variables(tokens)
    kinds = draw(st.lists(st.sampled_from(SEPARATOR_KINDS), min_size=len(tokens) + 1, max_size=len(tokens) + 1))
    for i, t in enumerate(tokens):
        if sparql_guard._ci(t, 0, "service"):
            kinds[i] = draw(st.sampled_from(NOISY_KINDS))
    seps = [separator(draw, kind) for kind in kinds]
    text = "".join(s + t for s, t in zip(seps, tokens)) + seps[-1]   # seps[i] goes before tokens[i]
    if draw(st.booleans()):
        text += " #" + draw(st.sampled_from(COMMENT_TEXT))   # a comment ended by the end of the text
    return text


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=query())
def test_guard_and_oxigraph_agree_on_service(oracle, text):
    """Oxigraph calls SERVICE => the guard refuses; on Oxigraph's reading, SERVICE seen <=> SERVICE called."""
    text = text.replace(CANARY, f"127.0.0.1:{oracle.port}")
    out = oracle.ask(text)
    assert out.outcome != "crashed", f"Oxigraph crashed ({out.detail}) on {text!r}"
    if out.hits:
        assert REFUSES_SERVICE(text), f"Oxigraph called SERVICE ({out.hits}x) but the guard let it pass: {text!r}"
    if out.parsed and CHECK_READING:
        assert sparql_guard.facts(text).ambiguous_at is None, f"the guard finds ambiguous a query Oxigraph parses: {text!r}"
    if out.outcome == "ran" and CHECK_READING:
        assert READS_SERVICE(text) == (out.hits > 0), \
            f"the guard reads {'a' if READS_SERVICE(text) else 'no'} SERVICE where Oxigraph made {out.hits} calls: {text!r}"
