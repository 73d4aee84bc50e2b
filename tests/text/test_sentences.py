from rasd.text.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_splits_on_arabic_punctuation_and_line_breaks():
    text = "سقط صاروخ في بغداد. هل تبدأ الحرب؟ لم يسفر عن خسائر؛ وانطلقت صافرات الإنذار!\nالرد سيكون قاس"
    assert _sentences(text) == [
        "سقط صاروخ في بغداد.",
        "هل تبدأ الحرب؟",
        "لم يسفر عن خسائر؛",
        "وانطلقت صافرات الإنذار!",
        "الرد سيكون قاس",
    ]


def test_does_not_split_inside_quotes_or_numbers():
    text = 'وقال أحد المصادر للصحيفة "لم يكن الاجتماع دعوة لحمل السلاح. ولكنه لم يكن بعيداً عن ذلك". وارتفع المؤشر 3.5 نقطة.'
    assert _sentences(text) == [
        'وقال أحد المصادر للصحيفة "لم يكن الاجتماع دعوة لحمل السلاح. ولكنه لم يكن بعيداً عن ذلك".',
        "وارتفع المؤشر 3.5 نقطة.",
    ]
    assert len(_sentences("قال «هل تبدأ الحرب؟ لا أحد يعرف» ثم غادر.")) == 1


def test_offsets_trim_whitespace():
    text = "  جملة أولى.   جملة ثانية.  "
    assert [text[s:e] for s, e in split_sentences(text)] == ["جملة أولى.", "جملة ثانية."]
