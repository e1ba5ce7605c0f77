"""The docs' pictures of the pages (docs/views/*.png, shown in docs/guide/views.md) are made by viz/screenshots.py; this test runs
it, so they show the pages as they are now, at 1366×768."""
from __future__ import annotations

import struct
from pathlib import Path

from tttt_kg.viz.screenshots import PAGES, SIZE, take

DOCS = Path(__file__).resolve().parent.parent / "docs" / "views"


def test_every_page_is_pictured_at_1366x768():
    written = take(DOCS)
    assert [p.name for p in written] == [f"{name}.png" for name in PAGES]
    page = (DOCS.parent / "guide" / "views.md").read_text(encoding="utf-8")
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == SIZE
        assert len(data) > 30_000                   # drawn, not blank
        assert f"](../views/{path.name})" in page
