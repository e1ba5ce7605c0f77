"""Turn the bytes of an input file into NFC text, or refuse them with a reason.

Vietnamese administrative text still circulates as UTF-16 (Word's "Unicode text") and
as Windows-1258, which writes tones as separate combining marks; everything downstream
counts code points of the NFC text, so decoding ends with NFC.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

# Letters only Vietnamese uses in Windows-1258 (ă â đ ê ô ơ ư and the five tone marks).
_CP1258_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")
CONVERT_HINT = "convert it to UTF-8 first (e.g. iconv -f WINDOWS-1258 -t UTF-8 FILE > FILE.txt)"


class DecodeError(ValueError):
    """An input file that is not text in an encoding we can read."""

    def __init__(self, name: str, what: str, fix: str):
        self.name, self.what, self.fix = name, what, fix
        super().__init__(f"{name}: {what}\n  fix: {fix}")


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff]")


def _looks_binary(text: str) -> bool:
    """NUL, or more control / private-use characters than a text file has (1 in 200)."""
    if not text:
        return False
    return "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is mostly NUL, else None."""
    if len(data) < 4 or len(data) % 2 or data.count(0) < 0.3 * (len(data) // 2):
        return None                      # (either answer needs NULs in 30 % of the pairs: UTF-8 text has none)
    even, odd = data[0::2], data[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    half = len(data) // 2
    if zeros_odd >= 0.3 * half and zeros_even <= 0.02 * half:
        return "utf-16-le"
    if zeros_even >= 0.3 * half and zeros_odd <= 0.02 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str = "<input>") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with or without BOM) or Windows-1258.

    Returns NFC text without a leading BOM. Raises DecodeError for binary data and for
    bytes that are none of these encodings.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = _utf16_without_bom(data), data
    if encoding:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(name, f"starts like {encoding.upper()} but byte {exc.start} does not decode ({exc.reason})",
                              "save the file again as UTF-8") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if b"\x00" in data:
                raise DecodeError(name, "is a binary file (it contains NUL bytes), not text",
                                  "give a .txt file with the document's text (copy it out of the PDF or Word file)") from None
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                raise DecodeError(name, f"is not UTF-8 (byte {exc.start}: {exc.reason}) and not Windows-1258",
                                  "save the file as UTF-8") from None
            if not _CP1258_VIETNAMESE & set(text) or _looks_binary(text):
                raise DecodeError(name, f"is not UTF-8 (byte {exc.start}: {exc.reason}) and does not read as "
                                  "Vietnamese Windows-1258 either", "save the file as UTF-8") from None
    text = text.lstrip("\ufeff")
    if _looks_binary(text):
        raise DecodeError(name, "looks like a binary file (control characters), not text",
                          "give a .txt file with the document's text")
    return unicodedata.normalize("NFC", text)


def read_text(path: Path | str) -> str:
    """Read and decode one input file; a missing or unreadable file is a DecodeError too."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DecodeError(str(path), "file not found", "check the path") from None
    except IsADirectoryError:
        raise DecodeError(str(path), "is a directory", "give the text files inside it") from None
    except PermissionError:
        raise DecodeError(str(path), "cannot be read (permission denied)", "check the file's permissions") from None
    return decode(data, str(path))
