"""One candidate record as YAML text: exactly what yaml.dump with CSafeDumper writes, faster.

The records hold strings, integers, dates, lists and dicts. A collection of scalars only is written
in flow style ("[a, b]", "{vi: X}", as default_flow_style=None does), any other in block style.
Three writers, each used when the one before cannot: the text written here line by line, each
scalar as libyaml writes it in its place (asked of libyaml once per value and context, then
remembered); libyaml's emitter fed with the events PyYAML would give it; yaml.dump itself.
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

_TAGS = {str: "tag:yaml.org,2002:str", int: "tag:yaml.org,2002:int", datetime.date: "tag:yaml.org,2002:timestamp"}
_WIDTH = 120                 # the line width yaml.dump is given
_SAFE_WIDTH = 120            # lines written here stay this short: libyaml breaks a line only past _WIDTH


# libyaml writes a string plain when the resolver reads it back as a string and its analysis finds nothing against
# it there (emitter.c, yaml_emitter_analyze_scalar): not empty, no space or break at either end, only printable
# characters, no indicator for the place: in block style ": " or " #" anywhere, in flow style also any of
# ",?[]{}:#", and a first character that is no indicator. The tests below are stricter: a letter first (no implicit
# type but booleans and null starts with one), and none of the words read back as booleans or null.
_FLOW_INDICATOR = re.compile(r"[,?\[\]{}:#]")
_BLOCK_INDICATOR = re.compile(r":(?: |$)| #")
_NOT_STRINGS = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL"
                         .split())


def _plain(s: str, flow: bool) -> bool:
    """Does libyaml write ``s`` as it is, in flow style (``flow``) or in block style (see above)?"""
    return (s[:1].isalpha() and s[-1] != " " and s.isprintable() and s not in _NOT_STRINGS
            and (_FLOW_INDICATOR if flow else _BLOCK_INDICATOR).search(s) is None)


class _NotPlain(Exception):
    """A record a writer leaves to the next one: another type, an object met twice (PyYAML writes an anchor),
    a scalar not written on one line, or a long line."""


@lru_cache(maxsize=1)
def _event_writer():
    """Write one record's YAML through libyaml's emitter, fed with events built here: the same events PyYAML's
    representer and serializer give for strings, integers, dates, lists and dicts (a collection of scalars
    only in flow style, as default_flow_style=None does), without their Python work per node; the implicit
    tag of each scalar value is remembered (the resolver is a pure function of it). None without libyaml."""
    import yaml
    from yaml.events import (DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                             ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)
    from yaml.nodes import ScalarNode

    emitter_class = getattr(getattr(yaml, "_yaml", None), "CEmitter", None)
    if emitter_class is None or not hasattr(yaml, "CSafeDumper"):
        return None
    resolver = yaml.resolver.Resolver()
    implicit: dict[tuple[str, str], tuple[bool, bool]] = {}
    tags = _TAGS
    seq, mapping = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

    def scalar(tag: str, value: str) -> ScalarEvent:
        key = (tag, value)
        flags = implicit.get(key)
        if flags is None:
            flags = implicit[key] = (tag == resolver.resolve(ScalarNode, value, (True, False)),
                                     tag == resolver.resolve(ScalarNode, value, (False, True)))
            if len(implicit) > 200_000:
                implicit.clear()
        return ScalarEvent(None, tag, flags, value)

    def events(x, out: list, seen: set) -> bool:
        """Append x's events to out; True when x is a scalar."""
        kind = type(x)
        if kind is str or kind is int:
            out.append(scalar(tags[kind], x if kind is str else str(x)))
            return True
        if id(x) in seen or (kind is not list and kind is not dict and kind not in tags):
            raise _NotPlain                      # an alias (PyYAML gives dates, lists and dicts an anchor)
        seen.add(id(x))
        if kind in tags:
            out.append(scalar(tags[kind], x.isoformat()))
            return True
        i, leaf = len(out), True
        out.append(None)
        for item in (x if kind is list else (v for pair in x.items() for v in pair)):
            leaf = events(item, out, seen) and leaf
        if kind is list:
            out[i] = SequenceStartEvent(None, seq, True, flow_style=leaf)
            out.append(SequenceEndEvent())
        else:
            out[i] = MappingStartEvent(None, mapping, True, flow_style=leaf)
            out.append(MappingEndEvent())
        return False

    def write(record) -> str:
        import io
        out = [StreamStartEvent(), DocumentStartEvent(explicit=False)]
        events([record], out, set())
        out += [DocumentEndEvent(explicit=False), StreamEndEvent()]
        stream = io.StringIO()
        emitter = emitter_class(stream, allow_unicode=True, width=_WIDTH)
        for event in out:
            emitter.emit(event)
        return stream.getvalue()

    return write


def _folded(line: str, start: int, indent: int) -> str:
    """A line ending in a plain scalar (from ``start``) as libyaml writes it in a block mapping's value (emitter.c,
    yaml_emitter_write_plain): at a space, when the line is already past the width and the next character is no
    space, a line break and ``indent`` spaces instead of the space."""
    out = [line[:start]]
    column, after_space = start, False
    for i in range(start, len(line)):
        ch = line[i]
        if ch == " ":
            if not after_space and column > _WIDTH and line[i + 1] != " ":
                out.append("\n" + " " * indent)
                column = indent
            else:
                out.append(" ")
                column += 1
            after_space = True
        else:
            out.append(ch)
            column += 1
            after_space = False
    return "".join(out)


@lru_cache(maxsize=1)
def _line_writer():
    """Write one record's YAML here, line by line, as libyaml lays out these records: a block sequence's
    items as "- " (not indented under a mapping's key), a block mapping's keys one a line (the first on the
    line of its "- "), flow collections as "[a, b]" and "{k: v}". How each scalar is written (plain or
    quoted) is libyaml's answer for that value in that context (a key or a value, in block or flow style),
    asked once through the event writer and remembered. None without libyaml."""
    write_events = _event_writer()
    if write_events is None:
        return None
    written: dict[tuple, str | None] = {}
    # a record holding the value where it is to be written, and another key after it (its own name differs from
    # the value's) so that the record is written in block style
    probes = {(False, False): (lambda v, z: {"k": v, z: []}, "- k: ", ""),             # a value in block style
              (True, False): (lambda v, z: {"k": [v], z: []}, "- k: [", "]"),           # in a flow collection
              (False, True): (lambda v, z: {v: 1, z: []}, "- ", ": 1"),                  # a key in a block mapping
              (True, True): (lambda v, z: {"k": {v: 1}, z: []}, "- k: {", ": 1}")}       # a key in a flow mapping

    def scalar(x, flow: bool, key: bool = False) -> str:
        kind = type(x)
        if kind is int:
            return str(x)                        # what the int resolver reads back: plain
        if kind is str and (not key or len(x) <= 40) and _plain(x, flow):
            return x                             # (a key longer than 128 bytes is no simple key)
        entry = (kind, x, flow, key)
        found = written.get(entry)
        if found is None:
            if len(written) > 200_000:
                written.clear()
            wrap, before, after = probes[(flow, key)]
            z = "y" if x == "z" else "z"
            text = write_events(wrap(x, z))
            rest = f"\n  {z}: []\n"
            line = text[:-len(rest)] if text.endswith(rest) else ""
            found = written[entry] = (line[len(before):len(line) - len(after)]      # one line of printable text
                                      if line.isprintable() and line.startswith(before) and line.endswith(after)
                                      else "")
        if not found:
            raise _NotPlain                      # written over several lines, or otherwise unlike the probe
        return found

    def is_scalar(x) -> bool:
        kind = type(x)
        return kind is str or kind is int or kind is datetime.date

    def flow(x) -> str:
        if type(x) is list:
            return "[" + ", ".join(scalar(v, True) for v in x) + "]"
        return "{" + ", ".join(f"{scalar(k, True, True)}: {scalar(v, True)}" for k, v in x.items()) + "}"

    def value_text(x, seen: set) -> str | None:
        """The text of x after "key: " or "- " when it fits there (a scalar or a flow collection), else None."""
        kind = type(x)
        if kind is str or kind is int:
            return scalar(x, False)
        if id(x) in seen:
            raise _NotPlain                      # met twice: PyYAML would write an anchor
        if kind is datetime.date:
            seen.add(id(x))
            return scalar(x, False)
        if kind is list:
            items = x
        elif kind is dict:
            items = x.values()
            if not all(type(k) is str for k in x):
                raise _NotPlain
        else:
            raise _NotPlain
        if all(is_scalar(v) for v in items):
            seen.add(id(x))
            for v in items:
                if type(v) is datetime.date:
                    if id(v) in seen:
                        raise _NotPlain
                    seen.add(id(v))
            return flow(x)
        return None

    def block_mapping(x: dict, indent: int, lead: str, lines: list, seen: set) -> None:
        seen.add(id(x))
        pad = " " * indent
        for k, v in x.items():
            if type(k) is not str:
                raise _NotPlain
            prefix = f"{lead}{scalar(k, False, True)}:"
            lead = pad
            text = value_text(v, seen)
            if text is not None:
                line = f"{prefix} {text}"
                if len(line) > _SAFE_WIDTH:
                    if type(v) is not str or text is not v:
                        raise _NotPlain          # a long flow collection or quoted string: left to libyaml
                    lines += _folded(line, len(prefix) + 1, indent + 2).split("\n")
                else:
                    lines.append(line)
            elif type(v) is list:
                lines.append(prefix)
                block_sequence(v, indent, lines, seen)        # a sequence under a key is not indented
            else:
                lines.append(prefix)
                block_mapping(v, indent + 2, " " * (indent + 2), lines, seen)

    def block_sequence(x: list, indent: int, lines: list, seen: set) -> None:
        seen.add(id(x))
        lead = " " * indent + "- "
        for v in x:
            text = value_text(v, seen)
            if text is not None:
                if len(lead) + len(text) > _SAFE_WIDTH:
                    raise _NotPlain
                lines.append(lead + text)
            elif type(v) is dict:
                block_mapping(v, indent + 2, lead, lines, seen)
            else:
                raise _NotPlain                  # a sequence in a sequence: left to libyaml

    def write(record) -> str:
        lines: list[str] = []
        block_sequence([record], 0, lines, set())
        return "\n".join(lines) + "\n"

    return write


def yaml_record(record: dict, comment: str) -> str:
    """The record as an item of a section's list, its comment above it, indented as graph/records/*.yaml."""
    body = None
    for writer in (_line_writer, _event_writer):
        write = writer()
        if write is None:
            continue
        try:
            body = write(record)
            break
        except _NotPlain:
            continue
    if body is None:
        import yaml
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        body = yaml.dump([record], Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=None,
                         width=_WIDTH)
    return f"  # {comment}\n" + "".join(f"  {line}\n" for line in body.splitlines()) + "\n"
