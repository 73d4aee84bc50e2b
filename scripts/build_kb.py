#!/usr/bin/env python3
"""Build the generated KB tables in src/rasd/data/kb/ (see that directory's README.md).

Writes two files; `actors_curated.tsv` is hand-maintained and never written here:

* `actors_states.tsv`: the standard bodies of every state of the region and the
  main outside powers (military, police, ministries, intelligence, government...),
  expanded from the country table below with Arabic adjective templates.
* `actors_petrarch.tsv`: people of the region taken from the Open Event Data
  Alliance's Arabic PETRARCH actor dictionary (MIT), titles stripped, CAMEO codes
  mapped to country/kind, English names transliterated by rule. Only names whose
  every word is in the name table below (or that occur in the SaudiNewsNet corpus)
  are kept: a reviewed, smaller list beats a big noisy one.

Curated entries win: any alias a curated entry claims is removed from generated
entries, and a generated entry left without aliases is dropped.

Usage:
    .venv/bin/python scripts/build_kb.py [--shared ../shared/data] [--no-corpus]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rasd.analyze.kb import COLUMNS, read_tsv  # noqa: E402
from rasd.text.normalize import normalize_key  # noqa: E402

KB_DIR = REPO / "src" / "rasd" / "data" / "kb"

# ----------------------------------------------------------------------------------------------
# States. code, English name, English adjective, Arabic names, Arabic adjective stems (masc.;
# the feminine adds ة), monarchy?, has a prime minister?
COUNTRIES: list[tuple[str, str, str, list[str], list[str], bool, bool]] = [
    ("IQ", "Iraq", "Iraqi", ["العراق"], ["عراقي"], False, True),
    ("SY", "Syria", "Syrian", ["سوريا", "سورية"], ["سوري"], False, True),
    ("YE", "Yemen", "Yemeni", ["اليمن"], ["يمني"], False, True),
    ("LB", "Lebanon", "Lebanese", ["لبنان"], ["لبناني"], False, True),
    ("PS", "Palestine", "Palestinian", ["فلسطين"], ["فلسطيني"], False, True),
    ("IL", "Israel", "Israeli", ["إسرائيل"], ["إسرائيلي"], False, True),
    ("LY", "Libya", "Libyan", ["ليبيا"], ["ليبي"], False, True),
    ("EG", "Egypt", "Egyptian", ["مصر"], ["مصري"], False, True),
    ("TR", "Turkey", "Turkish", ["تركيا"], ["تركي"], False, True),
    ("IR", "Iran", "Iranian", ["إيران"], ["إيراني"], False, False),
    ("SA", "Saudi Arabia", "Saudi", ["السعودية", "المملكة العربية السعودية"], ["سعودي"], True, False),
    ("AE", "United Arab Emirates", "Emirati", ["الإمارات", "الإمارات العربية المتحدة"], ["إماراتي"], False, True),
    ("QA", "Qatar", "Qatari", ["قطر"], ["قطري"], True, True),
    ("KW", "Kuwait", "Kuwaiti", ["الكويت"], ["كويتي"], True, True),
    ("BH", "Bahrain", "Bahraini", ["البحرين"], ["بحريني"], True, True),
    ("OM", "Oman", "Omani", ["عمان", "سلطنة عمان"], ["عماني"], True, False),
    ("JO", "Jordan", "Jordanian", ["الأردن"], ["أردني"], True, True),
    ("SD", "Sudan", "Sudanese", ["السودان"], ["سوداني"], False, True),
    ("TN", "Tunisia", "Tunisian", ["تونس"], ["تونسي"], False, True),
    ("DZ", "Algeria", "Algerian", ["الجزائر"], ["جزائري"], False, True),
    ("MA", "Morocco", "Moroccan", ["المغرب"], ["مغربي"], True, True),
    ("SO", "Somalia", "Somali", ["الصومال"], ["صومالي"], False, True),
    ("AF", "Afghanistan", "Afghan", ["أفغانستان"], ["أفغاني"], False, False),
    ("PK", "Pakistan", "Pakistani", ["باكستان"], ["باكستاني"], False, True),
    ("US", "the United States", "US", ["الولايات المتحدة", "أمريكا", "أميركا"], ["أمريكي", "أميركي"], False, False),
    ("RU", "Russia", "Russian", ["روسيا"], ["روسي"], False, False),
    ("GB", "the United Kingdom", "British", ["بريطانيا", "المملكة المتحدة"], ["بريطاني"], True, True),
    ("FR", "France", "French", ["فرنسا"], ["فرنسي"], False, True),
    ("DE", "Germany", "German", ["ألمانيا"], ["ألماني"], False, False),
    ("IT", "Italy", "Italian", ["إيطاليا"], ["إيطالي"], False, True),
    ("CN", "China", "Chinese", ["الصين"], ["صيني"], False, False),
    ("CA", "Canada", "Canadian", ["كندا"], ["كندي"], False, True),
    ("AU", "Australia", "Australian", ["أستراليا"], ["أسترالي"], False, True),
    ("NL", "the Netherlands", "Dutch", ["هولندا"], ["هولندي"], False, True),
    ("BE", "Belgium", "Belgian", ["بلجيكا"], ["بلجيكي"], False, True),
    ("DK", "Denmark", "Danish", ["الدنمارك"], ["دنماركي"], False, True),
    ("ES", "Spain", "Spanish", ["إسبانيا"], ["إسباني"], False, True),
    ("GR", "Greece", "Greek", ["اليونان"], ["يوناني"], False, True),
    ("CY", "Cyprus", "Cypriot", ["قبرص"], ["قبرصي"], False, False),
    ("ER", "Eritrea", "Eritrean", ["إريتريا"], ["إريتري"], False, False),
    ("DJ", "Djibouti", "Djiboutian", ["جيبوتي"], ["جيبوتي"], False, True),
    ("ET", "Ethiopia", "Ethiopian", ["إثيوبيا"], ["إثيوبي"], False, True),
    ("IN", "India", "Indian", ["الهند"], ["هندي"], False, True),
    ("AZ", "Azerbaijan", "Azerbaijani", ["أذربيجان"], ["أذربيجاني"], False, True),
    ("AM", "Armenia", "Armenian", ["أرمينيا"], ["أرميني"], False, True),
    ("MR", "Mauritania", "Mauritanian", ["موريتانيا"], ["موريتاني"], False, True),
    ("SS", "South Sudan", "South Sudanese", ["جنوب السودان"], ["جنوب سوداني"], False, False),
    ("TD", "Chad", "Chadian", ["تشاد"], ["تشادي"], False, True),
    ("KR", "South Korea", "South Korean", ["كوريا الجنوبية"], ["كوري جنوبي"], False, True),
    ("JP", "Japan", "Japanese", ["اليابان"], ["ياباني"], False, True),
]

# Official names where annotators use them instead of the ACLED label.
MIL_NAMES = {
    "IL": "Israel Defense Forces", "TR": "Turkish Armed Forces", "US": "US Military",
    "SY": "Syrian Arab Army", "IQ": "Iraqi Army", "SA": "Saudi Armed Forces", "EG": "Egyptian Armed Forces",
    "LB": "Lebanese Army", "JO": "Jordanian Armed Forces", "YE": "Yemeni Army", "IR": "Iranian Army",
    "RU": "Russian Armed Forces", "GB": "British Armed Forces", "FR": "French Armed Forces",
}
POLICE_NAMES = {"IL": "Israel Police", "TR": "Turkish National Police", "IQ": "Iraqi Police"}
# Other usual English names and well-known metonyms, by generated id.
NAME_OVERRIDES = {
    "org:mod-us": "US Department of Defense", "org:mofa-us": "US Department of State",
    "org:moi-us": "US Department of Homeland Security", "org:presidency-us": "White House",
    "org:intel-us": "US Intelligence", "org:presidency-ru": "Kremlin", "org:presidency-fr": "Élysée Palace",
    "org:mofa-gb": "Foreign Office (UK)", "org:mod-gb": "Ministry of Defence (UK)",
    "org:pm-office-gb": "Downing Street", "org:presidency-tr": "Turkish Presidency",
    "org:pm-office-tr": "Turkish Prime Minister's Office", "org:mod-ru": "Russian Ministry of Defence",
}
EXTRA_ALIASES = {
    "org:mod-us": ["البنتاغون", "البنتاجون", "وزارة الدفاع الأمريكية البنتاغون"],
    "org:mofa-us": ["وزارة الخارجية الأمريكية", "الخارجية الأميركية"],
    "org:presidency-us": ["البيت الأبيض", "الإدارة الأمريكية", "الإدارة الأميركية"],
    "org:presidency-ru": ["الكرملين"], "org:presidency-fr": ["الإليزيه", "قصر الإليزيه"],
    "org:pm-office-gb": ["داونينغ ستريت"], "org:presidency-eg": ["قصر الاتحادية"],
    "org:presidency-tr": ["القصر الرئاسي التركي"], "org:mil-il": ["جيش الاحتلال", "قوات الاحتلال",
    "جيش الاحتلال الإسرائيلي", "قوات الاحتلال الإسرائيلي", "الجيش الإسرائيلي"],
    "org:police-il": ["شرطة الاحتلال", "شرطة الاحتلال الإسرائيلي"],
    "org:gov-il": ["سلطات الاحتلال", "حكومة الاحتلال", "سلطات الاحتلال الإسرائيلي"],
    "org:mil-sy": ["الجيش العربي السوري", "قوات الجيش العربي السوري"],
    "org:mil-tr": ["هيئة الأركان التركية", "رئاسة الأركان التركية"],
    "org:mil-ir": ["الجيش الإيراني"],
}
# ACLED writes "Military Forces of the United States" but "Military Forces of Turkey".

# Bodies: (slug, kind, English template, ACLED template, parent slug, Arabic templates).
# In the Arabic templates {A} is the masculine adjective with ال (العراقي), {F} the feminine
# (العراقية), {f} the feminine without ال ("طائرات عراقية": aircraft of no named unit, still
# the state's) and {N} the country name (العراق).
BODIES: list[tuple[str, str, str, str, str, list[str]]] = [
    ("gov", "government", "Government of {C}", "Government of {C}", "",
     ["الحكومة {F}", "حكومة {N}", "السلطات {F}"]),
    ("mod", "ministry", "Ministry of Defence ({C})", "Government of {C}", "gov",
     ["وزارة الدفاع {F}"]),
    ("moi", "ministry", "Ministry of Interior ({C})", "Government of {C}", "gov",
     ["وزارة الداخلية {F}", "الداخلية {F}"]),
    ("mofa", "ministry", "Ministry of Foreign Affairs ({C})", "Government of {C}", "gov",
     ["وزارة الخارجية {F}", "الخارجية {F}"]),
    ("moh", "ministry", "Ministry of Health ({C})", "Government of {C}", "gov",
     ["وزارة الصحة {F}"]),
    ("mil", "military", "Military Forces of {C}", "Military Forces of {C}", "mod",
     ["الجيش {A}", "القوات {F}", "القوات المسلحة {F}", "جيش {N}", "الجيش {A} النظامي", "قوات الجيش {A}"]),
    ("army", "military", "{J} Ground Forces", "Military Forces of {C}", "mil",
     ["القوات البرية {F}", "المدفعية {F}", "مدفعية {f}", "الدبابات {F}", "دبابات {f}"]),
    ("airforce", "military", "{J} Air Force", "Military Forces of {C}", "mil",
     ["سلاح الجو {A}", "القوات الجوية {F}", "الطيران {A}", "الطيران الحربي {A}", "المقاتلات {F}",
      "المقاتلات الحربية {F}", "الطائرات {F}", "الطائرات الحربية {F}", "المروحيات {F}",
      "طائرات {f}", "طائرات حربية {f}", "مقاتلات {f}", "مقاتلات حربية {f}", "مروحيات {f}"]),
    ("navy", "military", "{J} Navy", "Military Forces of {C}", "mil",
     ["القوات البحرية {F}", "البحرية {F}", "سلاح البحرية {A}"]),
    ("special-forces", "military", "{J} Special Forces", "Military Forces of {C}", "mil",
     ["القوات الخاصة {F}"]),
    ("border-guard", "military", "{J} Border Guard", "Military Forces of {C}", "mil",
     ["حرس الحدود {A}", "قوات حرس الحدود {F}"]),
    ("police", "police", "Police Forces of {C}", "Police Forces of {C}", "moi",
     ["الشرطة {F}", "قوات الشرطة {F}", "شرطة {N}"]),
    ("security", "police", "Security Forces of {C}", "Police Forces of {C}", "moi",
     ["قوات الأمن {F}", "الأجهزة الأمنية {F}", "السلطات الأمنية {F}", "الأمن {A}"]),
    ("civil-defence", "emergency", "Civil Defence ({C})", "", "moi",
     ["الدفاع المدني {A}"]),
    ("coast-guard", "military", "{J} Coast Guard", "Military Forces of {C}", "mil",
     ["خفر السواحل {A}"]),
    ("intel", "intelligence", "{J} Intelligence", "Military Forces of {C}", "gov",
     ["المخابرات {F}", "الاستخبارات {F}", "جهاز المخابرات {A}"]),
    ("parliament", "government", "Parliament of {C}", "", "",
     ["البرلمان {A}", "مجلس النواب {A}"]),
    ("embassy", "government", "Embassy of {C}", "", "mofa",
     ["السفارة {F}", "سفارة {N}"]),
]
HEAD_OF_STATE = ("presidency", "government", "Presidency of {C}", "Government of {C}", "gov",
                 ["الرئاسة {F}", "رئاسة الجمهورية {F}", "الرئيس {A}"])
ROYAL_COURT = ("royal-court", "government", "Royal Court ({C})", "Government of {C}", "gov",
               ["الديوان الملكي {A}", "العاهل {A}", "الملك {A}"])
PM_OFFICE = ("pm-office", "government", "Office of the Prime Minister ({C})", "Government of {C}", "gov",
             ["رئاسة الوزراء {F}", "رئاسة الحكومة {F}", "رئيس الوزراء {A}", "رئيس الحكومة {A}"])


def _with_al(adj: str) -> str:
    # "جنوب سوداني" → "جنوب السوداني" is wrong; multiword adjectives take ال on each word.
    return " ".join("ال" + w for w in adj.split())


def state_entries() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for code, name, adj_en, names_ar, adjs_ar, monarchy, has_pm in COUNTRIES:
        c = code.lower()
        bodies = list(BODIES)
        if code not in ("GB",):  # the UK's head of state is not a political actor
            bodies.append(ROYAL_COURT if monarchy else HEAD_OF_STATE)
        if has_pm:
            bodies.append(PM_OFFICE)
        for slug, kind, en, acled, parent, templates in bodies:
            aliases: list[str] = []
            for tmpl in templates:
                for adj in adjs_ar:
                    for n in names_ar:
                        a = tmpl.format(A=_with_al(adj), F=_with_al(adj) + "ة" if " " not in adj
                                        else " ".join("ال" + w + "ة" for w in adj.split()),
                                        f=" ".join(w + "ة" for w in adj.split()), N=n)
                        if a not in aliases:
                            aliases.append(a)
            # "Ministry of Health (United States)", but "Government of the United States".
            english = en.format(C=name.removeprefix("the ") if "({C})" in en else name, J=adj_en)
            if slug == "mil" and code in MIL_NAMES:
                english = MIL_NAMES[code]
            if slug == "police" and code in POLICE_NAMES:
                english = POLICE_NAMES[code]
            english = english[0].upper() + english[1:]
            id_ = f"org:{slug}-{c}"
            english = NAME_OVERRIDES.get(id_, english)
            aliases += [a for a in EXTRA_ALIASES.get(id_, []) if a not in aliases]
            rows.append({
                "id": id_, "type": "ORG", "kind": kind, "name_en": english,
                "acled": acled.format(C=name), "aliases_ar": "|".join(aliases), "country": code,
                "parent": f"org:{parent}-{c}" if parent else "", "role": "",
            })
    return rows


# ----------------------------------------------------------------------------------------------
# PETRARCH people.
REGION = {
    "IRQ": "IQ", "SYR": "SY", "YEM": "YE", "LBN": "LB", "PSE": "PS", "ISR": "IL", "LBY": "LY",
    "EGY": "EG", "TUR": "TR", "IRN": "IR", "SAU": "SA", "ARE": "AE", "QAT": "QA", "KWT": "KW",
    "BHR": "BH", "OMN": "OM", "JOR": "JO", "SDN": "SD", "TUN": "TN", "DZA": "DZ", "MAR": "MA",
}
# CAMEO role code → (kind, role text).
ROLES = {
    "GOV": ("person", "government official"), "MIL": ("person", "military officer"),
    "COP": ("person", "police officer"), "SPY": ("person", "intelligence official"),
    "REB": ("person", "armed group leader"), "UAF": ("person", "armed group member"),
    "OPP": ("person", "opposition figure"), "PTY": ("person", "party politician"),
    "LEG": ("person", "legislator"), "JUD": ("person", "judge"), "MED": ("person", "journalist"),
    "REL": ("person", "religious figure"), "BUS": ("person", "businessperson"),
    "HRI": ("person", "human-rights activist"), "ELI": ("person", "former official"),
    "EDU": ("person", "academic"), "CVL": ("person", "public figure"), "IGO": ("person", "official"),
}
# Leading words that are titles or descriptions, not part of the name.
TITLES = set(
    "ل رئيس وزير أمير امير ملك شيخ الشيخ جنرال لواء ركن دكتور د فريق أول اول قائد عاهل نائب سفير "
    "ولي عهد سمو سيد السيد مستشار أمين امين عام زعيم رئيسة وزيرة عقيد عميد مقدم رائد نقيب العقيد "
    "العميد اللواء الفريق الرئيس الملك الأمير الامير السلطان سلطان قاضي مفتي آية اية الله اللٰه "
    "حكومة جمهورية دولة داخلي خارجي دفاع حرب مالية إعلام اعلام ثقافة عدل نفط صحة مجلس نواب شورى "
    "سابق حاكم محافظ مدير ناطق متحدث باسم إمام امام مرشد أعلى اعلى الأعلى المرشد نجل مساعد قوة "
    "الجيش جيش المقاوم معارض".split()
)
NATIONALITY = re.compile(r"^(ال)?(عراقي|سوري|يمني|لبناني|فلسطيني|إسرائيلي|اسرائيلي|ليبي|مصري|تركي|إيراني|"
                         r"ايراني|سعودي|إماراتي|اماراتي|قطري|كويتي|بحريني|عماني|أردني|اردني|سوداني|"
                         r"تونسي|جزائري|مغربي)ة?$")
ORG_WORDS = set(
    "وزارة حزب حركة جيش قوة قوات مجلس منظمة وكالة اتحاد جامعة جبهة كتائب كتيبة لواء تنظيم شرطة سفارة "
    "نظام سلطة حكومة فريق جماعة هيئة لجنة مؤسسة شركة بنك مصرف صحيفة قناة تلفزيون إذاعة اذاعة مكتب "
    "جهاز مديرية محكمة برلمان ديوان تيار كتلة ائتلاف تحالف جمعية مركز مرصد معهد مدينة منطقة محافظة "
    "ولاية مخيم مطار ميناء سجن قاعدة دولة مملكة إمارة امارة جمهورية أمة امة شعب مسوولن مسؤول "
    "مسؤولين مصدر مصادر".split()
)

# Arabic name words → English. Kept hand-written: rule transliteration of unvowelled
# Arabic gives unreadable names, so a name is only kept when all its words are here.
NAME_WORDS = dict(
    pair.split("=") for pair in """
محمد=Mohammed محمود=Mahmoud أحمد=Ahmed احمد=Ahmed علي=Ali حسن=Hassan حسين=Hussein عمر=Omar عثمان=Othman
خالد=Khaled سعد=Saad سعيد=Said سعود=Saud فيصل=Faisal فهد=Fahd سلمان=Salman عبد=Abd الله=Allah اللٰه=Allah
عبدالله=Abdullah الرحمن=al-Rahman العزيز=al-Aziz الكريم=al-Karim الرحيم=al-Rahim المجيد=al-Majid
الحميد=al-Hamid الملك=al-Malik الحليم=al-Halim الفتاح=al-Fattah الرزاق=al-Razzaq القادر=al-Qadir
اللطيف=al-Latif الهادي=al-Hadi الإله=al-Ilah السلام=al-Salam الناصر=al-Nasser الغني=al-Ghani
الوهاب=al-Wahhab الباسط=al-Basit الجليل=al-Jalil ابراهيم=Ibrahim إبراهيم=Ibrahim اسماعيل=Ismail
إسماعيل=Ismail يوسف=Youssef يحيى=Yahya يحي=Yahya زكريا=Zakaria موسى=Musa عيسى=Issa مصطفى=Mustafa
صالح=Saleh صلاح=Salah جمال=Jamal كمال=Kamal نبيل=Nabil نبيه=Nabih وليد=Walid ماجد=Majid حمد=Hamad
حمدي=Hamdi حامد=Hamed حميد=Hamid أمين=Amin امين=Amin ناصر=Nasser نصر=Nasr منصور=Mansour هادي=Hadi
رشيد=Rashid راشد=Rashid طارق=Tariq زياد=Ziad زيد=Zaid سالم=Salem سليم=Salim سليمان=Suleiman ميشال=Michel
ميشيل=Michel سمير=Samir نجيب=Najib رفيق=Rafik الحريري=al-Hariri سعدى=Saadi نوري=Nouri المالكي=al-Maliki
جلال=Jalal طالباني=Talabani الطالباني=Talabani مسعود=Masoud بارزاني=Barzani البارزاني=Barzani
نيجيرفان=Nechirvan مقتدى=Muqtada الصدر=al-Sadr عمار=Ammar الحكيم=al-Hakim اياد=Ayad إياد=Ayad
علاوي=Allawi الجعفري=al-Jaafari ابو=Abu أبو=Abu بكر=Bakr البغدادي=al-Baghdadi حيدر=Haider
العبادي=al-Abadi هوشيار=Hoshyar زيباري=Zebari بشار=Bashar الأسد=al-Assad الاسد=al-Assad حافظ=Hafez
ماهر=Maher فاروق=Farouk الشرع=al-Sharaa المعلم=al-Muallem بثينة=Bouthaina شعبان=Shaaban رياض=Riyad
حجاب=Hijab عادل=Adel المقداد=al-Miqdad عون=Aoun بري=Berri جعجع=Geagea جنبلاط=Jumblatt تمام=Tammam
سلام=Salam ميقاتي=Mikati السنيورة=Siniora فؤاد=Fouad نصرالله=Nasrallah عباس=Abbas هنية=Haniyeh
مشعل=Meshaal مرزوق=Marzouq الزهار=al-Zahar رامي=Rami الحمد=al-Hamdallah الحمدالله=Hamdallah فياض=Fayyad
صائب=Saeb عريقات=Erekat ياسر=Yasser عرفات=Arafat دحلان=Dahlan مروان=Marwan البرغوثي=Barghouti
نتنياهو=Netanyahu بنيامين=Benjamin بنجامين=Benjamin ايهود=Ehud إيهود=Ehud باراك=Barak اولمرت=Olmert
أولمرت=Olmert شمعون=Shimon بيريز=Peres ليبرمان=Lieberman افيغدور=Avigdor أفيغدور=Avigdor موشيه=Moshe
يعالون=Yaalon ريفلين=Rivlin رؤوفين=Reuven تسيبي=Tzipi ليفني=Livni شارون=Sharon ارييل=Ariel أرييل=Ariel
معمر=Muammar القذافي=Gaddafi سيف=Saif الإسلام=al-Islam الاسلام=al-Islam حفتر=Haftar خليفة=Khalifa
السراج=al-Sarraj فايز=Fayez عقيلة=Aguila الثني=al-Thani عبدالفتاح=Abdel-Fattah السيسي=el-Sisi حسني=Hosni
مبارك=Mubarak مرسي=Morsi عصام=Essam شرف=Sharaf هشام=Hisham قنديل=Qandil محلب=Mahlab شريف=Sherif
سامح=Sameh شكري=Shoukry العربي=Elaraby عمرو=Amr طنطاوي=Tantawi عنان=Anan رجب=Recep طيب=Tayyip
أردوغان=Erdogan اردوغان=Erdogan إردوغان=Erdogan داود=Davut أوغلو=oglu اوغلو=oglu غول=Gul بن=bin بنت=bint
آل=Al ال=Al نايف=Nayef مقرن=Muqrin متعب=Miteb بندر=Bandar سلطان=Sultan تركي=Turki الفيصل=al-Faisal
الجبير=al-Jubeir نواف=Nawaf الأحمد=al-Ahmad الاحمد=al-Ahmad صباح=Sabah الصباح=al-Sabah جابر=Jaber
المبارك=al-Mubarak تميم=Tamim جاسم=Jassim قابوس=Qaboos زايد=Zayed نهيان=Nahyan مكتوم=Maktoum
المكتوم=Al_Maktoum الخليفة=Al_Khalifa عبدربه=Abd_Rabbuh ربه=Rabbuh بحاح=Bahah الحوثي=al-Houthi
عبدالملك=Abdul-Malik الأحمر=al-Ahmar الاحمر=al-Ahmar محسن=Mohsen الإرياني=al-Eryani الارياني=al-Eryani
باسندوة=Basindawa الصماد=al-Sammad روحاني=Rouhani خامنئي=Khamenei الخامنئي=Khamenei ظريف=Zarif جواد=Javad
قاسم=Qasem سليماني=Soleimani احمدي=Ahmadi نجاد=Nejad أحمدي=Ahmadi رفسنجاني=Rafsanjani هاشمي=Hashemi
خاتمي=Khatami لاريجاني=Larijani أكبر=Akbar اكبر=Akbar صالحي=Salehi مهدي=Mahdi جعفر=Jaafar باقر=Baqir
كاظم=Kadhim رضا=Reza عبدالعزيز=Abdulaziz عبدالرحمن=Abdulrahman عبدالكريم=Abdulkarim عبدالحميد=Abdulhamid
عبدالمجيد=Abdulmajid عبدالقادر=Abdulqader عبداللطيف=Abdullatif عبدالسلام=Abdulsalam عبدالرحيم=Abdulrahim
عبدالهادي=Abdulhadi عبدالوهاب=Abdulwahab عبدالرزاق=Abdulrazzaq عبدالحليم=Abdulhalim
عبدالناصر=Abdel_Nasser عبدالإله=Abdulilah فاضل=Fadel فاطمة=Fatima عائشة=Aisha مريم=Maryam زينب=Zainab
ليلى=Laila سهى=Suha حنان=Hanan هدى=Huda نادية=Nadia سوزان=Suzanne ريم=Reem منى=Mona رنا=Rana لبنى=Lubna
شيخة=Sheikha هند=Hind أسماء=Asma اسماء=Asma نور=Nour أسامة=Osama اسامة=Osama لادن=Laden ايمن=Ayman
أيمن=Ayman الظواهري=al-Zawahiri الزرقاوي=al-Zarqawi مصعب=Musab الجولاني=al-Julani الشيشاني=al-Shishani
العدناني=al-Adnani البنا=al-Banna قطب=Qutb سيد=Sayyid يونس=Younis يونسي=Younesi أنور=Anwar انور=Anwar
السادات=Sadat عزت=Izzat الدوري=al-Douri طه=Taha ياسين=Yassin رمضان=Ramadan عزيز=Aziz صدام=Saddam عدي=Uday
قصي=Qusay كامل=Kamel حازم=Hazem فالح=Faleh غازي=Ghazi الياور=al-Yawar هاشم=Hashem الهاشمي=al-Hashemi
رافع=Rafi العيساوي=al-Issawi المطلك=al-Mutlaq النجيفي=al-Nujaifi اثيل=Atheel أثيل=Atheel
الجبوري=al-Jubouri خضير=Khudair الخزاعي=al-Khuzaie معصوم=Masum العامري=al-Amiri قيس=Qais
الخزعلي=al-Khazali المهندس=al-Muhandis الفياض=al-Fayyadh الحلبوسي=al-Halbousi المهدي=al-Mahdi برهم=Barham
الغنوشي=Ghannouchi السبسي=Essebsi الباجي=Beji المرزوقي=Marzouki منصف=Moncef بوتفليقة=Bouteflika
البشير=al-Bashir السيستاني=al-Sistani الأسدي=al-Asadi الساعدي=al-Saadi الزبيدي=al-Zubaidi
العبيدي=al-Obeidi الدليمي=al-Dulaimi الكربولي=al-Karbouli الشمري=al-Shammari العنزي=al-Anzi
القحطاني=al-Qahtani الغامدي=al-Ghamdi الزهراني=al-Zahrani الشهري=al-Shehri العتيبي=al-Otaibi
المطيري=al-Mutairi الدوسري=al-Dosari العسيري=al-Asiri عسيري=Asiri الحربي=al-Harbi السبيعي=al-Subaie
الشهراني=al-Shahrani التركي=al-Turki المنصور=al-Mansour الخطيب=al-Khatib الحسن=al-Hassan
الحسيني=al-Husseini الموسوي=al-Mousawi العلي=al-Ali الأمين=al-Amin الامين=al-Amin حسنين=Hasanein
الشامي=al-Shami المصري=al-Masri الليبي=al-Libi اليمني=al-Yemeni السوري=al-Souri العراقي=al-Iraqi
الكويتي=al-Kuwaiti القطري=al-Qatari التونسي=al-Tounsi الأنصاري=al-Ansari الانصاري=al-Ansari
الحلبي=al-Halabi الحمصي=al-Homsi الدمشقي=al-Dimashqi البصري=al-Basri علوش=Alloush زهران=Zahran
حسان=Hassan عبود=Aboud الجربا=al-Jarba البحرة=al-Bahra خوجة=Khoja معاذ=Moaz غسان=Ghassan هيتو=Hitto
برهان=Burhan غليون=Ghalioun جورج=George صبرا=Sabra عزام=Azzam جبريل=Jibril الرجوب=Rajoub
حمدالله=Hamdallah حواتمة=Hawatmeh شلح=Shallah النخالة=al-Nakhalah سعدات=Saadat هيثم=Haitham فرج=Faraj
توفيق=Tawfiq الطيراوي=Tirawi القدوة=al-Qudwa سامي=Sami زهري=Zuhri فوزي=Fawzi برهوم=Barhoum ضيف=Deif
السنوار=Sinwar اولمر=Olmert منوشهر=Manouchehr لحود=Lahoud حمادة=Hamadeh متقي=Mottaki متكي=Mottaki
إميل=Emile جميل=Jamil خليل=Khalil غلام=Gholam افي=Avi مازن=Mazen عاموس=Amos شكيب=Shakib فرنجية=Frangieh
زكي=Zaki رانيا=Rania فاعور=Faour جلعاد=Gilad حبيب=Habib حمود=Hamoud بلال=Bilal القاسمي=al-Qasimi
نظيف=Nazif شهاب=Shehab الحسين=al-Hussein ديختر=Dichter وائل=Wael رعد=Raad مصباح=Misbah رابين=Rabin
اسحق=Yitzhak اسحاق=Yitzhak صلوخ=Salloukh أنطوان=Antoine غانم=Ghanem بطرس=Boutros نجم=Najm زرهوني=Zerhouni
بيار=Pierre نعيم=Naim السالم=al-Salem ادريس=Idris بسام=Bassam فتحي=Fathi قباني=Qabbani تويني=Tueni
الدويك=al-Dweik قبلان=Qabalan نمر=Nimr حماد=Hammad قريع=Qurei العطية=al-Attiyah فهمي=Fahmi منير=Munir
فخري=Fakhri متري=Metri سلامة=Salameh يوسي=Yossi بيلين=Beilin صفير=Sfeir نادر=Nader جمعة=Juma عودة=Odeh
العادلي=al-Adly كريم=Karim شامير=Shamir الحاج=al-Hajj شليط=Shalit أشرف=Ashraf درويش=Darwish
الترابي=al-Turabi عاكف=Akef بلخادم=Belkhadem الوليد=al-Walid طلال=Talal صادق=Sadiq القنطار=Kuntar
التكريتي=al-Tikriti معروف=Maarouf البخيت=al-Bakhit حداد=Haddad إلياس=Elias سركيس=Sarkis سرور=Sorour
القربي=al-Qirbi المحمد=al-Mohammed إليعزر=Eliezer مشير=Mushir
""".split()
)
# "_" in a value stands for a space (ال_خليفة style keys never occur: lemmas are split on "_").
NAME_WORDS = {k: v.replace("_", " ") for k, v in NAME_WORDS.items()}


# Reviewed out of the generated list: kunya fragments, lemmatisation artefacts (الجميل → جميل
# makes Gemayel "Jamil") and names the curated table already has under another spelling.
REVIEWED_DROP = {
    "ابو فاعور", "ابو بلال", "يحيى يحيى", "إميل جميل", "بيار جميل", "سامي جميل", "خالد فيصل",
    "منصور تركي", "أحمد طيب", "محمد صباح", "يحيى ابو عمار", "نور المالكي", "طارق هاشمي",
    "محمد جواد خليفة", "بنيامين بن إليعزر",
}


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


def _english(words: list[str]) -> str | None:
    """Rule English name for Arabic name words, or None when any word is unknown."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        # عبد + divine name is one name: عبد الله → Abdullah, عبد العزيز → Abdulaziz.
        if w == "عبد" and i + 1 < len(words):
            nxt = words[i + 1]
            joined = "عبد" + nxt
            if joined in NAME_WORDS:
                out.append(NAME_WORDS[joined])
                i += 2
                continue
            if nxt.startswith("ال") and nxt in NAME_WORDS:
                out.append("Abd " + NAME_WORDS[nxt])
                i += 2
                continue
            return None
        if w not in NAME_WORDS:
            return None
        out.append(NAME_WORDS[w])
        i += 1
    if not out:
        return None
    name = " ".join(out)
    return name[0].upper() + name[1:]


def _parse_petrarch(path: Path) -> list[tuple[str, list[str]]]:
    """(lemma name, [CAMEO code with dates]) for every dictionary entry."""
    entries: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        codes = re.findall(r"\[([^\]]+)\]", line)
        if line[0] in " \t" and line.strip().startswith("["):
            if entries:
                entries[-1][1].extend(codes)
            continue
        name = line.split("[", 1)[0].strip()
        if name:
            entries.append((name, codes))
    return entries


def _latest_code(codes: list[str]) -> str:
    """The code whose date range ends last (open ranges count as current)."""
    def end(code: str) -> str:
        parts = code.split()
        if len(parts) == 1 or parts[1].startswith(">"):
            return "99999999"
        rng = parts[1].lstrip("<")
        end = rng.split("-")[-1]
        return "99999999" if end.startswith("1800") else end
    return max(codes, key=end).split()[0] if codes else ""


def _name_words(lemma: str) -> list[str]:
    words = [w for w in lemma.replace("اللٰه", "الله").split("_") if w]
    while words and (words[0] in TITLES or NATIONALITY.match(words[0])):
        words = words[1:]
    return words


def corpus_counts(path: Path, keys: set[str]) -> Counter[str]:
    """How often each normalised key occurs in the corpus (counts only: the text is CC BY-NC-SA)."""
    counts: Counter[str] = Counter()
    lengths: dict[str, set[int]] = {}  # first word → the word counts of keys starting with it
    for key in keys:
        words = key.split()
        lengths.setdefault(words[0], set()).add(len(words))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            words = normalize_key(f"{doc.get('title', '')} {doc.get('text', '')}").split()
            for i, word in enumerate(words):
                for n in lengths.get(word, ()):
                    gram = " ".join(words[i : i + n])
                    if gram in keys:
                        counts[gram] += 1
    return counts


def petrarch_entries(shared: Path, use_corpus: bool) -> list[dict[str, str]]:
    entries = _parse_petrarch(shared / "reference" / "universalpetrarch-arabic" / "actor_dict_ar_v4.txt")
    people: dict[str, dict[str, str]] = {}
    for lemma, codes in entries:
        code = _latest_code(codes)
        country = REGION.get(code[:3])
        if not country or len(code) < 6:  # a bare country code marks a place or nationality
            continue
        raw = [w for w in lemma.split("_") if w]
        if any(w in ORG_WORDS for w in raw[:2]):
            continue
        words = _name_words(lemma)
        # A lone surname or a patronymic fragment (بن سعود) is too ambiguous to be an alias.
        if len(words) < 2 or words[0] in ("بن", "ال", "آل", "ابن"):
            continue
        english = _english(words)
        if not english or " " not in english:  # عبد الله alone is one given name
            continue
        alias = " ".join(words)
        if alias in REVIEWED_DROP:
            continue
        key = normalize_key(alias)
        kind, role = ROLES.get(code[3:6], ("person", ""))
        row = people.get(key)
        if row is None:
            people[key] = {
                "id": f"per:{_slug(english)}", "type": "PER", "kind": kind, "name_en": english,
                "acled": "", "aliases_ar": alias, "country": country, "parent": "",
                "role": f"{role} ({code})" if role else code,
            }
    rows = list(people.values())
    if use_corpus:
        corpus = shared / "corpus" / "saudinewsnet.jsonl.gz"
        if corpus.exists():
            counts = corpus_counts(corpus, {normalize_key(r["aliases_ar"]) for r in rows})
            # Names the 2015 corpus mentions come first, so a reader sees the relevant ones.
            rows.sort(key=lambda r: (-counts[normalize_key(r["aliases_ar"])], r["id"]))
    return rows


# ----------------------------------------------------------------------------------------------
def _resolve(rows: list[dict[str, str]], claimed: set[str], taken_ids: set[str]) -> list[dict[str, str]]:
    """Drop aliases curated entries (or earlier rows) claim, and rows whose id is already taken."""
    out: list[dict[str, str]] = []
    for row in rows:
        aliases = [a for a in row["aliases_ar"].split("|") if normalize_key(a) not in claimed]
        if not aliases:
            continue
        if row["id"] in taken_ids:  # same English name: another spelling of a person already listed
            continue
        claimed.update(normalize_key(a) for a in aliases)
        taken_ids.add(row["id"])
        row["aliases_ar"] = "|".join(aliases)
        out.append(row)
    return out


def write_tsv(path: Path, rows: list[dict[str, str]], note: str) -> None:
    lines = [f"# {note}", "\t".join(COLUMNS)]
    lines += ["\t".join(row[c].replace("\t", " ") for c in COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--no-corpus", action="store_true", help="skip corpus counts (faster)")
    args = parser.parse_args()

    curated = read_tsv(KB_DIR / "actors_curated.tsv")
    claimed = {normalize_key(a) for e in curated for a in e.aliases}
    # A generated person whose first and last name match a curated person is that person
    # with a middle name (نوري كامل المالكي); claim those ends so the duplicate is dropped.
    ends = {(k.split()[0], k.split()[-1]) for e in curated if e.type == "PER"
            for k in map(normalize_key, e.aliases) if " " in k}
    taken = {e.id for e in curated}

    states = _resolve(state_entries(), claimed, taken)
    write_tsv(KB_DIR / "actors_states.tsv", states,
              "GENERATED by scripts/build_kb.py from its country table; edit the script, not this file.")
    people = [r for r in petrarch_entries(args.shared, not args.no_corpus)
              if (lambda k: (k.split()[0], k.split()[-1]))(normalize_key(r["aliases_ar"])) not in ends]
    people = _resolve(people, claimed, taken)
    write_tsv(KB_DIR / "actors_petrarch.tsv", people,
              "GENERATED by scripts/build_kb.py from universalpetrarch-arabic actor_dict_ar_v4.txt "
              "(MIT, Open Event Data Alliance); edit the script, not this file.")
    kinds = Counter(e.kind for e in curated)
    print(f"curated {len(curated)} {dict(kinds)}; states {len(states)}; petrarch people {len(people)}; "
          f"total {len(curated) + len(states) + len(people)}")


if __name__ == "__main__":
    main()
