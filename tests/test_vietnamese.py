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
