"""Inputs in the encodings Vietnamese documents still come in are decoded; anything else is refused."""
from __future__ import annotations

import codecs
import unicodedata

import pytest

from tttt_kg.graph.extract import DecodeError, decode

TEXT = "Quyết định số 53/2008/QĐ-UBND ngày 03/11/2008 của UBND tỉnh về Sở Văn hoá, Thể thao và Du lịch; Ưu tiên, ỷ lại."
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters from the code page, tones as separate combining marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),                     # with BOM
    TEXT.encode("utf-16-le"),                  # without BOM
    TEXT.encode("utf-16-be"),
    windows_1258(TEXT),
    unicodedata.normalize("NFD", TEXT).encode("utf-8"),   # decomposed UTF-8
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1258", "utf8-nfd"])
def test_decoded_to_the_same_nfc_text(data):
    assert decode(data) == TEXT


def test_windows_1258_really_uses_combining_marks():
    data = windows_1258("Quyết")
    assert b"\xec" in data                    # the acute accent as its own byte
    assert len(data) > len("Quyết")


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(256)) * 4, "binary"),
    ("café au lait, naïve".encode("latin-1"), "not UTF-8"),
    (b"\xff\xfe" + b"\x00\xd8", "UTF-16"),       # a BOM, then a lone surrogate
])
def test_refused_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as err:
        decode(data, "input.bin")
    assert "input.bin" in str(err.value) and reason in str(err.value) and "fix:" in str(err.value)


def test_cli_refuses_binary_with_exit_2_and_writes_nothing(cli, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("extract", good, tmp_path / "scan.pdf", "-o", out)
    assert result.exit_code == 2
    assert "scan.pdf" in result.stderr and "binary" in result.stderr and "Traceback" not in result.output
    assert not out.exists()                     # nothing written, not even for the good file


def test_cli_reads_windows_1258_and_spans_count_nfc_code_points(cli, tmp_path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes(windows_1258(TEXT))
    result = cli("extract", path)
    assert result.exit_code == 0, result.stderr
    import yaml
    [doc] = [d for d in yaml.safe_load(result.output)["documents"] if d.get("number") == "53/2008/QĐ-UBND"]
    a, b = doc["span"]
    assert TEXT[a:b].startswith("Quyết định số 53/2008/QĐ-UBND ngày 03/11/2008")   # offsets in the NFC text


def test_cli_output_folder_parent_must_exist(cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    result = cli("extract", good, "-o", tmp_path / "missing" / "out")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_cli_missing_file_and_no_file(cli, tmp_path):
    assert cli("extract", tmp_path / "nope.txt").exit_code == 2
    result = cli("extract")
    assert result.exit_code == 2 and "give at least one text file" in result.stderr


def test_cli_output_folder_holds_only_this_runs_files(cli, tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("Quyết định số 5/2020/QĐ-UBND về chức năng của Sở Thông tin và Truyền thông. Sở Thông tin và "
                     "Truyền thông quản lý nhà nước về báo chí; an toàn thông tin mạng.", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("extract", first, "-o", out).exit_code == 0
    assert "an-toan-thong-tin-mang" in (out / "new-functions.ttl").read_text(encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text(TEXT, encoding="utf-8")
    assert cli("extract", second, "-o", out).exit_code == 0
    assert not (out / "new-functions.ttl").exists()
    assert "53/2008/QĐ-UBND" in (out / "documents.yaml").read_text(encoding="utf-8")
