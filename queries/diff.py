"""The two ends of a `diff`: a date, or a decision number standing for the decision's date."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from .catalogue import CatalogueError, parse_date

_DECISIONS = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
SELECT ?number ?date WHERE { ?d a tkg:AdministrativeDecision ; eli:id_local ?number ; eli:date_document ?date }
"""


@dataclass(frozen=True)
class Point:
    date: dt.date
    number: str | None = None   # the decision number, when the point was given as one

    def __str__(self) -> str:
        return f"{self.number} ({self.date})" if self.number else str(self.date)


def _number_key(number: str) -> str:
    """A decision number without diacritics, case or punctuation: QĐ, QD and qđ match."""
    from tttt_kg.graph.vietnamese import strip_diacritics
    return re.sub(r"[^0-9a-z]+", "", strip_diacritics(number).casefold())


def resolve_point(store, text: str) -> Point:
    """``text`` as a date (YYYY-MM-DD, dd/mm/yyyy) or as a decision number found in the graph.

    Numbers match however they are typed: 53/2008/QĐ-UBND, 53/2008/QD-UBND, 53/2008/qđ-ubnd.
    """
    day = parse_date(text)
    if day is not None:
        return Point(day)
    decisions = {row["number"].value: row["date"].value for row in store.query(_DECISIONS).rows}
    wanted = _number_key(text)
    for number, date in decisions.items():
        if _number_key(number) == wanted:
            return Point(dt.date.fromisoformat(date), number)
    every = sorted(decisions, key=lambda n: (decisions[n], n))   # by date, as a reader expects
    near = difflib.get_close_matches(text, decisions, n=3, cutoff=0.3)
    if near:
        known = f"nearest: {', '.join(near)} (of the {len(every)} decisions in the graph: {', '.join(every)})"
    else:
        known = f"the {len(every)} decisions in the graph, by date: {', '.join(every)}"
    raise CatalogueError(f"'{text}' is neither a date (YYYY-MM-DD) nor a decision number in the graph; {known}")
