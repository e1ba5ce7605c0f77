"""What the extractor finds: plain dataclasses, offsets into the repaired text (`cleanup.Text`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class DateMention:
    start: int
    end: int
    value: dt.date
    precision: str = "day"          # "day", "month" (tháng 1/2010 → 2010-01-01) or "year" (năm 2008 → 2008-01-01)


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    type: str                        # a type of graph/records.py ORG_TYPES where one fits, else a new slug
    kind: str                        # "administrative", "party" or "mass" (unions and associations)


@dataclass
class Citation:
    start: int
    end: int
    doc_type: str                    # slug as in graph/records.py DOC_TYPES (plus new ones such as cong-van)
    number: str | None = None        # as written: 3593/2004/QĐ-UBND, 36-NQ/TW
    name: str | None = None          # a document cited by name: Luật Báo chí
    date: DateMention | None = None
    date_rule: str | None = None     # "after" (…số X ngày D), "before" (Ngày D, UBND tỉnh có …), "header"
    issuer: OrgMention | None = None
    co_issuers: list = field(default_factory=list)   # the other ministries of a joint circular
    issuer_hints: list = field(default_factory=list)   # read off the number's code: NĐ-CP → [Chính phủ]
    title: str | None = None         # "về việc …" after the citation
    title_span: tuple[int, int] | None = None
    confidence: float = 0.9
    stated_units: int | None = None  # "7 phòng" in the unit list of the paragraph citing it
    self_number: bool = False        # "Số: 12/2019/QĐ-UBND" heading: the input document's own number

    @property
    def label(self) -> str:
        return self.name or f"{self.doc_type} {self.number}"


@dataclass
class FunctionItem:
    start: int
    end: int
    wording: str
    functions: list[str]             # canonical fn slugs; unknown parts get a new slug listed in `new`
    match: str                       # exact, close, narrow (as in graph/records/assignments.yaml)
    new: list[tuple[str, str]] = field(default_factory=list)   # (slug, wording) of concepts the scheme lacks


@dataclass
class FunctionList:
    start: int
    end: int
    items: list[FunctionItem]
    role: str                        # "assignment" (a decision gives them), "transfer" (tiếp nhận … từ …), "mention"
    decision: Citation | None = None
    organisation: OrgMention | None = None
    source_org: OrgMention | None = None    # for a transfer: the organisation the functions came from
    date: DateMention | None = None


@dataclass
class UnitItem:
    start: int
    end: int
    name: str
    type: str                        # division, public-service-unit, leadership


@dataclass
class UnitList:
    start: int
    end: int
    items: list[UnitItem]
    stated: dict[str, int]           # unit type → count the text states ("7 phòng")
    decision: Citation | None = None
    organisation: OrgMention | None = None
    problems: list[str] = field(default_factory=list)
    alternatives: list[list[str]] = field(default_factory=list)   # other readings of ambiguous commas

    @property
    def stated_total(self) -> int | None:
        return sum(self.stated.values()) if self.stated else None


@dataclass
class Relation:
    kind: str                        # replaces, based-on, establishment, transformation, renaming, upgrade,
                                     # transfer, restructuring, merger
    start: int
    end: int
    decision: Citation | None = None       # the document that makes the change (or the one that replaces)
    target: Citation | None = None         # replaces / based-on: the other document
    original: list = field(default_factory=list)    # OrgMention or UnitItem
    resulting: list = field(default_factory=list)
    date: DateMention | None = None
    functions: list[str] = field(default_factory=list)
    basis: str | None = None               # "text" or "name-comparison"
    confidence: float = 0.8
    extra_spans: list[tuple[int, int]] = field(default_factory=list)   # other passages saying the same


@dataclass
class Extraction:
    """Everything found in one input text."""
    text: object                            # cleanup.Text
    dates: list[DateMention] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    organisations: list[OrgMention] = field(default_factory=list)
    function_lists: list[FunctionList] = field(default_factory=list)
    unit_lists: list[UnitList] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    headers: list = field(default_factory=list)      # header.Header: the documents the text itself is
    problems: list[str] = field(default_factory=list)
