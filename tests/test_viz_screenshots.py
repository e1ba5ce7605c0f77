"""The docs' pictures of the pages (docs/views/*.png, shown in docs/guide/views.md and the README) are made by viz/screenshots.py; this test runs
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
    readme = (DOCS.parent.parent / "README.md").read_text(encoding="utf-8")
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == SIZE
        assert len(data) > 30_000                   # drawn, not blank
        assert f"](../views/{path.name})" in page
        assert f'<img src="docs/views/{path.name}"' in readme          # the README shows every page too


def test_a_picture_is_replaced_only_when_its_pixels_change(tmp_path):
    """The same pixels encoded another way leave the file as it is (no churn in git); one pixel more replaces it."""
    import io

    from PIL import Image

    from tttt_kg.viz.screenshots import save_if_changed

    def png(colour, level):
        image = Image.new("RGB", (40, 30), "white")
        image.putpixel((5, 7), colour)
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=level)
        return out.getvalue()
    target = tmp_path / "view.png"
    assert save_if_changed(target, png((0, 0, 0), 9)) and target.read_bytes() == png((0, 0, 0), 9)
    other_encoding = png((0, 0, 0), 1)
    assert other_encoding != target.read_bytes()
    assert not save_if_changed(target, other_encoding) and target.read_bytes() == png((0, 0, 0), 9)
    assert save_if_changed(target, png((255, 0, 0), 1)) and target.read_bytes() == png((255, 0, 0), 1)
