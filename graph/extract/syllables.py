"""Vietnamese syllable structure: is a written word one syllable, several glued, or not Vietnamese?

A Vietnamese syllable is (onset) (medial o/u) nucleus (final), with one tone mark at most:
onsets b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x; nuclei a ă â e ê i o ô ơ
u ư y and the diphthongs iê yê ia ya ươ ưa uô ua oo; finals c ch m n ng nh p t and the glides i y o u.
ă and â never end a syllable. Words are written one syllable each, so a word of Vietnamese letters that
is not one syllable but is a run of them lost a space: "Bộtrưởng", "THÔNGTIN", "vănhóa". A word that
cannot be cut into syllables at all is foreign or a code (Internet, TTLT, BTTTT) and is left as it is;
so is a word without diacritics (online, Mobifone), since nothing tells it from English.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}        # huyền sắc ngã hỏi nặng
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:[ou](?=[aăâeêyơ]))?"
                       r"(?:iê|yê|ia|ya|ươ|ưa|uô|ua|oo|[aăâeêioôơuưy])(?:ng|nh|ch|[cmnpt]|[iyou])?")
_LONGEST = 7                                                              # "nghiêng", "khuỷu"


@lru_cache(maxsize=4096)
def _letter(ch: str) -> tuple[str, int]:
    """A lower-case letter without its tone mark, and 1 if it had one."""
    parts = unicodedata.normalize("NFD", ch.lower())
    tones = sum(1 for p in parts if p in _TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONE_MARKS)), tones


def _plain(word: str) -> tuple[str, list[int]] | None:
    """The word without tone marks (same length) and the tone count of each letter."""
    letters = [_letter(ch) for ch in word]
    plain = "".join(p for p, _ in letters)
    return (plain, [t for _, t in letters]) if len(plain) == len(word) else None


def _one(plain: str, tones: list[int]) -> bool:
    return (len(plain) <= _LONGEST and _SYLLABLE.fullmatch(plain) is not None and plain[-1] not in "ăâ"
            and sum(tones) <= 1)


def is_syllable(word: str) -> bool:
    p = _plain(word)
    return p is not None and _one(*p)


@lru_cache(maxsize=65536)
def split_points(word: str) -> tuple[int, ...]:
    """Where spaces were lost inside ``word``: the offsets of every syllable but the first; () when the
    word is one syllable, or not Vietnamese (see the module). The fewest syllables win; between equal
    cuts, the next syllable takes the longest onset ("Bộtrưởng": bộ trưởng, not bột rưởng)."""
    if len(word) < 4 or word.isascii():
        return ()
    p = _plain(word)
    if p is None:
        return ()
    plain, tones = p
    if _one(plain, tones):
        return ()
    n = len(plain)
    best: list[tuple[int, ...] | None] = [None] * (n + 1)     # best[i]: cuts of plain[i:] into syllables
    best[n] = ()
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + _LONGEST) + 1):       # shortest first syllable first
            rest = best[j]
            if rest is None or not _one(plain[i:j], tones[i:j]):
                continue
            cuts = (j, *rest) if j < n else ()
            if best[i] is None or len(cuts) < len(best[i]):
                best[i] = cuts
    return best[0] or ()


@lru_cache(maxsize=65536)
def is_code(word: str) -> bool:
    """A word in capitals that is no Vietnamese syllable nor a run of them: a code or an abbreviation
    (TTLT, BTTTT, QĐ, HĐND), to keep in capitals when a header is recased."""
    return not is_syllable(word) and not split_points(word)
