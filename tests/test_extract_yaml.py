"""Candidate records are written as yaml.dump with CSafeDumper writes them, whichever writer does it."""
import datetime
import random

import yaml

from tttt_kg.graph.extract import yaml_text

_PIECES = ["a", "Sở", " ", ":", ": ", "#", " #", "-", "- ", "?", "'", '"', ",", "[", "]", "{", "}", "&", "*", "!",
           "|", ">", "%", "@", "`", "yes", "No", "null", "~", "1", "1.5", "0x1F", "2004-09-16", "true", "\n", "\t",
           "é", "\u00a0", "\u2028", "\ufeff", "…", "“", "=", "<<", "  ", "x" * 30, "word " * 7, "y" * 50,
           "Sở Thông tin và Truyền thông ", "quảng cáo trên báo chí, mạng thông tin"]


def _reference(record) -> str:
    return yaml.dump([record], Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=120)


def _string(rnd) -> str:
    return "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 6)))


def _value(rnd, depth: int):
    k = rnd.random()
    if depth > 2 or k < 0.5:
        r = rnd.random()
        if r < 0.7:
            return _string(rnd)
        if r < 0.85:
            return rnd.randint(-5, 10**6)
        if r < 0.95:
            return datetime.date(2000 + rnd.randint(0, 20), rnd.randint(1, 12), rnd.randint(1, 28))
        return rnd.choice([True, 1.5, None])
    if k < 0.75:
        return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {_string(rnd) if rnd.random() < 0.9 else rnd.randint(0, 9): _value(rnd, depth + 1)
            for _ in range(rnd.randint(0, 4))}


def _body(text: str) -> str:
    """A record's YAML as yaml.dump gives it, from yaml_record's text (comment and indentation off)."""
    lines = text.splitlines()
    assert lines[0].startswith("  # ") and lines[-1] == ""
    return "".join(line[2:] + "\n" for line in lines[1:-1])


def test_random_records_are_written_as_yaml_dump_writes_them():
    rnd = random.Random(3)
    by_lines = 0
    for _ in range(6000):
        record = {rnd.choice(["id", "span", "items", "label", _string(rnd)]): _value(rnd, 0)
                  for _ in range(rnd.randint(1, 6))}
        if rnd.random() < 0.05:
            shared = [1, 2]
            record["a"], record["b"] = shared, shared        # PyYAML writes an anchor and an alias
        try:
            yaml_text._line_writer()(record)
            by_lines += 1
        except yaml_text._NotPlain:
            pass
        expected = _reference(record)
        assert _body(yaml_text.yaml_record(record, "note")).splitlines() == expected.splitlines()
    assert by_lines > 1000                  # the line writer wrote many of them, not only the fallbacks


def test_lines_near_the_width_and_long_keys():
    for n in range(100, 135):
        for words in ("ab cd " * 40, "Sở Thông tin và Truyền thông " * 8, "a: b " * 40):
            s = words[:n].strip()
            for record in ({"k": s, "z": []}, {"k": [s, s[:5]], "z": []}, {"items": [{"w": s, "f": ["a"]}], "z": 1}):
                assert _body(yaml_text.yaml_record(record, "n")).splitlines() == _reference(record).splitlines()
    rnd = random.Random(5)
    for _ in range(3000):                    # long plain values folded over lines, as libyaml folds them
        s = "".join(rnd.choice(["ab", "Sở", " ", "  ", "x" * 20, "quảng cáo", ",", "CNTT"]) for _ in range(rnd.randint(20, 150)))
        s = "a" + s.strip()
        for record in ({"k": s, "z": []}, {"items": [{"wording": s, "f": ["a"]}, {"w": s}], "z": 1}):
            assert _body(yaml_text.yaml_record(record, "n")).splitlines() == _reference(record).splitlines()
    for n in (40, 41, 64, 65, 129, 130):
        for key in ("a" * n, "ả" * n):
            record = {key: "v", "z": [], "m": {key: 1}}
            assert _body(yaml_text.yaml_record(record, "n")).splitlines() == _reference(record).splitlines()


def test_indicators_quote_a_string_where_libyaml_would():
    for s in ("Sở: TTTT", "Sở :TTTT", "Sở:", "Sở #1", "Sở#1", "Sở, TTTT", "Sở [TTTT]", "Sở {x}", "Sở?", "yes", "No",
              "Null", "a- b", "a -b", "Sở\u00a0TTTT", "Sở\ufeff", "Sở ", "ss'x", 'ss"x', "ss\\x", "Ủy ban nhân dân"):
        for record in ({"k": s, "z": []}, {"k": [s, "b"], "z": []}, {s: 1, "z": []}, {"m": {s: s}, "z": []},
                       {"items": [{"w": s}, {"w": [s]}], "z": 1}):
            assert _body(yaml_text.yaml_record(record, "n")).splitlines() == _reference(record).splitlines(), record


def test_a_plain_looking_assignment_is_written_by_the_line_writer():
    record = {"decision": "qd-53-2008", "organisation": "so-thong-tin-va-truyen-thong-hoa-lam", "span": [1651, 1955],
              "items": [{"wording": "bưu chính và chuyển phát", "functions": ["buu-chinh", "chuyen-phat"],
                         "match": "narrow", "span": [1670, 1694]}], "source": "c"}
    assert yaml_text._line_writer()(record) == _reference(record) == (
        "- decision: qd-53-2008\n  organisation: so-thong-tin-va-truyen-thong-hoa-lam\n  span: [1651, 1955]\n"
        "  items:\n  - wording: bưu chính và chuyển phát\n    functions: [buu-chinh, chuyen-phat]\n"
        "    match: narrow\n    span: [1670, 1694]\n  source: c\n")
