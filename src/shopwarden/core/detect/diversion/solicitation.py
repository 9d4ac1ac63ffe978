"""Solicitation across sentences and languages: an instruction to go somewhere, pay someone or
find someone, and what it points to, possibly in the next sentence (DY-DV).

The market lexicons of the pack (`DetectContext.lexicons`: messengers, marketplaces, wallets,
banks) name the places; the instructions are verbs in Chinese, English, Thai, Vietnamese,
Malay/Indonesian and Tagalog. A hit needs a place and something that makes it solicitation
within the same sentence or the next: an account or number, a pointer ("the same name as the
shop", "in my bio", a group number, a name to search), or a transfer or steering verb. A sentence
that warns against such contact, or a buyer saying where they bought before, is not one.
"""

from __future__ import annotations

import re

import ahocorasick

from shopwarden.core.detect.base import DetectContext, per_subject
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.lexicon import words_then
from shopwarden.core.policy.lexicons import Lexicons
from shopwarden.core.text import NormalizedText, normalize
from shopwarden.core.text.fold import FOLD_TABLE
from shopwarden.core.text.offsets import View


def folded_pattern(pattern: str) -> re.Pattern[str]:
    """A cue pattern as the folded view writes it ("đừng" → "đung", "thanh toán" → "thanh toan")."""
    return re.compile(pattern.translate(FOLD_TABLE))


# A dot between two letters or digits is inside a word or an account ("mimi.9948", "650.ococ"),
# not a full stop: the sentence goes on past it.
SENTENCE = re.compile(r"(?:[^.!?。！？\n¶]|(?<=[a-z0-9_])\.(?=[a-z0-9_]))+[.!?。！？\n¶]*")
# An account or number: "lulu_88", "0812 3456 7890", spelled out "l u l u _ 8 8", reversed "88_ulul".
_IDENTIFIER = re.compile(r"@?[a-z][a-z0-9_.]{2,29}\d|\d(?:[\s\-.]?\d){6,16}|(?<!\w)(?:[a-z0-9_.] ){4,}[a-z0-9](?!\w)|\d{2,}[_.]?[a-z]{3,}")
_POINTER = folded_pattern(
    r"同名|店名一样|和店铺同名|跟店名|简介|主页|头像|群号|\u7fa4|搜“|搜\"|"
    r"same name|shop name|store name|\bbio\b|profile|group|look up|search|"
    r"ชื่อเดียวกับร้าน|ไบโอ|โปรไฟล์|กลุ่ม|ค้นหา|ค้น|"
    r"trùng tên|giống tên|tên shop|\bbio\b|giới thiệu|nhóm|tìm|"
    r"nama sama|nama toko|kumpulan|grup|cari|"
    r"kaparehong pangalan|kapareho|shop name|hanapin|i-search"
)
_TRANSFER = folded_pattern(
    r"转账|转我|打款|汇款|卡号|收款码|付款码|扫码|"
    r"transfer|wire|bank in|\btf\b|\bacc(?:ount)?\b|send (?:payment|money)|pay (?:me|directly|by|via|with)|\bqr\b|"
    r"โอน|เลขบัญชี|จ่าย|สแกน|คิวอาร์|"
    r"chuyển|\bck\b|\bstk\b|thanh toán|quét|"
    r"\bbayar|\brek\b|akaun|kirim|imbas|"
    r"bayad|magbayad|i-scan|\bsend\b"
)
_STEER = folded_pattern(
    r"加我|加一下|私聊|找我|联系|去那边|去.{0,4}拍|那边|别在这|"
    r"add me|message me|dm me|text me|hit me|contact|order (?:it )?on|buy there|sell on|instead|"
    r"แอด|ทัก|ติดต่อ|สั่งใน|สั่งตรง|ไปสั่ง|"
    r"kết bạn|nhắn|liên hệ|đặt bên|qua đó|"
    r"tambah|hubungi|\bpm\b|\bchat\b|\badd\b|order di|beli (?:di )?sana|"
    r"i-add|message mo|umorder|doon ka|mag-usap"
)
# Telling the buyer not to buy *here* ("don't order here", "đừng mua ở đây", "huwag dito umorder",
# "jangan checkout di sini", "อย่าสั่งในนี้", "别在这里拍") steers away from the platform: it is no
# warning, whatever negation it opens with, and it counts as an instruction.
_NOT_HERE = folded_pattern(
    r"(?:别|不要|不用|勿)在?(?:这里|这边|这儿|平台上?|这)(?:拍|下单|买|购买|付款|付)|"
    r"\b(?:don'?t|do not|no need to|never)(?: (?:ever|even))? (?:order|buy|checkout|check out|purchase|pay)(?: (?:it|this|them|from us))?"
    r" (?:here|on here|through here|in here|(?:in|on|via|through) (?:this|the) (?:app|platform|site|shop))\b|"
    r"\b(?:đừng|không cần|khỏi) (?:đặt|mua|order|chốt|thanh toán)(?: hàng| đơn)? (?:ở|tại|trên|qua) (?:đây|app|sàn)\b|"
    r"\b(?:huwag|wag)(?: (?:na|po|nyo|mo|kayo))* (?:dito (?:umorder|mag-?order|bumili|mag-?checkout|magbayad)|"
    r"(?:umorder|mag-?order|bumili|mag-?checkout|magbayad) dito)\b|"
    r"\b(?:jangan|usah|tak payah)(?: (?:order|beli|checkout|bayar))(?: (?:kat|di|dekat))? (?:sini|situ|app|aplikasi)\b|"
    r"อย่า(?:กด)?(?:สั่ง|ซื้อ|จ่าย)(?:ใน|ที่|ทาง)(?:นี้|นี่|แอป)"
)
_WARNING = folded_pattern(
    r"骗|谨防|不会让|不会要求|不要|勿|提示|禁止|无保障|没有保障|冒充|"
    r"\bnever\b|\bdon'?t\b|beware|scam|warning|\bfraud|\bfake\b|impersonat|"
    # "only pay at checkout", "orders only through this app"; not "cash only"
    r"\bonly (?:pay|order|buy|chat|message|talk|use|through|via|in (?:the|this)|on (?:the|this)|here|at checkout)\b|\b(?:pay|order|chat)(?:s| here)? only\b|\bonly\b.{0,20}\b(?:app|platform|checkout)\b|"
    r"อย่า|ระวัง|มิจฉาชีพ|ไม่มีนโยบาย|เท่านั้น|ห้าม|ไม่มี|แอบอ้าง|"
    r"không bao giờ|đừng|lừa đảo|cẩn thận|chỉ đặt|giả mạo|\bkhông (?:có|chuyển|gửi|cung cấp|yêu cầu)\b|"
    r"tidak (?:akan|pernah|punya|ada)|jangan|penipuan|hati-hati|sahaja|hanya|waspada|tiada|palsu|"
    r"hindi kami|huwag|mag-ingat|dito lang|wala kaming"
)
# A buyer saying where they bought before or usually buy: "usually shop on", "biasa beli di", "第一次在这买".
_BOUGHT_BEFORE = folded_pattern(
    r"买过|之前在|以前都?在|比.{0,6}(?:便宜|贵)|贵多了|第一次在这|bought|cheaper here|\busually (?:shop|buy|order)|first time (?:buying|ordering|shopping|here)|"
    r"\bsame as (?:the one|mine) (?:from|on)|เคยซื้อ|ถูกกว่าใน|ปกติซื้อ|ครั้งแรกที่|trước mua|rẻ hơn bên|thường mua|lần đầu mua|giống hàng bên|"
    r"dulu beli|biasa(?:nya)? (?:beli|belanja)|pertama kali|lagi murah dari|lebih murah dari|nabili|kaysa sa|lagi ako|first time dito|"
    r"\b(?:ka)?pareho (?:sa|ng)\b"
)
_FEATURE = folded_pattern(r"支持|提醒|内置|自带|built-in|\bbuilt in\b|notification|tap-to-pay|preinstalled|works with|แจ้งเตือน|รองรับ|thông báo|hỗ trợ|notifikasi|sokong|support|sinusuportahan|\bnfc\b")

KINDS = ("messengers", "marketplaces", "wallets", "banks")
_WHAT = {
    "messengers": ("moves the buyer to a messenger", "引导至站外聊天软件"),
    "marketplaces": ("steers the buyer to another marketplace", "引导至其他平台"),
    "wallets": ("asks for payment to a wallet outside the platform", "引导站外钱包付款"),
    "banks": ("asks for a bank transfer outside the platform", "引导站外银行转账"),
}


_AUTOMATA: dict[int, tuple[Lexicons, ahocorasick.Automaton]] = {}


def _automaton(lexicons: Lexicons) -> ahocorasick.Automaton:
    """Every place name of the lexicons in one Aho-Corasick automaton, built once per pack."""
    cached = _AUTOMATA.get(id(lexicons))
    if cached is not None and cached[0] is lexicons:
        return cached[1]
    automaton = ahocorasick.Automaton()
    for kind in KINDS:
        for name in lexicons.names(kind):
            key = normalize(name).folded.text
            if key not in automaton:
                automaton.add_word(key, (kind, len(key)))
    automaton.make_automaton()
    if len(_AUTOMATA) > 8:
        _AUTOMATA.clear()
    _AUTOMATA[id(lexicons)] = (lexicons, automaton)
    return automaton


_NAMES: dict[int, tuple[Lexicons, frozenset[str]]] = {}


def lexicon_names(lexicons: Lexicons | None) -> frozenset[str]:
    """Every name of the lexicons as the folded view writes it, built once per pack."""
    if lexicons is None:
        return frozenset()
    cached = _NAMES.get(id(lexicons))
    if cached is not None and cached[0] is lexicons:
        return cached[1]
    names = frozenset(normalize(name).folded.text for kind in KINDS for name in lexicons.names(kind))
    if len(_NAMES) > 8:
        _NAMES.clear()
    _NAMES[id(lexicons)] = (lexicons, names)
    return names


@per_subject  # the same text and pack: solicitation and pointers both ask
def places(text: str, lexicons: Lexicons | None) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each place named in `text`, whole words, longest first at a start."""
    if lexicons is None:
        return []
    found: dict[int, tuple[str, int, int]] = {}
    for last, (kind, size) in _automaton(lexicons).iter(text):
        start, end = last - size + 1, last + 1
        if (start and text[start - 1] in _WORD_BEFORE) or (end < len(text) and "a" <= text[end] <= "z"):
            continue
        if start not in found or found[start][2] < end:
            found[start] = (kind, start, end)
    places, reach = [], -1
    for start in sorted(found):
        if start >= reach:
            places.append(found[start])
            reach = found[start][2]
    return places


_WORD_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def disclaiming_sentences(norm: NormalizedText) -> list[tuple[int, int]]:
    """Original spans of the sentences that warn against off-platform contact, describe a
    product's own feature, or say where a buyer bought before: words there solicit nothing."""
    view = norm.folded
    return [view.source_span(a, b) for a, b in disclaiming_folded(norm)]


def disclaiming_folded(norm: NormalizedText) -> list[tuple[int, int]]:
    """`disclaiming_sentences` as folded-view spans."""
    view = norm.folded
    # a pattern that matches nowhere in the text matches in none of its sentences (they end at
    # punctuation, so a word boundary at their edges is one in the text): only the others are
    # asked again sentence by sentence
    found = [rx for rx in (_WARNING, _BOUGHT_BEFORE, _FEATURE) if rx.search(view.text)]
    if not found:
        return []
    tests = [_warns if rx is _WARNING else rx.search for rx in found]
    return [m.span() for m in SENTENCE.finditer(view.text) if any(test(m.group()) for test in tests)]


def _warns(text: str) -> bool:
    """A warning in `text`, not counting a prohibition of buying here (which steers away)."""
    if _WARNING.search(text) is None:
        return False
    return _WARNING.search(_NOT_HERE.sub(" ", text)) is not None if _NOT_HERE.search(text) else True


def find_solicitation(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.folded
    named = places(view.text, context.lexicons)
    if not named:
        return []
    sentences = [m.span() for m in SENTENCE.finditer(view.text)]
    hits = []
    for i, (start, end) in enumerate(sentences):
        inside = [p for p in named if start <= p[1] < end]
        sentence = view.text[start:end]
        if not inside or _warns(sentence) or _BOUGHT_BEFORE.search(sentence) or _FEATURE.search(sentence):
            continue
        nxt = view.text[slice(*sentences[i + 1])] if i + 1 < len(sentences) else ""
        prev = view.text[slice(*sentences[i - 1])] if i else ""
        if i > 1 and _fragment(sentence, inside):
            prev = view.text[slice(*sentences[i - 2])] + " " + prev  # "找我。lulu_35。微信上": the place closes what came before
        for kind, s, e in inside:
            hit = _solicits(view, kind, s - start, e - start, sentence, prev + " " + nxt, start)
            if hit is not None:
                hits.append(hit)
                break
    return hits


def _fragment(sentence: str, inside: list[tuple[str, int, int]]) -> bool:
    """A sentence that is little more than the place ("微信上。", "on WA."): it ends the one before."""
    named = sum(e - s for _, s, e in inside)
    return sum(c.isalnum() for c in sentence) - named <= 3


# An app or service glued after a Chinese word that is no instruction or pronoun ("摄像头QQ群聊",
# "手表微信消息") names a product's feature: pointer nouns (群, group, 主页) alone make no solicitation
# there; an identifier, an instruction or a search does.
_SEARCH = folded_pattern(r"搜|look up|search|ค้นหา|ค้น|tìm|cari|hanapin|i-search")
_NOT_COMPOUND = frozenset("加添搜找进入用上到去来在我你您的是和或有私转发打系留注关个让请扫")


def _compound(sentence: str, m_start: int) -> bool:
    if m_start == 0:
        return False
    before = sentence[m_start - 1]
    return "\u4e00" <= before <= "\u9fff" and before not in _NOT_COMPOUND


def _solicits(view: View, kind: str, m_start: int, m_end: int, sentence: str, around: str, offset: int) -> Hit | None:
    rest = sentence[:m_start] + " " + sentence[m_end:]
    money = kind in ("wallets", "banks")
    steer = (_TRANSFER if money else _STEER).search(rest) or _NOT_HERE.search(rest)
    pointer = (_SEARCH if _compound(sentence, m_start) else _POINTER).search(rest)
    cue = steer or pointer or _IDENTIFIER.search(rest)
    if cue is None and not _warns(around):
        instructed = _STEER.search(rest) or _TRANSFER.search(rest) or _NOT_HERE.search(around)
        if instructed is None and _fragment(sentence, [(kind, m_start, m_end)]):
            instructed = _STEER.search(around) or _TRANSFER.search(around)
        cue = _IDENTIFIER.search(around) if instructed else None
    if cue is None:
        return None
    en, zh = _WHAT[kind]
    written = sentence[m_start:m_end]
    return Hit.on(view, offset + m_start, offset + len(sentence.rstrip()), "solicitation", 0.88,
                  f"{en} ('{written}')", f"{zh}（「{written}」）")  # fmt: skip


_IBAN = re.compile(r"[a-z](?<![a-z0-9][a-z])[a-z]\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,3})?(?![a-z0-9])")


def _iban_valid(written: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, read in base 36, mod 97 is 1."""
    raw = written.replace(" ", "").upper()
    if not 15 <= len(raw) <= 34:
        return False
    return int("".join(str(int(c, 36)) for c in raw[4:] + raw[:4])) % 97 == 1


def find_ibans(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    """A bank account as an IBAN, wherever written: a checksum that holds is no order number."""
    view = norm.folded
    hits = []
    for m in _IBAN.finditer(view.text):
        if _iban_valid(m.group()):
            value = m.group().replace(" ", "").upper()
            hits.append(Hit.on(view, m.start(), m.end(), "iban", 0.95, f"a bank account (IBAN {value[:4]}…)", f"银行账户（IBAN {value[:4]}…）", value))
    return hits


# Every alternative opens with a literal (word tests after the first letter): see `lexicon`.
_QR = folded_pattern("收款码|付款码|二维码|คิวอาร์|vietqr|sgqr|" + words_then("qr|qris", r"\b"))
_PAY = folded_pattern(r"付|转账|扫|\bpay|scan|จ่าย|โอน|สแกน|thanh toán|chuyển|quét|bayar|imbas|bayad|i-scan")
# A shop a buyer can walk into, then a street within the clause ("our store at 12 Orchard Road").
_SHOP = folded_pattern("หน้าร้าน|ร้านอยู่|ที่ร้าน|" + words_then("store|shop|showroom|boutique|kedai|toko|tindahan|cửa hàng|stall", r"\b"))
# Collecting in person needs no shop word: "lấy hàng trực tiếp", "ambil sendiri", "รับสินค้าเอง".
_PICKUP = folded_pattern(
    "รับเอง|รับสินค้าเอง|"
    + words_then("lấy hàng|lấy trực tiếp|pick up|pickup|collect from|collect at|collect in|ambil sendiri|ambil langsung|ambil di|kunin sa", r"\b")
)
_CLAUSE_END = re.compile(r"[.!?。！？\n¶](?:\s|$)")
_STREET = folded_pattern(
    r"\d+\s?[a-zà-ỹ]+\s(?:st|street|rd|road|ave|avenue|lane)\b|\b(?:jalan|jl\.?|soi|lot|rue|via|calle)\s|ถนน|ซอย|straße|strasse|\bđường\b|"
    r"\d+\s[a-zà-ỹ]+ [a-zà-ỹ]+,|\b(?:quận|phường|q\.)\s?\d|\bblok\s|\b(?:floor|lt\.|tingkat)\s"
)
_VISIT = folded_pattern(r"\b(?:visit|come|pick ?up|in person|walk in|datang|ambil|ghé|đến|qua|pumunta|punta|pick|beli|mua|collect)\b|มา|รับ|ซื้อ")


def find_pay_codes_and_shops(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    """A payment QR code to scan (收款码, "scan the QR to pay me"), and a street address of a shop
    to come to, in any of the market languages; a disclaiming sentence is left to the caller."""
    view = norm.folded
    hits: list[Hit] = []
    text = view.text
    qr_named = _QR.search(text)
    if qr_named is None and not _SHOP.search(text) and not _PICKUP.search(text):
        return hits
    if qr_named is not None:
        for m in SENTENCE.finditer(text):
            sentence = m.group()
            if _QR.search(sentence) and _PAY.search(sentence):
                hits.append(Hit.on(view, m.start(), m.end(), "pay_qr", 0.88, "asks to pay through a QR code outside the checkout", "引导扫码站外付款"))
    # a shop (or collecting in person) and a street in one clause: read past the dots of "Jl." and
    # "No. 10", up to a full stop followed by a space, a line or a field's end
    taken = -1
    for cue in (_SHOP, _PICKUP):
        for m in cue.finditer(text):
            if m.start() < taken:
                continue
            a = max(0, m.start() - 60)
            a = max(a, text.rfind("¶", a, m.start()) + 1)
            street_stop = _clause_end(text, m.end(), min(len(text), m.end() + 120))
            # after a shop word ("our store at 12 Orchard Road"); on either side of a pickup ("Qua 88 Nguyễn Trãi lấy hàng")
            street = _STREET.search(text, a if cue is _PICKUP else m.start(), street_stop)
            if street is None or not (_VISIT.search(text, a, street_stop) or cue is _PICKUP):
                continue
            start = min(m.start(), street.start())
            hits.append(Hit.on(view, start, max(street.end(), street_stop), "address", 0.86, "invites buyers to a physical shop address", "引导到线下实体店地址"))
            taken = street_stop
    return hits


def _clause_end(text: str, start: int, limit: int) -> int:
    """Where the clause from `start` ends: the first sentence mark that is no abbreviation's dot."""
    for d in _CLAUSE_END.finditer(text, start, limit):
        if text[d.start()] == "." and _ABBREVIATION.search(text, max(0, d.start() - 4), d.start() + 1):
            continue
        return d.start()
    return limit


# A dot that shortens a word, not a sentence's end: "Jl.", "No.", "St.", "lt.", "q."
_ABBREVIATION = re.compile(r"(?:\b(?:jl|no|st|rd|ave|lt|blk|q|p|tp|kl|dr|mr|mrs|ms)|\d)\.$")
