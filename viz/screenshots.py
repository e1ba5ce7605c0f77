"""Screenshots of every page at 1366×768 for the docs (docs/views, shown in docs/guide/views.md): `python -m tttt_kg.viz.screenshots [DIR]`
(default docs/views). tests/test_viz_screenshots.py runs it, so the pictures follow the pages.

A picture is replaced only when its pixels differ from the one on disk (decoded with Pillow, not
compared as bytes): a test run that changes nothing leaves the tracked PNGs, and git, untouched."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)
PAGES = ("mandate", "lineage", "growth", "decisions", "explorer", "index")


def same_pixels(a: bytes, b: bytes) -> bool:
    """Do two PNGs show the same picture (size, mode and every pixel), however they were encoded?"""
    import io

    from PIL import Image
    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        return x.size == y.size and x.convert("RGBA").tobytes() == y.convert("RGBA").tobytes()


def save_if_changed(target: Path, png: bytes) -> bool:
    """Write ``png`` to ``target`` (atomically) unless the file there shows the same pixels; True if written."""
    from tttt_kg.graph.atomic import write_bytes_atomic
    if target.is_file() and same_pixels(target.read_bytes(), png):
        return False
    write_bytes_atomic(target, png)
    return True


def take(out_dir: Path | str, g=None) -> list[Path]:
    """Write the site of ``g`` (default: the default build) and a PNG of each page into ``out_dir``."""
    from tttt_kg.graph.build import build_graph

    from .browser import Chromium, wait_ready
    from .site import FILE_NAMES, write_site
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        write_site(build_graph() if g is None else g, tmp)
        with Chromium() as browser:
            for name in PAGES:
                context = browser.new_context(viewport={"width": SIZE[0], "height": SIZE[1]})
                page = context.new_page()
                page.goto((Path(tmp) / FILE_NAMES[name]).resolve().as_uri())
                if name in ("mandate", "lineage", "decisions", "explorer"):
                    wait_ready(page)
                else:
                    page.wait_for_load_state("load")
                target = out_dir / f"{name}.png"
                save_if_changed(target, page.screenshot())
                written.append(target)
                context.close()
    return written


if __name__ == "__main__":
    for path in take(sys.argv[1] if len(sys.argv) > 1 else "docs/views"):
        print(path)
