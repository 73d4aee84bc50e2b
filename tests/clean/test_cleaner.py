"""Cleaning rules on real scraped text (the seed) and on outlets' furniture in the corpus style."""

from __future__ import annotations

from rasd.clean import clean_text
from rasd.text.normalize import normalize_key

FURNITURE = ["التعليقات (0)", "الأكثر قراءة", "أهم المواضيع", "أهم التصنيفات"]


def test_seed_headline_once_body_without_furniture(seed_path, dev_gold):
    title, body, dropped = clean_text(seed_path.read_text(encoding="utf-8"))
    gold = dev_gold["seed-baghdad-rocket"]
    assert normalize_key(title) == normalize_key(gold["title"])
    assert normalize_key(title) not in normalize_key(body)
    for line in FURNITURE:
        assert line not in body
    assert body.split() == gold["body"].split()
    assert "الرد سيكون قاس" in body  # a sub-heading inside the article stays
    assert {d.rule for d in dropped} >= {"repeated_headline", "comment_counter", "lone_number", "most_read", "emoji_menu"}


def test_outlet_furniture_goes_but_datelines_stay():
    raw = (
        " عين اليوم – بغداد\n اعلنت قيادة الشرطة الاتحادية العراقية اليوم، عن صد هجوم شنه تنظيم داعش في حصيبة شرقي الرمادي."
        " سمات الرمادي داعش هجوم مسلح "
    )
    _, body, dropped = clean_text(raw, title="صد هجوم مسلح لداعش شرقي الرمادي")
    assert body.startswith("عين اليوم – بغداد")
    assert body.endswith("شرقي الرمادي.")
    assert [d.rule for d in dropped] == ["tag_list_tail"]


def test_link_back_more_and_share_widgets():
    _, body, _ = clean_text(
        " شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك أكد الأمير أن كل من يحاول العبث بأمن المملكة سيجد الرد.\n"
        "رابط الخبر بصحيفة الوئام: غارات على قاعدة عسكرية للحوثيين بزنجبار",
        title="عنوان",
    )
    assert body == "أكد الأمير أن كل من يحاول العبث بأمن المملكة سيجد الرد."
    _, body, _ = clean_text("قال بيكار إنهم يتلقون أسلحة على الجانب الآخر من الحدود.\n\n ...المزيد", title="عنوان")
    assert body.endswith("من الحدود.")
    _, body, _ = clean_text("سبق- وكالات: قتل 3 في هجوم.\n// انتهى //\nللتواصل مع الكاتب ارسل رسالة SMS", title="عنوان")
    assert body == "سبق- وكالات: قتل 3 في هجوم."


def test_short_real_paragraphs_are_not_eaten():
    text = "سليماني يوكل الحرب للميليشيات\n\nوقتل 3 أشخاص.\n\nتعليقات المسؤولين جاءت متأخرة بعد ساعات من الهجوم على الموكب\n\nالقسم الشمالي من المدينة تعرض لقصف عنيف استمر طوال الليل وحتى ساعات الصباح الأولى من يوم الأحد"
    _, body, dropped = clean_text(text, title="عنوان")
    assert body == text
    assert dropped == []


def test_title_given_and_repeated_in_body_appears_once():
    title, body, _ = clean_text("سقوط صاروخ قرب السفارة\nأفادت وكالات أنباء بسقوط صاروخ.", title="سقوط صاروخ قرب السفارة")
    assert title == "سقوط صاروخ قرب السفارة" and body == "أفادت وكالات أنباء بسقوط صاروخ."


def test_dev_bodies_match_gold(dev_input_path, dev_gold):
    import json

    for line in dev_input_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        title, body, _ = clean_text(record["text"], title=record["title"])
        gold = dev_gold[record["id"]]
        assert normalize_key(title) == normalize_key(gold["title"]), record["id"]
        assert body.split() == gold["body"].split(), record["id"]
