"""`tttt-kg extract -f json`: what the command found, for programs: the candidate records (the same
fields as the YAML records, each with its review note), the warnings, and the score (--evaluate) or the
comparison (--against) when asked for."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from tttt_kg.graph.extract.records_out import FILES, Candidates


def _value(x):
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    raise TypeError(f"{type(x).__name__} in a candidate record")


def file_report(name: str, c: Candidates, warnings: list[str], scores=None, findings=None) -> dict:
    """One input file's part of the answer."""
    sections = [s for names in FILES.values() for s in names]
    report = {"file": name,
              "records": {s: [{"record": r, "note": note} for r, note in c.sections[s]]
                          for s in sections if c.sections.get(s)},
              "warnings": list(warnings)}
    if scores is not None:
        report["evaluation"] = {kind: {"recall": round(s.recall, 4), "precision": round(s.precision, 4),
                                       "precision_in_annotated_passages": round(s.precision_in_region, 4),
                                       "gold": s.gold, "found": s.found, "predicted": s.predicted,
                                       "correct": s.correct, "missed": s.misses, "not_in_curated_records": s.wrong}
                                for kind, s in scores.items()}
    if findings is not None:
        report["comparison"] = [asdict(f) for f in findings]
    return report


def dumps(reports: list[dict]) -> str:
    return json.dumps({"files": reports}, ensure_ascii=False, indent=1, default=_value) + "\n"
