from rasd.text.romanize import romanize


def test_names_get_a_readable_gloss():
    assert romanize("دلشاد مولود") == "Dlshad Mulud"
    assert romanize("نور الدين ديمرتاش") == "Nur al-Din Dimrtash"
    assert romanize("محمد علاونة") == "Mhmd 'Lawna"
    assert romanize("بِعشيقة") == "B'shiqa"  # diacritics are dropped


def test_digits_pass_through_and_the_article_is_hyphenated():
    assert romanize("اللواء 15 مشاة") == "al-Lua' 15 Mshaa"
