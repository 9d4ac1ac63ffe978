"""RV-K-2's second reading: review leverage found by the shape of the sentence, not by its phrases.

`coercion`'s first reading needs a demand and a review act from its lexicons; every new way of
wording either ("免费再寄一个", "退个差价", "pull my review") slipped past it. This reading works
with wide classes instead and asks for the three parts of a trade within one sentence:

- a benefit the buyer asks for: a giving or sending verb (退 返 补 赔 送 寄 转 包 报 打 发 免 换)
  reaching money or goods within a few characters (钱 款 元 块 红包 券 差价 运费 新的 一份 一套…),
  a giving verb aimed at the buyer ("转我", "赔我"), a refund-like compound (仅退款, 补寄, 报销,
  说法 as in "给个说法"), or in English money, refunds, credit, replacements and anything free;
- the review as the thing traded: any mention of it (评, 一星…五星, 晒图, "review", "rating",
  "stars", "feedback") — the class is wide because the sentence's shape does the rest;
- the exchange: a condition or consequence between them (如果 要是 只要 不然 否则 之后 然后
  要么 要想 得 就 再 才 "if" "unless" "until" "as soon as" "and I'll" "or I"…), or a request
  clause followed straight by a review clause ("包个红包，把评论撤回").

What it must leave alone is told by the same shapes: a benefit already received or described
("退款很及时，好评", "已经退款了，还是差评", "got a refund, 5 stars"), one refused or waived ("不要
返现", "没有赔偿也无所谓"), the seller's programme or offer ("好评返现", "商家说改好评送红包"), a
review the buyer says they will not trade ("不会为了赔偿删评", "No thanks"), and a bad review told
as what followed ("只能给差评了").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shopwarden.core.reviews.findings import words
from shopwarden.core.text import NormalizedText
from shopwarden.core.text.offsets import View

_VERB = r"退|返|补|赔|送|寄|转|包|报|打|发|免|换|给"
_GOODS = r"钱|款|元|块|rmb|红包|现金|[优礼代]?券|差价|运费|邮费|礼|赠品|小样|样品|返点|新的|说法"
_MEASURE = r"[0-9一二两三四五六七八九十几]*[份套个件张本盒台只双瓶]"
BENEFIT = re.compile(
    rf"(?:{_VERB})[^，。！？,.!?;；\s]{{0,4}}?(?:{_GOODS})|(?:{_VERB})(?:我|俺)?{_MEASURE}|(?:{_VERB})(?:我|俺)(?![们的])|"
    r"仅退款|退款|退货|返现|补寄|补发|重寄|再寄|赔偿|补偿|报销|免单|免费(?=[^，。！？,.!?;；\s])|说法|"
    r"\brefund\w*|\bcover (?:my|the)\b|\bpay (?:for|me)\b|\b(?:send|give|get) me\b|\bmoney\b|\bcash\b|\bcredit\b|\breplacement\b|\bcompensat\w*|\breimburs\w*|\bvenmo\b|\bpaypal\b|"
    r"\bgift\w*|\bcoupons?\b|\bvouchers?\b|\bdiscount\w*|\bfree\b|\bsamples?\b|\$ ?[0-9]+|\b[0-9]+ ?(?:%|dollars|bucks|usd|rmb|yuan)"
)
REVIEW = re.compile(r"(?<!批)评(?![估委选比])|[一二三四五12345１-５]星(?!级|期|的?酒店|的?宾馆|标准|水平)|晒图|\breviews?\b|\bratings?\b|\bstars?\b|\bfeedback\b|\b[1-5]-star\b")
LINK = re.compile(
    r"如果|要是|假如|若|只要|只有|不然|要不|否则|除非|的话|前提|条件|交换|换取|之前|之后|以后|然后|等|先|再|就|才|要么|要想|想要|得|"
    r"好说|说到做到|别怪|那就|看着办|马上|立刻|立马|到账|也行|也可以|没问题|"
    r"\bif\b|\bunless\b|\bor\b|\bbefore\b|\botherwise\b|\bexchange\b|\bin return\b|\bas long as\b|\bonce\b|\bas soon as\b|\buntil\b|\bafter\b|"
    r"\bthen\b|\band i\b|\bi['’]?ll\b|\bi will\b|\bdeal\b|\bstays?\b"
)
# A benefit told as what happened or how it went, not asked for.
DESCRIBED_AFTER = re.compile(r"^(?:了|过(?![来去]))|^[^，。！？,.!?;；]{0,3}?(?:了|很|挺|太|及时|快|到账|成功|顺利|处理完|秒|是|的时候|\bwas\b|\bcame\b|\barrived\b)")
DESCRIBED_BEFORE = re.compile(r"(?:已经?|虽然|申请了?|因为|给了|的|支持|说好)\S{0,2}$|\b(?:got|received|with|returned|request\w*|asked for)\b.{0,10}$")
REFUSED = re.compile(r"不要|没要|不需要|拒绝|无所谓|不用|\bno thanks\b|\bnope\b|\bnot doing\b|\breported\b|\bi said no\b")
NEVER = re.compile(r"不会|不可能|绝不|决不|绝对不|才不|不是为了|\bwon['’]?t\b|\bwill not\b|\bnever\b|\bnot going to\b|\brefuse")
RESIGNED = re.compile(r"只能|只好|于是|所以|因此|还是|\bstill\b|\bso\b|\bthough\b|\bbut\b")
PROGRAMME = re.compile(r"(?:好评|五星|5星|晒图|带图|评价)(?:截图)?(?:返|送|领|有)|\bfor (?:a|an|my) (?:better |good |5[- ]star )?(?:review|rating)")
# The seller offering or asking ("商家私信说改好评送红包", "seller offered credit"): told on, not coercion.
SELLER = re.compile(r"(?:卖家|商家|店家|客服|老板|掌柜|店主)[^，。！？,.!?]{0,2}(?:说|讲|让|要我|叫我|求|请我|承诺|答应|主动|联系|私信|发|找我)|"
                    r"\b(?:seller|store|shop|vendor|they)\b \w*\s?(?:offered|asked|said|told|promised|begged|wanted|contacted|messaged|emailed)\b")
# What may open a request clause before its verb ("再送我一套", "你们赔个新的"); "赠送一本书签" or
# "还送了一个" open with a description.
ASKED = re.compile(r"\s*(?:你们?|您|那|就|再|先|给我|麻烦|请|快|赶紧|直接|必须|得|不|没)*\s*")
IMPERATIVE = re.compile(r"\s*(?:please )?(?:refund|send|give|get|pay|cover|reimburse|compensate|ship)\b")
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n.]|\.(?=\d))+(?:[。！？!?；;\n.]|$)")
GAP = 20  # between the benefit and the review, at most: Chinese characters' worth (`findings.words`)
_CLAUSE = re.compile(r"[，,：:]")
WITHHELD = re.compile(r"不发|不追|不写|不给|删|撤|改|\bnot post\b|\bremove\b|\bdelete\b|\bdown\b")
THREAT = re.compile(r"差评|一星|1星|中评|负评|追评|曝光|投诉|\b(?:1|one)[- ]?star|\bbad\b|\bnegative\b|\btrash\b")


def _request(sentence: str, benefit: re.Match[str]) -> bool:
    """The benefit is asked for: not described as done, not refused."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, benefit.start())), default=0)
    before = sentence[clause_start : benefit.start()]
    return "了" not in benefit.group() and not (DESCRIBED_AFTER.search(sentence[benefit.end() :]) or DESCRIBED_BEFORE.search(before))


def _linked(sentence: str, benefit: re.Match[str], review: re.Match[str]) -> bool:
    first, last = min(benefit.start(), review.start()), max(benefit.end(), review.end())
    if words(sentence[min(benefit.end(), review.end()) : max(benefit.start(), review.start())]) > GAP:
        return False
    clause_end = m.start() if (m := _CLAUSE.search(sentence, last)) else len(sentence)
    if LINK.search(sentence, max(0, first - 8), min(clause_end, last + 8)):
        return True  # a link word before, between, or right after the pair ("差评立马撤")
    if benefit.start() < review.start() and IMPERATIVE.match(sentence) and re.search(r"\band\b", sentence[benefit.end() : review.start()]):
        return True  # "Refund my shipping and the review goes away."
    # "包个红包，把评论撤回": a request clause, then a clause giving, changing or withholding the
    # review; a bad review after a request ("要求退款，给个差评") is a complaint without a link word.
    between = sentence[benefit.end() : review.start()]
    after = sentence[review.start() : (m.start() if (m := _CLAUSE.search(sentence, review.end())) else len(sentence))]
    refused = re.search(r"[不没]$", sentence[: benefit.start()])  # "不给说法，一星伺候": the threat's condition
    offer = not THREAT.search(sentence[benefit.end() :]) or WITHHELD.search(after) or refused
    clause_start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, benefit.start())), default=0)
    asked = ASKED.fullmatch(sentence[clause_start : benefit.start()]) or "我" in benefit.group()
    return bool(offer and asked) and not benefit.group().isascii() and benefit.end() <= review.start() and len(_CLAUSE.findall(between)) == 1 and len(between) <= 12


def leverage(norm_text: str) -> list[tuple[int, int, bool]]:
    """Sentences (start, end, threat) in `norm_text` (the folded, separator-free view) where a
    requested benefit and the review are traded."""
    out = []
    for s in _SENTENCE.finditer(norm_text):
        sentence = s.group()
        if SELLER.search(sentence) or PROGRAMME.search(sentence) or REFUSED.search(sentence):
            continue
        reviews = list(REVIEW.finditer(sentence))
        if not reviews:
            continue
        benefits = [b for b in BENEFIT.finditer(sentence) if _request(sentence, b)]
        hit = next(((b, r) for b in benefits for r in reviews if _linked(sentence, b, r)), None)
        if hit is None:
            continue
        threat = bool(THREAT.search(sentence))
        b, r = hit
        clause_start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, min(b.start(), r.start()))), default=0)
        if NEVER.search(sentence, clause_start, max(b.end(), r.end())) and not threat:
            continue  # "不会为了赔偿删评"
        if RESIGNED.search(sentence) and not re.search(r"如果|要是|不然|否则|除非|的话|\bif\b|\bunless\b|\bor\b", sentence):
            continue  # "不给退款，只能给差评了"
        out.append((s.start() + min(b.start(), r.start()), s.start() + max(b.end(), r.end()), threat))
    return out


def find(norm: NormalizedText, joined: Callable[[View], View]) -> list[tuple[int, int, float, bool]]:
    """`leverage` on the joined folded view, as (start, end) in the original text, score, threat."""
    view = joined(norm.folded)
    return [(*view.source_span(a, b), 0.75, threat) for a, b, threat in leverage(view.text)]
