"""Checks on RDF files from the user before a parser reads them: no entity bombs, no network.

RDF/XML. Both parsers expand the internal entities of a DTD: pyoxigraph without a bound (a 1 KB
"billion laughs" file asks for 2.4 GB), rdflib's expat with a bound that still lets 100 MB through
or runs for minutes. So the file is first read by expat (standard library) in pieces, up to the end
of its DTD only — entities can be declared nowhere else. Each declared entity's expanded size is
computed from the declarations, and the rest of the file is scanned (as bytes, in pieces, never
expanded) for references to them, which may appear anywhere. Refused: an entity expanding beyond
ENTITY_LIMIT bytes, references expanding to more than max(ENTITY_LIMIT, TOTAL_FACTOR x the file's
size) in all; parameter entities, external entities and external DTDs (never fetched, so they could
only change the meaning silently); and attribute defaults (expat copies one into every element it
names: see _Prolog.attlist). The common idiom `<!ENTITY xsd "http://…#">` with `&xsd;` in attributes
passes: it adds a few dozen bytes per reference.
defusedxml was weighed and not used: it refuses every entity declaration (or bounds nothing), and
it is not needed to drive expat.

JSON-LD. rdflib fetches a remote `@context` (or `@import`) over the network while parsing. For the
rdflib path the document is read here, every context reference anywhere in it (top level, nested,
scoped in a term) is replaced by the content of the local file it names, and a remote one is
refused; rdflib then gets the document with no reference left, so it has nothing to fetch.
pyoxigraph fetches nothing (no document loader is set): for it a reference is refused with a
sentence up front instead of its parser's message.
"""
from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

ENTITY_LIMIT = 64 << 10     # bytes one entity may expand to
TOTAL_FACTOR = 4            # all references together: up to this many times the file's size (or ENTITY_LIMIT)
XML_BLOCK = 64 << 10        # expat is fed this much at a time (it finishes a block after a handler stops it)
SCAN_BLOCK = 4 << 20
RDFXML_NAMES = {"xml", "pretty-xml", "rdf/xml", "application/rdf+xml"}
JSONLD_NAMES = {"json-ld", "jsonld", "application/ld+json"}
FIX_DTD = "expand the entities in the file (write their text where they are used) or remove its DTD"
_REFERENCE = re.compile(rb"&([^\s&;<>\"'#%]+);")
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


class UnsafeInputError(ValueError):
    """A file refused before parsing: an entity bomb, or content that would be fetched."""


def check_for_rdflib(path: Path | str, rdflib_format: str) -> None:
    """Refuse an RDF/XML file rdflib should not read (JSON-LD goes through read_jsonld instead)."""
    if rdflib_format in RDFXML_NAMES:
        check_rdfxml(Path(path))


def check_for_oxigraph(path: Path | str, fmt, error: Callable[[str], Exception] = UnsafeInputError) -> None:
    """Refuse an RDF/XML or JSON-LD file pyoxigraph should not read; raise ``error(message)``."""
    try:
        if fmt.media_type in RDFXML_NAMES:
            check_rdfxml(Path(path))
        elif fmt.media_type in JSONLD_NAMES:
            _scan_jsonld_references(Path(path))
    except UnsafeInputError as exc:
        raise error(str(exc)) from None


# --- RDF/XML -------------------------------------------------------------------------------

class _Stop(Exception):
    pass


class _Prolog:
    """Expat handlers that collect the DTD's general entities and stop at its end."""

    def __init__(self, path: Path, parser):
        self.path, self.parser = path, parser
        self.entities: dict[str, tuple[str, int]] = {}   # name -> (replacement text, line)
        self.done = False
        self.end_byte, self.end_line = 0, 1

    def refuse(self, message: str):
        raise UnsafeInputError(f"{self.path}, line {self.parser.CurrentLineNumber}: {message}")

    def doctype(self, name, system_id, public_id, has_internal_subset):
        if system_id or public_id:
            self.refuse(f"the DOCTYPE names an external DTD ({system_id or public_id}), which is never fetched; "
                        "remove its SYSTEM/PUBLIC part, or the DOCTYPE")

    def entity(self, name, is_parameter, value, base, system_id, public_id, notation):
        if is_parameter:
            self.refuse(f"the DTD declares the parameter entity %{name};, which is not allowed here; {FIX_DTD}")
        if value is None:
            self.refuse(f"the entity &{name}; refers to the external resource {system_id or public_id}, which is "
                        "never fetched; write its text in the file instead, or remove the declaration")
        self.entities.setdefault(name, (value, self.parser.CurrentLineNumber))   # the first declaration wins

    def attlist(self, element, attribute, kind, default, required):
        if default is not None:   # copied into every such element by expat (rdflib), ignored by pyoxigraph
            self.refuse(f"the DTD gives the attribute {attribute} of <{element}> a default value, which a parser would "
                        f"copy into every <{element}> (and not every parser does); write the attribute where it is "
                        "meant, or remove the declaration")

    def end_doctype(self):
        self.finish()

    def start_element(self, name, attributes):
        self.finish()   # no DTD, or its end: either way no entity can be declared after this

    def finish(self):
        self.done, self.end_byte, self.end_line = True, self.parser.CurrentByteIndex, self.parser.CurrentLineNumber
        raise _Stop


def check_rdfxml(path: Path) -> None:
    """Raise UnsafeInputError when ``path``'s DTD or its entity references could blow up a parser."""
    parser = expat.ParserCreate()
    prolog = _Prolog(path, parser)
    parser.StartDoctypeDeclHandler = prolog.doctype
    parser.EndDoctypeDeclHandler = prolog.end_doctype
    parser.EntityDeclHandler = prolog.entity
    parser.AttlistDeclHandler = prolog.attlist
    parser.StartElementHandler = prolog.start_element
    with open(path, "rb") as fh:
        try:
            while block := fh.read(XML_BLOCK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
        except _Stop:
            pass
        except (expat.ExpatError, LookupError) as exc:   # LookupError: an encoding expat does not know
            reason = expat.errors.messages[exc.code] if isinstance(exc, expat.ExpatError) else str(exc)
            _unreadable_prolog(path, fh, parser.CurrentLineNumber, reason)
            return   # nothing declares an entity: the real parser reports the error
    if not prolog.entities:
        return
    sizes = _expanded_sizes(path, prolog.entities)
    _check_references(path, prolog.end_byte, prolog.end_line, prolog.entities, sizes)


def _unreadable_prolog(path: Path, fh, line: int, reason: str) -> None:
    """Expat could not read as far as the end of the DTD: refuse if the file declares an entity
    anywhere (another parser might accept what expat did not), else leave the error to the parser."""
    fh.seek(0)
    tail = b""
    while block := fh.read(SCAN_BLOCK):
        if _ENTITY_DECL.search(tail + block):
            raise UnsafeInputError(f"{path}, line {line}: the entity declarations cannot be checked, as the XML "
                                   f"before the end of the DTD cannot be read ({reason}); fix it, or {FIX_DTD}")
        tail = block[-16:]


def _expanded_sizes(path: Path, entities: dict[str, tuple[str, int]]) -> dict[str, int]:
    """Bytes each entity expands to, references inside it included; refuse one over ENTITY_LIMIT
    or one that refers to itself. Iterative, so a chain of 100,000 declarations is no problem."""
    own: dict[str, tuple[int, list[str]]] = {}
    for name, (value, _) in entities.items():
        raw = value.encode("utf-8")
        refs = [m.group(1).decode("utf-8", "replace") for m in _REFERENCE.finditer(raw)]
        refs = [r for r in refs if r in entities]
        own[name] = (len(raw) - sum(len(r.encode("utf-8")) + 2 for r in refs), refs)
    sizes: dict[str, int] = {}
    for root in entities:
        if root in sizes:
            continue
        stack, on_path = [(root, 0)], {root}
        while stack:
            name, i = stack[-1]
            refs = own[name][1]
            if i < len(refs):
                stack[-1] = (name, i + 1)
                ref = refs[i]
                if ref in on_path:
                    names = [n for n, _ in stack]
                    cycle = " → ".join(f"&{n};" for n in names[names.index(ref):] + [ref])
                    raise UnsafeInputError(f"{path}, line {entities[ref][1]}: the entity &{ref}; contains itself "
                                           f"({cycle}), so it never ends; {FIX_DTD}")
                if ref not in sizes:
                    stack.append((ref, 0))
                    on_path.add(ref)
                continue
            size = own[name][0] + sum(sizes[r] for r in refs)
            if size > ENTITY_LIMIT:
                raise UnsafeInputError(f"{path}, line {entities[name][1]}: the entity &{name}; would expand to "
                                       f"{size:,} bytes, over the limit of {ENTITY_LIMIT:,} (an entity-expansion "
                                       f"attack, e.g. 'billion laughs'); {FIX_DTD}")
            sizes[name] = size
            stack.pop()
            on_path.discard(name)
    return sizes


def _check_references(path: Path, start: int, line: int, entities: dict[str, tuple[str, int]],
                      sizes: dict[str, int]) -> None:
    """Add up the expansion of every reference after the DTD, read as bytes in pieces (references in
    comments and CDATA count too: that errs on the safe side)."""
    limit = max(ENTITY_LIMIT, TOTAL_FACTOR * path.stat().st_size)
    longest = max(len(n.encode("utf-8")) for n in entities) + 2
    by_bytes = {n.encode("utf-8"): s for n, s in sizes.items()}
    total, count = 0, 0
    with open(path, "rb") as fh:
        codec = _utf16(fh.read(4))
        decoder = codecs.getincrementaldecoder(codec)("replace") if codec else None
        fh.seek(start)
        carry = b""
        while True:
            block = fh.read(SCAN_BLOCK)
            if decoder:   # scanned as UTF-8, like every other file
                block = decoder.decode(block, final=not block).encode("utf-8")
            data = carry + block
            cut = len(data)
            amp = data.rfind(b"&")
            if block and amp != -1 and len(data) - amp <= longest and b";" not in data[amp:]:
                cut = amp   # a reference may continue in the next block
            data, carry = data[:cut], data[cut:]
            for m in _REFERENCE.finditer(data):
                size = by_bytes.get(m.group(1))
                if size is None:
                    continue
                total += size
                count += 1
                if total > limit:
                    name = m.group(1).decode("utf-8", "replace")
                    at = line + data.count(b"\n", 0, m.start())
                    raise UnsafeInputError(
                        f"{path}, line {at}: the {count:,} references to entities so far would expand to "
                        f"{total:,} bytes, over the limit of {limit:,} ({TOTAL_FACTOR} times the file's size, at least "
                        f"{ENTITY_LIMIT:,}; this one is &{name};, declared at line {entities[name][1]}); {FIX_DTD}")
            line += data.count(b"\n")
            if not block:
                return


def _utf16(head: bytes) -> str | None:
    """The UTF-16 codec of a file starting with ``head``, or None for the encodings that are
    supersets of ASCII (the others expat reads), whose references can be found as bytes."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16-le" if head[:2] == codecs.BOM_UTF16_LE else "utf-16-be"
    return {b"<\x00?\x00": "utf-16-le", b"\x00<\x00?": "utf-16-be"}.get(head[:4])


# --- JSON-LD -------------------------------------------------------------------------------

def _remote(where: Path, url: str, key: str, fix: str) -> UnsafeInputError:
    return UnsafeInputError(f"{where}: the file's {key} is the remote URL {url}, and reading a file never makes a "
                            f"network request; {fix}")


def read_jsonld(path: Path | str) -> Any:
    """The JSON-LD document in ``path`` with every context reference replaced by the content of the
    local file it names (relative to the file that names it); a remote one is refused. What comes
    back names no document, so a parser given it has nothing to fetch."""
    path = Path(path)
    return _Inliner().document(path.resolve(), path)


class _Inliner:
    FIX = ("inline the context (put its JSON object in place of the URL), or save it and refer to it by a "
           "local path")

    def __init__(self):
        self.contexts: dict[Path, Any] = {}   # a local context file -> its inlined @context value
        self.open: list[Path] = []

    def document(self, path: Path, shown: Path) -> Any:
        data = json.loads(path.read_bytes().decode("utf-8"))
        return self._walk(data, path, shown)

    def _walk(self, node: Any, base: Path, shown: Path) -> Any:
        if isinstance(node, list):
            return [self._walk(x, base, shown) for x in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "@value":
                out[key] = value    # a literal, maybe of type @json: data, not JSON-LD
            elif key == "@context":
                out[key] = self._context(value, base, shown)
            else:
                out[key] = self._walk(value, base, shown)
        return out

    def _context(self, value: Any, base: Path, shown: Path) -> Any:
        """A @context value with its references inlined (a list, a reference, or a definition)."""
        if isinstance(value, list):
            out = []
            for item in value:
                inlined = self._context(item, base, shown)
                out.extend(inlined if isinstance(item, str) and isinstance(inlined, list) else [inlined])
            return out
        if isinstance(value, str):
            return self._load(value, base, shown, "@context")
        if isinstance(value, dict):
            defs = self._walk(value, base, shown)   # scoped contexts inside term definitions
            imported = defs.pop("@import", None)
            if isinstance(imported, str):
                loaded = self._load(imported, base, shown, "@import")
                if isinstance(loaded, dict):
                    return {**loaded, **defs}
                defs["@import"] = imported   # not an object: the parser reports it (it cannot fetch: it is local)
            elif imported is not None:
                defs["@import"] = imported
            return defs
        return value

    def _load(self, ref: str, base: Path, shown: Path, key: str) -> Any:
        url = urljoin(base.as_uri(), ref)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise _remote(shown, ref, key, self.FIX)
        from urllib.request import url2pathname   # here: urllib.request imports ssl and http (30 ms a process)
        target = Path(url2pathname(parts.path))
        if target in self.contexts:
            return self.contexts[target]
        if target in self.open:
            raise UnsafeInputError(f"{shown}: the context {target} includes itself; break the cycle")
        if not target.is_file():
            raise UnsafeInputError(f"{shown}: the file's {key} refers to {ref}, which is not a file here ({target}); "
                                   f"{self.FIX}")
        self.open.append(target)
        try:
            doc = self.document(target, target)
        except UnsafeInputError:
            raise
        except ValueError as exc:   # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise UnsafeInputError(f"{shown}: its context {target} is not a UTF-8 JSON document ({exc}); fix that "
                                   "file") from None
        finally:
            self.open.pop()
        if not isinstance(doc, dict) or "@context" not in doc:
            raise UnsafeInputError(f"{shown}: its context {target} has no top-level \"@context\"; a context document "
                                   "is an object with one")
        self.contexts[target] = doc["@context"]
        return doc["@context"]


_JSONLD_REFERENCE = re.compile(rb'"(@context|@import)"\s*:\s*(?:\[\s*)?"((?:[^"\\]|\\.)*)"')


def _scan_jsonld_references(path: Path) -> None:
    """For pyoxigraph, which cannot fetch: find a context given by reference (a string, or a list
    that starts with one), scanning bytes in pieces so a large file is never held whole. Missing a
    rarer shape only means pyoxigraph's own message instead of this one."""
    tail = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(SCAN_BLOCK)
            data = tail + block
            m = _JSONLD_REFERENCE.search(data)
            if m:
                key = m.group(1).decode()
                ref = json.loads(b'"' + m.group(2) + b'"')
                fix = "inline the context: put its JSON object in place of the URL (load reads no context document)"
                if urlsplit(ref).scheme not in ("", "file"):
                    raise _remote(path, ref, key, fix)
                raise UnsafeInputError(f"{path}: the file's {key} refers to the document {ref}, and load reads no "
                                       f"context document; {fix.split(': ', 1)[1]}")
            if not block:
                return
            tail = data[-4096:]
