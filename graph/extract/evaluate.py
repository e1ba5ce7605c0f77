"""Score the extractor on the seed against the curated records (precision and recall per kind).

What counts as a true positive (also in docs/guide/extracting.md):
- citations with dates: an extracted document with a date whose number (or, for a document
  cited by name, its name) has the key of a curated document's number/label/alt/written, whose
  date equals the curated date, and whose spans overlap the curated spans;
- documents: the same without the date (every curated document, dated or not);
- organisations: an extracted organisation one of whose names has the key (search_key, "(TTTT)"
  and a trailing "tỉnh …" removed) of a curated organisation's label/alt/written, with a mention
  inside the curated spans;
- functions: an item of an extracted assignment whose span overlaps a curated item's span, of
  the same decision, with the same set of canonical concepts;
- units: a listed unit whose span overlaps a curated unit's span and whose name has that unit's key;
- relations: "replaces" pairs, change events and transfers whose end points resolve (as above) to
  the curated ones; for events the kind must agree, except that a renaming and a transformation
  of the same two bodies count as one succession (the seed states it both ways, see its readings);
  transfers must also carry the same concepts.
Precision is given twice: over everything extracted, and over what lies inside the passages the
curators annotated (the union of all curated spans). The curated graph records the history of the
Sở, not every body the text names in passing, so an organisation named only outside those passages
(the Thư viện tỉnh, Viettel …) is neither right nor wrong by this measure; it is counted in the
first figure and left out of the second. The targets apply to the second.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tttt_kg.graph.vietnamese import search_key

from .organisations import common_place, identity_key, place_of
from .records_out import Candidates

KINDS = ("citations-with-dates", "documents", "organisations", "functions", "units", "relations")
TARGETS = {"citations-with-dates": (0.95, 0.9), "functions": (0.9, 0.9), "units": (0.9, 0.9),
           "organisations": (None, 0.9), "relations": (None, 0.9), "documents": (None, 0.9)}
_SUCCESSION = {"renaming", "transformation"}


@dataclass
class Score:
    kind: str
    gold: int = 0
    found: int = 0                 # gold items matched
    predicted: int = 0
    correct: int = 0
    predicted_in_region: int = 0
    correct_in_region: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def precision_in_region(self) -> float:
        return self.correct_in_region / self.predicted_in_region if self.predicted_in_region else 1.0


def _spans(value) -> list[tuple[int, int]]:
    if not value:
        return []
    if isinstance(value[0], int):
        return [(value[0], value[1])]
    return [(a, b) for a, b in value]


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


class _Gold:
    """Keys of the curated records, to resolve extracted names to curated ids."""

    def __init__(self, recs):
        self.recs = recs
        self.org_keys: dict[str, str] = {}
        default = common_place([n for o in recs.organisations for n in [o.label.get("vi", ""), *o.alt, *o.written]])
        for o in recs.organisations:
            names = [o.label.get("vi", ""), *o.alt, *o.written]
            place = next((p for p in map(place_of, names) if p), default)
            for name in names:
                self.org_keys.setdefault(identity_key(name, o.type, place), o.id)
        self.place: str | None = None          # the candidates' province, set by evaluate()
        self.doc_keys: dict[str, str] = {}
        for d in recs.documents:
            for name in [d.number or "", *d.label.values(), *d.alt, *d.written]:
                if name:
                    self.doc_keys.setdefault(search_key(name), d.id)
        self.unit_keys: dict[str, str] = {}
        for u in recs.units:
            for name in [*u.label.values(), *u.alt, *u.written]:
                self.unit_keys.setdefault(search_key(name), u.id)
        self.region = [s for group in (recs.organisations, recs.documents, recs.units, recs.change_events,
                                       recs.transfers, recs.assignments, recs.readings) for r in group for s in r.spans]
        self.spans = {r.id: r.spans for group in (recs.organisations, recs.documents, recs.units) for r in group}

    def org(self, rec: dict) -> str | None:
        names = [*rec.get("label", {}).values(), *rec.get("alt", []), *rec.get("written", [])]
        place = next((p for p in map(place_of, names) if p), self.place)
        for name in names:
            if (hit := self.org_keys.get(identity_key(name, rec.get("type"), place))):
                return hit
        return None

    def doc(self, rec: dict) -> str | None:
        for name in [rec.get("number") or "", *rec.get("label", {}).values(), *rec.get("written", [])]:
            if name and (hit := self.doc_keys.get(search_key(name))):
                return hit
        return None

    def unit(self, rec: dict) -> str | None:
        for name in [*rec.get("label", {}).values(), *rec.get("written", [])]:
            if (hit := self.unit_keys.get(search_key(name))):
                return hit
        return None

    def in_region(self, spans) -> bool:
        return _overlap(spans, self.region)


def _tally(score: Score, gold: _Gold, spans, ok: bool, what: str) -> None:
    score.predicted += 1
    score.correct += ok
    if gold.in_region(spans):
        score.predicted_in_region += 1
        score.correct_in_region += ok
    if not ok:
        score.wrong.append(what)


def evaluate(c: Candidates, recs) -> dict[str, Score]:
    """Precision and recall per kind of the candidates against the curated records ``recs``."""
    g = _Gold(recs)
    g.place = common_place([n for rec in c.records("organisations")
                            for n in [*rec["label"].values(), *rec.get("alt", []), *rec.get("written", [])]])
    scores = {k: Score(k) for k in KINDS}
    org_ids, doc_ids, unit_ids = {}, {}, {}

    # organisations
    s = scores["organisations"]
    s.gold = len(recs.organisations)
    hit = set()
    for rec in c.records("organisations"):
        gid = g.org(rec)
        spans = _spans(rec["span"])
        ok = gid is not None and _overlap(spans, g.spans[gid])
        if gid:
            org_ids[rec["id"]] = gid
        if ok:
            hit.add(gid)
        _tally(s, g, spans, ok, rec["label"]["vi"])
    s.found = len(hit)
    s.misses = [o.id for o in recs.organisations if o.id not in hit]

    # documents and citations with dates
    dated = {d.id: d for d in recs.documents if d.date}
    sd, sa = scores["citations-with-dates"], scores["documents"]
    sd.gold, sa.gold = len(dated), len(recs.documents)
    hit_dated, hit_all = set(), set()
    for rec in c.records("documents"):
        gid = g.doc(rec)
        spans = _spans(rec["span"])
        if gid:
            doc_ids[rec["id"]] = gid
        ok = gid is not None and _overlap(spans, g.spans[gid])
        if ok:
            hit_all.add(gid)
        _tally(sa, g, spans, ok, rec.get("number") or rec.get("label", {}).get("vi", rec["id"]))
        if rec.get("date"):
            ok_date = ok and gid in dated and dated[gid].date == rec["date"]
            if ok_date:
                hit_dated.add(gid)
            _tally(sd, g, spans, ok_date, f"{rec.get('number') or rec['id']} {rec['date']}")
    sd.found, sa.found = len(hit_dated), len(hit_all)
    sd.misses = [i for i in dated if i not in hit_dated]
    sa.misses = [d.id for d in recs.documents if d.id not in hit_all]

    # units
    su = scores["units"]
    gold_listings = [(u.id, span) for u in recs.units for span in u.spans]
    su.gold = len(gold_listings)
    found = set()
    for rec in c.records("units"):
        gid = g.unit(rec)
        if gid:
            unit_ids[rec["id"]] = gid
        for span in _spans(rec["span"]):
            match = next((i for i, (uid, gs) in enumerate(gold_listings) if uid == gid and _overlap([span], [gs])), None)
            if match is not None:
                found.add(match)
            _tally(su, g, [span], match is not None, f"{rec['label']['vi']} {span}")
    su.found = len(found)
    su.misses = [f"{uid} {span}" for i, (uid, span) in enumerate(gold_listings) if i not in found]

    # functions
    sf = scores["functions"]
    gold_items = [(a.decision, set(it.functions), it.spans) for a in recs.assignments for it in a.items]
    sf.gold = len(gold_items)
    found = set()
    for rec in c.records("assignments"):
        decision = doc_ids.get(rec["decision"])
        for item in rec["items"]:
            spans = _spans(item["span"])
            match = next((i for i, (d, fns, gs) in enumerate(gold_items)
                          if d == decision and fns == set(item["functions"]) and _overlap(spans, gs)), None)
            if match is not None:
                found.add(match)
            _tally(sf, g, spans, match is not None, f"{rec['decision']}: {item['wording']} {item['functions']}")
    sf.found = len(found)
    sf.misses = [f"{d}: {sorted(f)}" for i, (d, f, _) in enumerate(gold_items) if i not in found]

    # relations
    sr = scores["relations"]

    def ids(values, table):
        return frozenset(table.get(v, f"?{v}") for v in values)

    def family(kind):
        return "succession" if kind in _SUCCESSION else kind

    gold_rel = [("replaces", d.id, r) for d in recs.documents for r in d.replaces]
    gold_rel += [(family(e.type), frozenset(e.original), frozenset(e.resulting)) for e in recs.change_events]
    gold_rel += [("transfer", t.from_org, t.to_org, frozenset(t.functions)) for t in recs.transfers]
    sr.gold = len(gold_rel)
    found = set()
    members = {**org_ids, **unit_ids}
    predicted = []
    for rec in c.records("documents"):
        for target in rec.get("replaces", []):
            predicted.append((("replaces", doc_ids.get(rec["id"]), doc_ids.get(target)), _spans(rec["span"]),
                              f"{rec['id']} replaces {target}"))
    for rec in c.records("change_events"):
        key = (family(rec["type"]), ids(rec.get("original", []), members), ids(rec.get("resulting", []), members))
        predicted.append((key, _spans(rec["span"]), f"{rec['type']} {rec['id']}"))
    for rec in c.records("transfers"):
        key = ("transfer", org_ids.get(rec["from"]), org_ids.get(rec["to"]), frozenset(rec["functions"]))
        predicted.append((key, _spans(rec["span"]), rec["id"]))
    for key, spans, what in predicted:
        ok = key in gold_rel
        if ok:
            found.add(gold_rel.index(key))
        _tally(sr, g, spans, ok, what)
    sr.found = len(found)
    sr.misses = [str(r) for i, r in enumerate(gold_rel) if i not in found]
    return scores


def format_scores(scores: dict[str, Score]) -> str:
    lines = [f"{'kind':<22}{'recall':>14}{'precision':>16}{'in annotated passages':>26}"]
    for s in scores.values():
        lines.append(f"{s.kind:<22}{s.recall:>7.2f} ({s.found}/{s.gold})".ljust(36)
                     + f"{s.precision:>6.2f} ({s.correct}/{s.predicted})".ljust(18)
                     + f"{s.precision_in_region:>6.2f} ({s.correct_in_region}/{s.predicted_in_region})")
    for s in scores.values():
        if s.misses:
            lines.append(f"missed {s.kind}: " + "; ".join(s.misses))
    for s in scores.values():
        if s.wrong:
            lines.append(f"not in the curated records ({s.kind}): " + "; ".join(s.wrong))
    return "\n".join(lines)
