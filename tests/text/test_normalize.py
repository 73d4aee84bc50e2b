from rasd.text.normalize import normalize, normalize_key, normalize_with_map


def test_folds_hamza_alef_maqsura_ta_marbuta_and_digits():
    assert normalize("إيران") == "ايران"
    assert normalize("أربيل") == "اربيل"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("المنطقة") == "المنطقه"
    assert normalize("مسؤول") == "مسوول"
    assert normalize("٢٧ قتيلاً") == "27 قتيلا"


def test_drops_tatweel_and_diacritics_keeping_a_map_to_original_offsets():
    text = "قُتِلَ جـنـود في بغداد"
    norm, index = normalize_with_map(text)
    assert norm == "قتل جنود في بغداد"
    start = norm.index("بغداد")
    end = start + len("بغداد")
    assert text[index[start] : index[end]] == "بغداد"
    # the last entry maps an end offset at the very end of the text
    assert index[len(norm)] == len(text)


def test_key_is_punctuation_free():
    assert normalize_key('"خلية الإعلام الأمني"،') == "خليه الاعلام الامني"
