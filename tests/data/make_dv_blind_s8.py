"""Writes dv_blind_s8.jsonl: a small blind DY-DV set written by hand in session 8 (issue 18) BEFORE
that session's detector changes, in phrasings of its own, each row with its market. It is never
trained on (train_dv_model.py reads dv_eval's train split and dv_corpus only) and no rule or lexicon
entry was written from its rows. Labels are what a moderator would say: positives solicit off the
platform; negatives include sentence ends that look like domains, apps named as a product's own
feature next to a product noun, identifiers that look like phone numbers, warnings and comparisons.

    python tests/data/make_dv_blind_s8.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("dv_blind_s8.jsonl")

# (market, label, text, note)
ROWS: list[tuple[str, bool, str, str]] = [
    # sentence punctuation then a capitalised word that is also a TLD: not a domain
    ("MY", False, "Thank you for the fast delivery.  My daughter loves the colour", "sentence end before 'My'"),
    ("ID", False, "Barang sudah sampai dengan selamat. Id pesanan ada di aplikasi", "sentence end before 'Id'"),
    ("SG", False, "Great quality for the price. Me and my sister bought two", "sentence end before 'Me'"),
    ("PH", False, "Ang ganda ng tela. Ph size chart po sa picture", "sentence end before 'Ph'"),
    ("US", False, "Shipping took a week. Co-workers asked where I got it", "sentence end before 'Co'"),
    ("UK", False, "Lovely soft fabric. Shop again? Definitely. Top marks", "sentence end before 'Top'"),
    # real hostnames however written: still links
    ("MY", True, "Harga lebih murah kat kedaibaju . my , order sana", "spaced domain"),
    ("US", True, "cheaper on our own site: brightnest.shop", "bare domain"),
    ("PH", True, "Order na kayo sa tindahanko . ph para may discount", "spaced domain ph"),
    # an app next to a CJK product noun, described as a feature: not a solicitation
    ("CN", False, "这款行车记录仪微信群分享视频很方便", "product noun + app group sharing feature"),
    ("CN", False, "儿童手表QQ群聊语音清晰，续航两天", "watch + QQ group chat feature"),
    ("CN", False, "平板电脑钉钉群直播上网课不卡", "tablet + DingTalk group feature"),
    ("CN", False, "蓝牙音箱微信提示音也能外放", "speaker + WeChat sound feature"),
    # an app with an identifier or instruction: a solicitation
    ("CN", True, "想要更便宜的进我QQ群 52837461", "QQ group number"),
    ("CN", True, "扫地机器人配件缺货，加微信群找群主拿货", "join WeChat group to buy"),
    # "don't order here" steers away, across sentences
    ("VN", True, "Đừng mua ở đây nha. Nhắn mình qua Zalo tina.338 giá tốt hơn", "don't buy here + zalo dotted"),
    ("PH", True, "Wag na dito bumili. I-message mo ako sa Viber: coco.271", "don't buy here tl"),
    ("ID", True, "Jangan checkout di sini ya kak. Chat aku di WA joy.5521", "don't checkout here id"),
    ("TH", True, "อย่าซื้อที่นี่เลยค่ะ แอดไลน์ nana.77 ได้ราคาส่ง", "don't buy here th"),
    ("US", True, "Please don't buy through here. Text me on Telegram at kiki.0412", "don't buy here en"),
    # genuine warnings: not solicitation
    ("VN", False, "Đừng chuyển khoản cho ai tự xưng là nhân viên shop qua Zalo nhé", "warning vi"),
    ("PH", False, "Huwag magbayad sa labas ng app, kahit may mag-message sa inyo sa Viber", "warning tl"),
    ("US", False, "Never share your bank details with anyone who messages you on WhatsApp", "warning en"),
    # identifiers that look like phone numbers, in the market languages
    ("VN", False, "Mã lô sản xuất 0912 345 678 in dưới đáy hộp", "lot code vi"),
    ("VN", False, "Số seri máy 0987654321 để bảo hành chính hãng", "serial vi"),
    ("PH", False, "Ang tracking number ng parcel ay 0917 555 1234", "tracking tl"),
    ("PH", False, "Batch code 0918-222-3344 nakalagay sa likod ng bote", "batch code tl"),
    ("US", False, "Lot number 212-555-0147 is printed under the lid", "lot number en"),
    ("TH", False, "หมายเลขล็อต 081-234-5678 อยู่ใต้กล่อง", "lot th"),
    # phones and accounts with an instruction: positives
    ("VN", True, "Gọi mình 0912 345 678 để được tư vấn size", "phone vi"),
    ("PH", True, "Text mo ako 0917 555 1234 para sa ibang kulay", "phone tl"),
    # comparisons with other marketplaces: not steering
    ("PH", False, "Kapareho lang ng nabili ko sa Lazada pero mas maganda ang tahi dito", "comparison tl"),
    ("VN", False, "Giống hệt cái mình mua trên Shopee nhưng ở đây rẻ hơn", "comparison vi"),
    ("ID", False, "Sama persis kayak yang di Tokopedia, tapi di sini lebih cepat sampai", "comparison id"),
    # a cue in one sentence, the account in another
    ("VN", True, "Inbox riêng cho mình nha. Zalo: bella.219", "instruction then zalo"),
    ("MY", True, "Nak harga borong? Mesej saya. WhatsApp: sunny.86", "instruction then wa"),
    ("CN", True, "想便宜点的话私聊我。微信号：momo.2024", "instruction then wechat dotted"),
]


def main() -> None:
    with OUT.open("w", encoding="utf-8") as f:
        for market, label, text, note in ROWS:
            f.write(json.dumps({"text": text, "label": label, "kind": "message", "market": market, "note": note}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
