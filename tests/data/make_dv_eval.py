"""Writes dv_eval.jsonl: the DY-DV evaluation corpus, built from dv_eval_templates.py and the
packs' lexicons (`lexicons:`), split by template into "train" and "test".

Run `python tests/data/make_dv_eval.py` (PYTHONPATH=src); the seed is fixed. Each line:
{"text", "label", "kind", "market", "lang", "technique", "template", "split"}. Labels come from
how a text was built, never from a detector. The last template of each (technique, language)
list goes to the test split, the others to train; fillers (products, names, streets) are split
the same way, so no test text shares a template or a filler with a training text.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dv_eval_templates import EXTRA_NEGATIVE, EXTRA_POSITIVE, NEGATIVE, POSITIVE

from shopwarden.service.policies import load_builtin_packs

SEED = 20261204
OUT = Path(__file__).with_name("dv_eval.jsonl")
MARKET_LANGS = {
    "CN": ("zh",), "TH": ("th", "en"), "VN": ("vi", "en"), "MY": ("ms", "en", "zh"), "ID": ("id", "en"),
    "PH": ("tl", "en"), "SG": ("en", "zh"), "US": ("en",), "UK": ("en",), "EU": ("en",),
}  # fmt: skip
IBAN_COUNTRIES = {"EU": ("DE", "FR", "NL", "ES", "IT"), "UK": ("GB",)}
GOODS = {
    "zh": ["连衣裙", "蓝牙耳机", "保温杯", "面膜", "运动鞋", "手机壳", "羽绒服", "口红"],
    "en": ["dress", "earbuds", "water bottle", "face mask", "sneakers", "phone case", "jacket", "lipstick"],
    "th": ["ชุดเดรส", "หูฟัง", "กระติกน้ำ", "มาสก์หน้า", "รองเท้า", "เคสมือถือ", "เสื้อแจ็คเก็ต", "ลิปสติก"],
    "vi": ["váy", "tai nghe", "bình giữ nhiệt", "mặt nạ", "giày", "ốp điện thoại", "áo khoác", "son môi"],
    "ms": ["baju kurung", "earphone", "botol air", "topeng muka", "kasut", "sarung telefon", "jaket", "gincu"],
    "id": ["gamis", "earphone", "tumbler", "masker wajah", "sepatu", "casing HP", "jaket", "lipstik"],
    "tl": ["damit", "earphones", "tumbler", "face mask", "sapatos", "phone case", "jacket", "lipstick"],
}  # fmt: skip
STREETS = {
    "th": ["ถนนสุขุมวิท ซอย 11 กรุงเทพ", "ถนนนิมมานเหมินท์ เชียงใหม่", "ถนนพระราม 4 กรุงเทพ", "ถนนเพชรบุรี ราชเทวี"],
    "vi": ["số 12 Lê Lợi, Quận 1, TP.HCM", "45 Hàng Bông, Hoàn Kiếm, Hà Nội", "88 Nguyễn Trãi, Quận 5", "23 Trần Phú, Đà Nẵng"],
    "ms": ["No 5, Jalan Bukit Bintang, KL", "Lot 12, Jalan Tun Razak, KL", "23 Jalan SS2/24, Petaling Jaya", "7 Jalan Dato Onn, Johor Bahru"],
    "id": ["Jl. Sudirman No. 10, Jakarta", "Jl. Malioboro 45, Yogyakarta", "Jl. Asia Afrika 8, Bandung", "Jl. Pemuda 21, Surabaya"],
    "tl": ["123 Rizal Ave, Manila", "45 Ayala Ave, Makati", "7 Colon St, Cebu City", "88 Taft Ave, Pasay"],
    "en": ["221 Oxford Street, London", "45 Main St, Springfield", "12 Orchard Road, #03-15", "Kaiserstraße 10, Frankfurt"],
}  # fmt: skip
GREET = {
    "zh": ["", "亲，", "您好，", "宝子，", "在的，", "哈喽，"], "en": ["", "Hi, ", "Hello! ", "Hey, ", "Dear customer, ", "Thanks! "],
    "th": ["", "สวัสดีค่ะ ", "ค่ะ ", "ขอบคุณค่ะ ", "คุณลูกค้า ", "ครับ "], "vi": ["", "Chào bạn, ", "Dạ ", "Shop chào ", "Cảm ơn bạn, ", "Bạn ơi, "],
    "ms": ["", "Hai, ", "Salam, ", "Terima kasih, ", "Tuan/puan, ", "Boss, "], "id": ["", "Halo kak, ", "Hai, ", "Makasih kak, ", "Gan, ", "Sis, "],
    "tl": ["", "Hi po, ", "Salamat po, ", "Hello po! ", "Ma'am/Sir, ", "Uy, "],
}  # fmt: skip
ENDS = ["", "", " 🙏", " ❤", "!", " 😊", " ~", " :)"]
NICK_WORDS = ["lulu", "coco", "sunny", "mimi", "kiki", "bella", "nana", "joy", "luna", "momo", "tina", "vivi"]
NICK_TAILS = ["beauty", "closet", "store", "house", "official", "shop", "mall", "corner"]
PHONES = {
    "CN": lambda r: r.choice(["138", "139", "150", "186", "177"]) + _d(r, 8),
    "TH": lambda r: "0" + r.choice("689") + _d(r, 1) + "-" + _d(r, 3) + "-" + _d(r, 4),
    "VN": lambda r: "0" + r.choice(["90", "91", "98", "97", "86", "32", "35"]) + " " + _d(r, 3) + " " + _d(r, 4),
    "MY": lambda r: "01" + r.choice("23679") + "-" + _d(r, 3) + " " + _d(r, 4),
    "ID": lambda r: "08" + r.choice(["12", "13", "21", "52", "57", "77"]) + "-" + _d(r, 4) + "-" + _d(r, 4),
    "PH": lambda r: "09" + r.choice(["17", "18", "27", "47", "56", "98"]) + " " + _d(r, 3) + " " + _d(r, 4),
    "SG": lambda r: r.choice("89") + _d(r, 3) + " " + _d(r, 4),
    "US": lambda r: f"({r.choice('2345678')}{_d(r, 2)}) {r.choice('2345678')}{_d(r, 2)}-{_d(r, 4)}",
    "UK": lambda r: "07" + r.choice("4589") + _d(r, 2) + " " + _d(r, 6),
    "EU": lambda r: r.choice(["+49 15", "+33 6", "+34 6", "+39 3"]) + _d(r, 1) + " " + _d(r, 7),
}
REGIONS = {"CN": ("CN",), "TH": ("TH",), "VN": ("VN",), "MY": ("MY",), "ID": ("ID",), "PH": ("PH",), "SG": ("SG",),
           "US": ("US",), "UK": ("GB",), "EU": ("DE", "FR", "ES", "IT")}  # fmt: skip


def _d(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def iban(r: random.Random, country: str) -> str:
    bban = _d(r, 18 if country != "GB" else 4) if country != "GB" else "NWBK" + _d(r, 14)
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - number % 97
    raw = f"{country}{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def split_of(index: int, count: int) -> str:
    return "test" if index == count - 1 else "train"


def _pool(items: list[str], split: str) -> list[str]:
    """Fillers split like templates: even positions train, odd ones test."""
    return items[0 if split == "train" else 1 :: 2]


def fill(template: str, market: str, lang: str, split: str, lex, r: random.Random) -> str:
    handle = r.choice(NICK_WORDS) + r.choice(["_", "", "."]) + _d(r, r.choice([2, 3, 4]))
    nick = r.choice(_pool(NICK_WORDS, split)).capitalize() + " " + r.choice(_pool(NICK_TAILS, split)).capitalize()
    values = {
        "app": r.choice(lex.messengers.names), "mkt": r.choice(lex.marketplaces.names),
        "wallet": r.choice(lex.wallets.names), "bank": r.choice(lex.banks.names),
        "handle": handle, "sp_handle": " ".join(handle), "rev_handle": handle[::-1], "ml_handle": "\n".join([handle[:3], handle[3:6], handle[6:]]),
        "phone": PHONES[market](r), "acct": "-".join([_d(r, 3), _d(r, 3), _d(r, 4)]) if r.random() < 0.5 else _d(r, r.choice([10, 12, 13])),
        "iban": iban(r, r.choice(IBAN_COUNTRIES.get(market, ("DE",)))), "group": _d(r, r.choice([8, 9, 10])),
        "nick": nick, "addr": r.choice(_pool(STREETS.get(lang, STREETS["en"]), split)),
        "goods": r.choice(_pool(GOODS[lang], split)), "phone_like": _d(r, 5),
    }  # fmt: skip
    return r.choice(_pool(GREET[lang], split)) + template.format(**values) + r.choice(_pool(ENDS, split))


def rows() -> list[dict]:
    r = random.Random(SEED)
    lexicons = {}
    for pack in load_builtin_packs().values():
        if pack.lexicons:
            lexicons.update(pack.lexicons.markets)
    out = []
    for label, table, reps in ((True, POSITIVE, 4), (False, NEGATIVE, 14)):
        for technique, by_lang in table.items():
            for lang, templates in by_lang.items():
                for i, template in enumerate(templates):
                    split = split_of(i, len(templates))
                    for market, langs in MARKET_LANGS.items():
                        if lang not in langs or (technique == "iban" and market not in IBAN_COUNTRIES):
                            continue
                        for _ in range(reps if lang == langs[0] else max(1, reps // 3)):
                            text = fill(template, market, lang, split, lexicons[market], r)
                            kind = "listing" if technique in {"offline_store", "product_feature", "lookalike", "neutral"} else "message"
                            out.append({"text": text, "label": label, "kind": kind, "market": market, "lang": lang,
                                        "technique": technique, "template": f"{technique}.{lang}.{i}", "split": split})  # fmt: skip
    out.extend(extra_rows(lexicons))
    return list({row["text"]: row for row in out}.values())


def extra_rows(lexicons) -> list[dict]:
    """The training-only templates (EXTRA_*), filled from their own random stream after the
    others, so adding them leaves every test text as it was."""
    r = random.Random(SEED + 1)
    out = []
    for label, table, reps in ((True, EXTRA_POSITIVE, 4), (False, EXTRA_NEGATIVE, 6)):
        for technique, by_lang in table.items():
            for lang, templates in by_lang.items():
                for i, template in enumerate(templates):
                    for market, langs in MARKET_LANGS.items():
                        if lang not in langs:
                            continue
                        for _ in range(reps if lang == langs[0] else max(1, reps // 3)):
                            text = fill(template, market, lang, "train", lexicons[market], r)
                            kind = "listing" if technique in {"offline_store", "product_feature", "lookalike", "neutral"} else "message"
                            out.append({"text": text, "label": label, "kind": kind, "market": market, "lang": lang,
                                        "technique": technique, "template": f"{technique}.{lang}.x{i}", "split": "train"})  # fmt: skip
    return out


def main() -> None:
    data = rows()
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in data), encoding="utf-8")
    negatives = sum(not row["label"] for row in data)
    print(f"{len(data)} rows, {negatives} hard negatives ({negatives / len(data):.0%}), test {sum(row['split'] == 'test' for row in data)}")


if __name__ == "__main__":
    main()
