"""`tttt-kg figure` (issue 16, part 3): every expected label is text in the SVG, the PDF embeds its
fonts (TrueType, with the Vietnamese diacritics), the same graph gives the same bytes, both sizes."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tttt_kg.viz import growth, views
from tttt_kg.viz.figure import SIZES, figure_bytes


@pytest.fixture(scope="module")
def full(full_graph):
    return full_graph


def svg_text(data: bytes) -> str:
    return " ".join(unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", data.decode("utf-8"), re.S))


def expected_labels(g, view: str) -> list[str]:
    if view in ("growth", "flow"):
        grown = growth.read(growth.store_for(g))
        labels = [grown.origins[k] for k in grown.order] if view == "growth" else \
            [grown.origins[k] for k in grown.order] + grown.decisions
        return labels if view == "flow" else labels + [d.split("/QĐ")[0] for d in grown.decisions]
    G = views.VIEWS[view](g, "vi")
    from tttt_kg.viz.layout import wrap
    return [line for n in G for line in wrap(G.nodes[n]["label"]).split("\n")]


@pytest.mark.parametrize("view", ["growth", "flow", "mandate", "lineage"])
def test_every_label_is_text_in_the_svg_and_the_bytes_repeat(view, full):
    data = figure_bytes(full, view, "svg", "page")
    text = svg_text(data)
    missing = [label for label in expected_labels(full, view) if label not in text]
    assert missing == [], missing
    assert "DejaVu Sans" in data.decode("utf-8")
    assert figure_bytes(full, view, "svg", "page") == data


@pytest.mark.parametrize("size", SIZES)
def test_pdf_embeds_its_fonts_and_repeats(size, full):
    data = figure_bytes(full, "mandate", "pdf", size)
    assert data.startswith(b"%PDF")
    fonts = re.findall(rb"/BaseFont\s*/(\S+)", data)
    assert fonts and all(b"DejaVu" in f for f in fonts)
    assert b"/FontFile2" in data                 # TrueType programs embedded, not merely named
    assert b"/Subtype /Type3" not in data
    assert b"CreationDate" not in data
    assert figure_bytes(full, "mandate", "pdf", size) == data
    width = float(re.search(rb"/MediaBox \[ ?0 0 ([\d.]+)", data).group(1))
    assert abs(width - SIZES[size] * 72) < 1


def test_the_command_writes_png_and_refuses_other_types(tmp_path):
    exe = str(Path(sys.executable).with_name("tttt-kg"))
    done = subprocess.run([exe, "figure", "growth", "-o", str(tmp_path / "g.png"), "--size", "column"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    done = subprocess.run([exe, "figure", "growth", "-o", str(tmp_path / "g.jpg")], capture_output=True, text=True)
    assert done.returncode == 2 and ".svg, .pdf or .png" in done.stderr and not (tmp_path / "g.jpg").exists()
