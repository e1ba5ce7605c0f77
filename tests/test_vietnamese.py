"""The normalisation key matches Vietnamese as it is really typed."""
import pytest

from tttt_kg.graph.vietnamese import search_key, strip_diacritics, tone_key


@pytest.mark.parametrize("variant", [
    "Sở Văn hoá - Thông tin", "Sở Văn hóa - Thông tin", "SỞ VĂN HÓA-THÔNG TIN", "so van hoa thong tin",
])
def test_culture_department_variants_share_one_key(variant):
    assert search_key(variant) == search_key("Sở Văn hoá - Thông tin") == "so van hoa thong tin"


@pytest.mark.parametrize("abbrev", ["Sở TTTT", "Sở TT&TT", "sở tttt", "Sở Thông tin và Truyền thông"])
def test_abbreviations_expand(abbrev):
    assert search_key(abbrev) == "so thong tin va truyen thong"


@pytest.mark.parametrize("old,new", [("hoá", "hóa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoà", "hòa")])
def test_old_tone_placement_moves_to_new(old, new):
    assert tone_key(old) == new


def test_tone_after_q_is_left_alone():
    assert tone_key("quý") == "quý"


def test_strip_diacritics_handles_d_with_stroke():
    assert strip_diacritics("Đài Phát thanh") == "Dai Phat thanh"


def test_other_words_keep_their_meaning():
    assert search_key("Bưu chính") != search_key("Viễn thông")
    assert search_key("UBND tỉnh") == "uy ban nhan dan tinh"


def _by_table(text: str) -> str:
    """fold as the character table defines it (what the fast path of a long text must equal)."""
    from tttt_kg.graph.vietnamese import _ONE_FOR_ONE, _fold_whole
    folded = text.translate(_ONE_FOR_ONE)
    return folded if len(folded) == len(text) else _fold_whole(text)


def test_every_character_whose_lower_case_has_a_byte_folds_as_that_byte_says():
    """What fold's fast path for long texts relies on, for every code point of this Python's Unicode."""
    import codecs

    from tttt_kg.graph.vietnamese import _BYTES_OF, _FOLD_OF_BYTE, _MARKS_KEPT, _ONE_FOR_ONE
    wrong, with_byte = [], 0
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        lower = chr(code).lower()
        if len(lower) != 1:
            continue
        try:
            byte = codecs.charmap_encode(lower, "strict", _BYTES_OF)[0][0]
        except UnicodeEncodeError:
            continue
        with_byte += 1
        folded = _ONE_FOR_ONE[code] if _FOLD_OF_BYTE[byte] == 1 else chr(_FOLD_OF_BYTE[byte])
        if folded != _ONE_FOR_ONE[code] or len(folded) != 1:
            wrong.append(hex(code))
    assert wrong == [] and with_byte > 300
    assert all(len(_ONE_FOR_ONE[ord(m)]) == 1 for m in _MARKS_KEPT)


def test_long_texts_fold_as_the_table_says():
    import random

    from tttt_kg.graph.vietnamese import _MARKS_KEPT, fold
    rnd = random.Random(7)
    pieces = ["Quyết định", "SỞ THÔNG TIN", "Đài", "đ", "Ủy ban", " ", "\n", "\x01", "Σ", "ς", "e\u0301", "\u0301",
              "İ", "ﬁ", "Å", "K", "ß", "“", "…", "—", "Ω", "½", "日本", "\U0001d400", *_MARKS_KEPT]
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(60, 200)))
        assert fold(text) == _by_table(text)
    seed = "Sở Thông tin và Truyền thông “tỉnh” Hải Dương — năm 2008… " * 20
    assert fold(seed) == _by_table(seed) and fold(seed).startswith("so thong tin va truyen thong \u201ctinh\u201d")
