"""Vietnamese text normalisation for matching: one module for search and extraction.

Stored labels keep the official spelling; these keys exist only to compare strings the
way Vietnamese is really typed: old or new tone placement (hoá / hóa, thuỷ / thủy),
no diacritics at all (van hoa), any case, any run of whitespace, and the common
administrative abbreviations (TTTT, TT&TT, BCVT, CNTT, UBND, HĐND, QĐ).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
# Open syllables whose tone sits on the first vowel in the "new" style (hóa, khỏe, thủy);
# after q the u is part of the consonant (quý), so it is left alone.
_OPEN_SYLLABLE = re.compile(r"(?<![qQ])([oO])([aAeE])(?![\w])|(?<![qQ])([uU])([yY])(?![\w])")

ABBREVIATIONS = {
    "tttt": "thông tin và truyền thông",
    "tt&tt": "thông tin và truyền thông",
    "tt và tt": "thông tin và truyền thông",
    "bcvt": "bưu chính viễn thông",
    "bc-vt": "bưu chính viễn thông",
    "cntt": "công nghệ thông tin",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "qđ": "quyết định",
    "pt-th": "phát thanh và truyền hình",
    "ptth": "phát thanh và truyền hình",
    "vhtt": "văn hóa thông tin",
}


def _move_tone(word: str) -> str:
    """Put the tone of oa/oe/uy on the first vowel: hoá→hóa, khoẻ→khỏe, thuỷ→thủy."""
    decomposed = unicodedata.normalize("NFD", word)
    base = "".join(c for c in decomposed if c not in _TONES)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    base_nfc = unicodedata.normalize("NFC", base)
    match = _OPEN_SYLLABLE.search(base_nfc)
    if not match:
        return word
    first = match.start(1) if match.group(1) else match.start(3)
    out = base_nfc[: first + 1] + tones[0] + base_nfc[first + 1:]
    return unicodedata.normalize("NFC", out)


def tone_key(text: str) -> str:
    """NFC, new-style tone placement, casefolded, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    words = re.split(r"(\W+)", text)
    text = "".join(_move_tone(w) if w and w[0].isalpha() else w for w in words)
    return re.sub(r"\s+", " ", text).strip().casefold()


def strip_diacritics(text: str) -> str:
    """Remove every diacritic, đ→d included: 'Văn hoá' → 'Van hoa'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


_ABBREV_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)"
)


def expand_abbreviations(text: str) -> str:
    """Replace known abbreviations (matched case-insensitively) by their full form."""
    return _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], tone_key(text))


def search_key(text: str) -> str:
    """The key used for tolerant matching: abbreviations expanded, no diacritics, casefolded.

    'Sở Văn hoá - Thông tin', 'so van hoa thong tin' and 'SỞ VĂN HÓA-THÔNG TIN' share one key;
    so do 'Sở TTTT', 'Sở TT&TT' and 'Sở Thông tin và Truyền thông'.
    """
    text = strip_diacritics(expand_abbreviations(text)).casefold()
    text = re.sub(r"[^\w&]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """NFC with all whitespace runs collapsed: how spans are compared across page breaks."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# ---------------------------------------------------------------- extraction helpers
# Added for graph/extract: a length-preserving fold, so that a regular expression can run
# on "quyet dinh so" while the offsets it finds still point into the original text.

_FOLD_CACHE: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    folded = strip_diacritics(ch).lower()
    return folded if len(folded) == 1 else (ch.lower() if len(ch.lower()) == 1 else ch)


_COMBINING_MARKS = re.compile("[\u0300-\u036f]+")


def _fold_whole(text: str) -> str:
    fast = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D").lower()
    if len(fast) == len(text):       # the usual case: every character folded to one
        return fast
    table = _FOLD_CACHE
    missing = {ord(c) for c in set(text)} - table.keys()
    for code in missing:
        table[code] = _fold_char(chr(code))
    return text.translate(table)


class _OneForOne(dict):
    """Code point → its fold, for the characters whose fold does not depend on their neighbours: a
    starter whose decomposition adds only marks the fold drops, folding to one character (not Σ, whose
    lower case depends on the next letter). Any other character maps to two, so the length tells."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        nfd = unicodedata.normalize("NFD", ch)
        safe = (ch != "Σ" and unicodedata.combining(ch) == 0 and unicodedata.combining(nfd[0]) == 0
                and not _COMBINING_MARKS.sub("", nfd[1:]) and len(_fold_whole(ch)) == 1)
        self[code] = folded = _fold_whole(ch) if safe else "\x00\x00"
        return folded


_ONE_FOR_ONE = _OneForOne()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one: 'Quyết Định' → 'quyet dinh'.

    Unlike search_key it never changes the length, so offsets found in the folded text
    are offsets in the text itself. Character by character through a table (twice as fast
    as decomposing the whole text), the same as `_fold_whole` when every character folds alone;
    a long text through `_fold_by_bytes` when it can (several times faster again).
    """
    if len(text) >= 256:
        folded = _fold_by_bytes(text)
        if folded is not None:
            return folded
    folded = text.translate(_ONE_FOR_ONE)
    return folded if len(folded) == len(text) else _fold_whole(text)


# typographic marks the table folds to themselves, written as \x01 by `_fold_by_bytes` and put back after
_MARKS_KEPT = "“”‘’…•·«»–—°§"
_VIETNAMESE_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"


def _byte_tables() -> tuple[object, bytes]:
    """One byte for each lower-case character a text usually has (ASCII, Vietnamese letters, the kept marks, other
    Latin letters that fold to ASCII while bytes are left), and each byte's fold."""
    chars = [chr(i) for i in range(128)] + list(_VIETNAMESE_LOWER) + list(_MARKS_KEPT)
    chars += [ch for ch in map(chr, range(0xC0, 0x250)) if len(chars) < 256 and ch not in chars and ch.islower()
              and len(_ONE_FOR_ONE[ord(ch)]) == 1 and _ONE_FOR_ONE[ord(ch)].isascii()][:256 - len(chars)]
    folds = bytes(i if i < 128 else 1 if ch in _MARKS_KEPT else ord(_ONE_FOR_ONE[ord(ch)])
                  for i, ch in enumerate(chars))
    return codecs.charmap_build("".join(chars)), folds + bytes(256 - len(folds))


_BYTES_OF, _FOLD_OF_BYTE = _byte_tables()


def _fold_by_bytes(text: str) -> str | None:
    """`fold` of a text whose lower-case characters all have a byte in `_byte_tables`, else None: lower-cased, each
    character encoded as its byte, the bytes folded, the kept marks put back. A character whose lower case is one
    of those has the fold of its lower case (checked over all of Unicode by tests/test_vietnamese.py)."""
    lower = text.lower()
    if len(lower) != len(text):          # a character lower-cased to two ("İ")
        return None
    try:
        encoded = codecs.charmap_encode(lower, "strict", _BYTES_OF)[0]
    except UnicodeEncodeError:
        return None
    folded = encoded.translate(_FOLD_OF_BYTE).decode("latin-1")
    i = folded.find("\x01")
    if i < 0:
        return folded
    parts, pos = [], 0
    while i >= 0:                        # a kept mark (or a \x01 of the text: its own fold)
        parts += [folded[pos:i], _ONE_FOR_ONE[ord(text[i])]]
        pos = i + 1
        i = folded.find("\x01", pos)
    parts.append(folded[pos:])
    return "".join(parts)


def _letters(predicate) -> str:
    ranges = [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1)
                   if chr(c).isalpha() and predicate(chr(c)))


UPPER_LETTERS = _letters(str.isupper)   # for regular expression classes: [{UPPER_LETTERS}]
LOWER_LETTERS = _letters(str.islower)
