"""A channel named together with what makes it the seller's or the buyer's contact, in the market
languages (DY-DV): asking for the buyer's ("Send me your Discord", "cho mình xin Zalo của bạn",
"minta WA kakak", "pahingi ng Viber mo", "ขอไลน์หน่อย"), pointing to the seller's profile
("my Telegram is in my bio", "WA ada di bio", "nasa bio ko", "联系方式在主页简介里"), and an account
spelled out or written backwards ("WhatsApp: s u n n y 2 2 8", "IG backwards: 87alleb").

A channel is an app keyword (`apps`), a messenger of the pack's market lexicons, or a word for a
contact (number, 电话, sđt, nomor, numero, เบอร์). The cue must stand in the same sentence; a
sentence that warns or describes a feature is left to the caller (`disclaiming_sentences`).
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion.apps import app_mentions
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.lexicon import words_then
from shopwarden.core.detect.diversion.solicitation import SENTENCE, folded_pattern, places
from shopwarden.core.text import NormalizedText
from shopwarden.core.text.fold import FOLD_TABLE

# Words for a contact, any market language (folded: "số điện thoại" → "so đien thoai").
_CONTACT = re.compile(
    (
        "电话|手机号|手机|号码|联系方式|微信号|เบอร์โทร|เบอร์|ช่องทางติดต่อ|ไอดี|"
        + words_then(
            "phone|number|contact details|contact info|contact number|contact|handle|username|sđt|số điện thoại|số đt|số zalo|nomor|nombor|no hp|no. hp|no wa|"
            "no. wa|no tel|kontak|numero|cp number|liên hệ|hubungan",  # "thông tin liên hệ", "maklumat hubungan", "info kontak" end in these
            r"\b",
        )
    ).translate(FOLD_TABLE)
)
# Before the channel, asking for the buyer's: "send me your", "cho mình xin", "minta", "pahingi ng", "ขอ".
_ASK_BEFORE_SOURCE = (
    r"(?:把|留|给)(?:个|下|我)?(?:你|您)的?\s?$|"
    r"\b(?:send|give|share|tell|pass|text) (?:me|us) your\s?$|\b(?:dm|leave|drop)(?: (?:me|us))? your\s?$|"
    r"\b(?:what(?:'s| is)|can i (?:get|have)|may i (?:get|have|know)|could i (?:get|have)|(?:would you )?mind sharing|care to share|(?:can|could) you (?:share|send)) your\s?$|"
    r"\b(?:cho|xin)(?: (?:mình|minh|em|tôi|shop|chị|anh|tớ))?(?: xin)? $|\bgửi(?: cho)? (?:mình|em|shop|tôi) $|\bđể lại $|"
    r"\b(?:minta|mintak|bagi|bagilah|kasih|share|kirim(?:kan)?|tinggalkan|boleh (?:minta|dapat|bagi|share)|nak)(?: (?:no|nombor|nomor))? $|"
    r"\b(?:pahingi(?: po)?(?: ng)?|hingi ng|bigay mo(?: ang| yung)?|send mo(?: po)?(?: (?:sa akin|sakin))?(?: ang| yung)?|"
    r"i-send mo(?: ang| yung)?|ano(?:ng| ang| yung)?(?: po)?(?: ang| yung)?) $|"
    r"ขอ\s?$|ส่ง\s?$|แอด\s?$"
)
_ASK_BEFORE = folded_pattern(_ASK_BEFORE_SOURCE)
# Asking whether the buyer has the channel — "do you have WhatsApp?", "bạn có Zalo không", "你有微信吗",
# "คุณมีไลน์ไหม" — or, with no "you" before, addressing them after it: "ada WA gak kak?", "may Viber
# ka ba?". "Does the watch have WhatsApp?" asks about the goods, not the buyer.
_HAVE_YOU = folded_pattern(
    r"(?:\b(?:do you have|do you use|are you on|you got|have you got|bạn có|chị có|anh có|em có|kamu ada|kamu punya|kakak ada|"
    r"anda ada|anda punya|awak ada|awak guna)|你有|您有|亲有|你用|คุณมี|พี่มี|ลูกค้ามี|น้องมี)\s?$"
)
# Verbs that ask for the buyer's contact by themselves, the channel right after: "leave a number",
# "để lại số điện thoại", "tinggalkan nombor", "iwan mo po number mo", "ทิ้งเบอร์ไว้", "แจ้งเบอร์".
_ASK_ALONE = folded_pattern(
    r"\b(?:leave|drop)(?: (?:me|us))?(?: a| your)?\s?$|\bđể lại(?: cho (?:mình|shop|em))?\s?$|\bcho (?:mình|em|tôi|shop|tớ) xin\s?$|"
    r"\b(?:tinggalkan|tinggalin)\s?$|\biwan(?: mo| niyo| nyo)?(?: po)?(?: ang| yung)?\s?$|(?:ทิ้ง|แจ้ง)\s?$"
)
# "你Telegram多少", "您钉钉号发我": a channel right after "you", then how much / send it.
_YOU_ZH = re.compile(r"(?:你|您|亲)的?\s?$")
_HOW_MUCH_AFTER = re.compile(r"\s?(?:号|账号|id)?\s?(?:是?多少|发我|发一下|发给我|给我)")
# The buyer's channel asked with "what": "nomor WA kakak berapa?", "WA awak apa?"
_WHAT_AFTER = folded_pattern(r"\s?(?:kakak|kak|kamu|awak|anda|sis|gan)\s(?:berapa|brp|apa)\b")
_HAVE_BARE = folded_pattern(r"\b(?:ada|punya|may|meron|mayroon)\s?$")
_QUESTION_AFTER = folded_pattern(r"\s?(?:[a-z0-9_.]{0,12}\s?)?(?:\?|không\b|khong\b|ko\b|gak\b|ga\b|nggak\b|tak\b|ไหม|มั้ย|มั๊ย|ป่ะ|吗)")
_YOU_AFTER = folded_pattern(r"\s?(?:ka(?: ba)?|kak|kakak|sis|gan|awak|kamu|anda|bro)\b|\s?(?:gak|ga|tak|nggak|x) (?:kak|sis|gan|bro)\b")
# After the channel, whose: "của bạn", "kamu", "awak", "mo", "คุณ", or a Thai/Chinese request ending.
_ASK_AFTER = folded_pattern(
    r"\s?(?:của (?:bạn|ban|anh|chị|chi|em|c|a)\b|(?:kamu|anda|awak|kakak|kak|sis|bro|gan|mu|you)\b|(?:mo|niyo|nyo|ninyo)\b|"
    r"(?:ของ)?คุณ|หน่อย|ด้วย|ได้ไหม|ได้มั้ย|发我|发给我|给我|是多少|多少)"
)
# The channel said to be on the seller's profile: "in my bio", "di bio", "nasa bio", "在主页".
_BIO = folded_pattern(
    r"(?:在|见|看)(?:我的?)?(?:主页|简介|个签|签名|头像|置顶)|主页简介|(?:主页|头像|简介)(?:点?进去|点开|里|上)就?(?:有|写)|"
    r"\b(?:in|on|at) (?:my|our|the shop'?s|the store'?s|this shop'?s) (?:profile(?: bio)?|bio|page)\b|\bprofile bio\b|\bcheck (?:my|our) bio\b|"
    r"\b(?:trong|ở|tại|o) (?:bio|tiểu sử|trang cá nhân|profile)\b|"
    r"\b(?:di|dalam|kat|dekat|pada) (?:bio|profil|profile)\b|"
    r"\bnasa (?:bio|profile)\b|"
    r"(?:ใน|ที่)(?:ไบโอ|โปรไฟล์|หน้าโปรไฟล์|หน้าร้าน)|"
    # told to look there: "see bio", "link in bio", "xem trang cá nhân", "cek profil", "tingnan ang bio", "ดูไบโอ"
    r"\b(?:see|check|look at|read)(?: (?:my|our|the))? (?:bio|profile)\b|\bin bio\b|\b(?:xem|coi)(?: (?:bio|tiểu sử|trang cá nhân|profile))\b|"
    r"\b(?:cek|lihat|tengok|semak)(?: (?:bio|profil|profile))\b|\btingnan(?: (?:ang|yung))? (?:bio|profile)\b|ดู(?:ไบโอ|โปรไฟล์)"
)
# An account written letter by letter, or said to be reversed.
# One character at a time, split by spaces, dashes, dots or bars ("j o j o 7 7", "j-o-j-o-7-7",
# or over lines, which the folded view makes spaces), starting within a few words of the channel.
_SPELLED = re.compile(r"(?<![a-z0-9])((?:[a-z0-9_](?:\s?[\-·•|/*.]\s?|\s)){3,}[a-z0-9_])(?![a-z0-9])")
# Pieces of any length when the text says to join them ("ki ki 07 93 (连起来)", "no spaces").
_CHUNKED = re.compile(r"(?<![a-z0-9])((?:[a-z0-9_]{1,6}(?:\s?[\-·•|/*.]\s?|\s)){1,7}[a-z0-9_]{1,6})(?![a-z0-9])")
_JOIN = folded_pattern(
    r"连起来|连着|合起来|没空格|没有空格|不要空格|去掉空格|去空格|\bno spaces?\b|\bwithout (?:the )?spaces\b|\bremove (?:the )?spaces\b|"
    r"\b(?:join|put) (?:it|them) together\b|\btanpa (?:spasi|jarak)\b|\bdigabung\b|\bgabung\b|\bwalang space\b|\bviết liền\b|\bghép lại\b|ไม่มีเว้นวรรค|ติดกัน"
)
SPELLED_REACH = 14  # characters after the channel where the spelled account may start ("WA saya: ")
_REVERSED = folded_pattern(
    r"倒着|倒过来|反过来|反着|倒序|反向|从后往前|\bbackwards?\b|\breversed?\b|\bin reverse\b|\bright to left\b|"
    r"\bfrom the (?:end|back|right)\b|\bngược\b|\bđảo\b|từ phải sang trái|\bterbalik\b|\bdibalik\b|\bdari belakang\b|"
    r"\bbaligtad\b|\bbaliktad\b|\bpabaliktad\b|กลับหลัง|ย้อนกลับ|กลับด้าน|อ่านจากหลัง|从右往左"
)
_TOKEN = re.compile(r"[:：]?\s?([a-z0-9][a-z0-9_.]{3,29})(?![a-z0-9])")


def _channels(norm: NormalizedText, context: DetectContext) -> list[tuple[int, int]]:
    """Folded-view spans of every channel named: app keywords, lexicon messengers, contact words."""
    view, spans = norm.folded, []
    for _, start, end in app_mentions(norm):
        spans.append((view.index_at_or_after(start), view.index_ending_by(end)))
    spans.extend((s, e) for kind, s, e in places(view.text, context.lexicons) if kind == "messengers")  # remembered for solicitation
    spans.extend(m.span() for m in _CONTACT.finditer(view.text))
    return sorted(set(spans))


def find_pointers(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    """Channels first (most texts name none), then the cues in the sentence around each."""
    channels = _channels(norm, context)
    if not channels:
        return []
    view = norm.folded
    hits: list[Hit] = []
    for m in SENTENCE.finditer(view.text):
        s0, s1 = m.span()
        inside = [(s, e) for s, e in channels if s0 <= s < s1]
        if inside:
            hit = _ask(norm, inside, s0, s1) or _bio(norm, inside, s0, s1) or _spelled(norm, inside, s0, s1)
            if hit is not None:
                hits.append(hit)
    return hits


def _written(norm: NormalizedText, start: int, end: int) -> str:
    """The original text of folded-view characters `start:end`."""
    a, b = norm.folded.source_span(start, end)
    return norm.original[a:b].strip()


# Whose the channel is, said before it ("your", 你的) or by a Thai request word alone ("ขอไลน์").
_WHOSE_BEFORE = re.compile(r"(?:your|你的|您的|ขอ|ส่ง)\s?$")


def _ask(norm: NormalizedText, inside: list[tuple[int, int]], s0: int, s1: int) -> Hit | None:
    view = norm.folded
    text = view.text
    for s, e in inside:
        a = max(s0, s - 24)
        verb = _ASK_BEFORE.search(text, a, s)
        if not (verb and (_ASK_AFTER.match(text, e, s1) or _WHOSE_BEFORE.search(text, max(a, s - 8), s))):
            verb = _ASK_ALONE.search(text, a, s)
        if verb is None and (you := _YOU_ZH.search(text, max(a, s - 3), s)) and _HOW_MUCH_AFTER.match(text, e, s1):
            verb = you
        if verb is None and (what := _WHAT_AFTER.match(text, e, s1)) is not None:
            channel, said = _written(norm, s, e), _written(norm, s, what.end())
            return Hit.on(view, s, what.end(), "ask_contact", 0.85, f"asks for the buyer's {channel} ('{said}')", f"索要买家的{channel}（「{said}」）")
        if verb is None:
            verb = _HAVE_YOU.search(text, a, s)
            verb = verb if verb and _QUESTION_AFTER.match(text, e, s1) else None
            bare = None if verb else _HAVE_BARE.search(text, a, s)
            verb = verb or (bare if bare and _YOU_AFTER.match(text, e, s1) else None)
        if verb:
            channel, said = _written(norm, s, e), _written(norm, verb.start(), e)
            return Hit.on(view, verb.start(), e, "ask_contact", 0.85, f"asks for the buyer's {channel} ('{said}')",
                          f"索要买家的{channel}（「{said}」）")  # fmt: skip
    return None


def _bio(norm: NormalizedText, inside: list[tuple[int, int]], s0: int, s1: int) -> Hit | None:
    view = norm.folded
    if _BIO.search(view.text, s0, s1) is None:
        return None
    channel = _written(norm, *inside[0])
    return Hit.on(view, s0, s1, "ask_contact", 0.85, f"points to the seller's {channel} on their profile ('{_written(norm, s0, s1)}')",
                  f"引导到主页查看{channel}（「{_written(norm, s0, s1)}」）")  # fmt: skip


def _spelled(norm: NormalizedText, inside: list[tuple[int, int]], s0: int, s1: int) -> Hit | None:
    view = norm.folded
    text = view.text
    reversed_ = _REVERSED.search(text, s0, s1) is not None
    join = _JOIN.search(text, s0, min(len(text), s1 + 40))
    for s, e in inside:
        m = _SPELLED.search(text, e, min(len(text), e + SPELLED_REACH + 40))
        if m is not None and m.start() - e <= SPELLED_REACH and "¶" not in text[e : m.start()] and sum(c.isalpha() for c in m.group(1)) >= 2:
            value = re.sub(r"[\s\-·•|/*.]", "", m.group(1))
            return Hit.on(view, s, m.end(), "messenger", 0.9, f"an account spelled out letter by letter ('{_written(norm, s, m.end())}')",
                          f"逐字拆开书写的账号（「{_written(norm, s, m.end())}」）", value)  # fmt: skip
        stop = join.start() if join is not None and join.start() > e else min(len(text), e + SPELLED_REACH + 40)  # the pieces end at "join them"
        if join is not None and (c := _CHUNKED.search(text, e, stop)) is not None and c.start() - e <= SPELLED_REACH:
            value = re.sub(r"[\s\-·•|/*.]", "", c.group(1))
            if len(value) >= 5 and "¶" not in text[e : c.start()]:
                return Hit.on(view, s, c.end(), "messenger", 0.9, f"an account split into pieces to join ('{_written(norm, s, c.end())}')",
                              f"拆成几段、要求连起来的账号（「{_written(norm, s, c.end())}」）", value)  # fmt: skip
        if reversed_:
            for t in _TOKEN.finditer(text, e, s1):
                token = t.group(1)
                if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
                    return Hit.on(view, s, t.end(), "messenger", 0.9, f"an account written backwards ('{_written(norm, s, t.end())}')",
                                  f"倒序书写的账号（「{_written(norm, s, t.end())}」）", token[::-1])  # fmt: skip
    return None
