"""RV-K-2 coercion: a review held hostage — a demand for money or goods tied to deleting, changing
or adding a review, or a bad review threatened unless paid.

The words alone decide little: "退款" and "差评" sit together in plenty of honest complaints
("不给退款，只能差评了"), and "好评返现" is usually the seller's card, not the buyer's demand.
What makes coercion is a *trade*, so a finding needs three parts close together (the same or the
next sentence) in the folded text, once separators slipped between Chinese characters ("返 现",
"删-评") are dropped:

- a demand: something the buyer would receive (refund, cash back, compensation, red packet,
  gift, free sample, "pay me", an amount of money given to someone);
- a review act: deleting, changing or adding a review (删评, 改好评, 追加五星, "update my review"),
  or a threatened bad one (给差评, 一直追评, "leave a 1-star review");
- a link that makes one the price of the other: a condition (如果, 不然, 否则, 除非, 的话, 先,
  "if", "unless", "or else") anywhere around them, a consequence word right before the act (就,
  才, 再, 马上, 会, "I'll"), or a refusal to pay followed by a bad review ("不赔，差评到底").

The review's own text is read, and every chat line the buyer sent the shop. Three readings take
a candidate back out: the act is negated ("不会为了返现删评", "I won't remove my review") while
the demand is not (both negated is a threat: "不返现就不删"); the demand is only a permission
("可以退款", "refunds accepted") with no one it goes to; or a seller is the one who offered it
("客服说好评返现", "the seller asked me to delete it for a refund") — that is the seller's
inducement, reported by the buyer, not the buyer's coercion.

A third reading, pay-first (`pay_first`), finds the trade told as an order of events: a payment
asked for (付钱, 转账, 打两百过来, "pay up", "send the money"), a precedence marker (先…再/然后/
才, 到账后, "first", "once", "then") and an undo of the review after it, however hedged (删不删,
考虑改, 看看要不要撤, "think about taking it down") — the review need not be named: the buyer
is writing it, or writing to the shop about it. A described past undo ("删了") or a seller who
asked for it are not the buyer's demand.

The lexicons are this reading's limit: every new split of wording showed phrases they lack
("免费再寄一个", "退个差价"). A second reading (`leverage`) finds the same trade by the shape of a
sentence with wide word classes; a text's findings are this reading's trades plus the sentences
the second one finds that none of them covers. The readings by rule still missed most of a
wording bank written blind (issue 18: 0.35 recall), so a learned reading (`coercion_learned`: a
character n-gram model of one sentence, trained on every other bank and on real reviews as
negatives) adds the sentences it scores above its threshold that no rule covers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from shopwarden.core.detect.base import Evidence, Finding
from shopwarden.core.reviews import coercion_learned, leverage
from shopwarden.core.reviews.findings import finding, words
from shopwarden.core.reviews.model import ReviewHistory, ReviewView
from shopwarden.core.text import NormalizedText, View, normalize

KIND = "review_coercion"
DEFAULTS: Mapping[str, float] = {"min_score": 0.7, "severity.general": 0.85}

_NUM = r"[0-9一二三四五六七八九十两百千几]+"

# What the buyer would get. A bare money verb counts only with an amount, a recipient, money or
# goods after it, or a negation ("返20", "退给我", "退一部分钱", "送两本", "不赔").
DEMAND = re.compile(
    r"返现|返钱|返款|返利|返红包|返还|退款|退钱|退全款|全额退|退一半|退差价|补差价|部分退|"
    r"赔偿|赔付|赔钱|补偿|补贴|红包|现金|打钱|打款|给钱|发钱|给点钱|转账|好处费|辛苦费|封口费|损失费|"
    r"免单|报销|优惠券|代金券|购物券|礼品|礼物|赠品|小样|试用装|样品|白送|多送|再送|货款|运费|"
    r"(?:退|返|赔|补|转|打)给?(?:我|俺)|(?:(?<=不)|(?<=没))(?:赔|退|返|补)|"
    r"(?:退|返|赔|补|转|打|给)[^，。！？,.!?;；\s]{0,4}?(?:钱|款)|免[^，。！？,.!?;；\s]{0,3}?单|"
    rf"送(?:我|个|点|些|套|份|盒|瓶|件|张|只|双|{_NUM}[^\s，。！？,.!?;；货])(?!货|达|到|餐|的快)|"
    rf"(?:返|赔|退|补|转|打|给|发)(?:我|俺)?{_NUM}(?:元|块|rmb|米)|"
    r"\brefund\w*|\bmoney back\b|\bcash ?back\b|\brebate|\bcompensat\w*|\breimburs\w*|"
    r"\bpay (?:me|us)\b|\bpaypal\b|\bvenmo\b|\bgift ?cards?\b|\bvouchers?\b|\bcoupons?\b|\bstore credit\b|"
    r"\bdiscount\b|[0-9]+ ?% (?:off|back)\b|\bfree (?:gifts?|samples?|items?|products?|stuff|ones?)\b|\bfreebies?\b|"
    r"\bsamples?\b|\bgifts?\b|\$ ?[0-9]+|\b[0-9]+ ?(?:dollars|bucks|usd|rmb|yuan)\b"
)
# Someone the demand goes to, or an amount: it is being asked for, not described.
RECIPIENT = re.compile(r"给我|给俺|我要|退我|赔我|送我|返我|补我|要求|必须|[0-9]+(?:元|块)|\b(?:me|us)\b|\$ ?[0-9]|\bi (?:want|need|expect)\b")
PERMISSION = re.compile(r"(?:可以|支持|包|能|可)$|\b(?:can|may|accept(?:s|ed)?)\s?$")

_CJK_UNDO = r"删|删除|删掉|撤|撤回|撤销|撤掉|去掉|取消|改|修改|更改|换"
_CJK_POST = r"追加|追|补|给|打|写|留|晒|发"  # with 了 after them these tell what was done ("给了差评")
# Between a verb and its review: pronouns, measure words and result complements ("改成", "删掉这条").
_CJK_FILL = r"[个你您成为掉一条这那下回上我的颗次点满给了都马上立刻就]{0,4}?"
_CJK_NOUN = r"评价|评论|差评|好评|追评|中评|五星|5星|一星|1星|满分|负评|低分|晒图"
_EN_CHANGE = r"delete|remove|take down|take off|withdraw|retract|change|update|edit|revise|modify|upgrade|bump|raise|fix"
_EN_POST = r"leave|give|post|write|put|keep|add|drop|submit"
_EN_NOUN = r"reviews?|ratings?|feedback|comments?|stars?"
_EN_OBJ = r"(?:(?:up|down|off)\s)?(?:(?:my|the|this|that|your|a|an|its|his|her)\s)?(?:[\w-]+\s){0,2}?"
_THREAT_NOUN = r"(?:差评|一星|1星|中评|负评)"
# A review act: a verb on a review; a threatened bad review said without a verb ("差评伺候"); or
# a bare bad review that a condition or consequence word leads straight to ("不然差评", "就一星").
REVIEW_ACT = re.compile(
    rf"(?:{_CJK_UNDO}|(?:{_CJK_POST})(?!了)){_CJK_FILL}(?:{_CJK_NOUN})|"
    rf"(?:把|将)?{_CJK_FILL}(?:{_CJK_NOUN}){_CJK_FILL}(?:{_CJK_UNDO})(?:成|为)?(?:{_CJK_NOUN})?|"
    rf"(?:把|将)(?:星级|星|评分|分数?){_CJK_FILL}(?:{_CJK_UNDO}|调|提|加)|删评|改评|撤评|删帖|追评|"
    rf"{_THREAT_NOUN}(?:伺候|警告|走起|预定|到底|安排|奉上|曝光)|(?:一直|天天|继续|持续|每天)(?:追评|差评)|"
    rf"(?:不然|否则|要不然|要不|的话|就|才|马上|直接)[，,\s]?[^，。！？,.!?;；\s把将]{{0,3}}?{_THREAT_NOUN}|"
    rf"\b(?:{_EN_CHANGE})\s{_EN_OBJ}(?:{_EN_NOUN}|it)\b|\b(?:{_EN_POST})\s{_EN_OBJ}(?:{_EN_NOUN})\b|"
    rf"\b(?:take|pull|bring)\s{_EN_OBJ}(?:{_EN_NOUN}|it)\s(?:down|off)\b|"
    r"\b(?:1|one|2|two)[- ]stars?\b|\b(?:bad|negative|terrible|poor|honest) (?:review|feedback|rating)s?\b"
)
CONDITION = re.compile(
    r"如果|要是|假如|若是|倘若|只要|只有|不然|要不然|要不|否则|除非|的话|前提|条件是|作为交换|交换|换取|换你|"
    r"也行|也可以|都行|等你|等到|"
    r"(?<![首原事优预率抢])先(?![生前进锋后])|"
    r"\bif\b|\bunless\b|\bor else\b|\botherwise\b|\bin exchange\b|\bin return\b|\bas long as\b|\bprovided\b|"
    r"\bonce\b|\bas soon as\b|\buntil\b|\bbefore i\b|\bafter you\b|\bwhen you\b|\bor (?:else|i|we)\b"
)
# A consequence word just before the act or inside it ("我就删", "差评马上删", "and I'll remove").
CONSEQUENCE = re.compile(
    r"就|才|再|马上|立刻|立马|立即|会|可以|帮你|给你|我来|"
    r"\b(?:i['’]?ll|i will|i can|i['’]?d|i would|i['’]?m going to|i am going to|i['’]?m gonna|gonna|we['’]?ll|we will|will|then|and)\b"
)
CONSEQUENCE_BEFORE = 14
# Modal negation anywhere before the act in its clause ("不会为了返现删评"); plain 不/don't only
# right before its verb ("不删", "don't delete").
MODAL_NEGATION = re.compile(
    r"不会|不可能|绝不|决不|绝对不|才不|不打算|没打算|不是为了|并不是|"
    r"\bwon['’]?t\b|\bwill not\b|\bwould(?:n['’]?t| not| never)\b|\bnever\b|\bnot going to\b|\brefuse to\b|\bno way\b"
)
PLAIN_NEGATION = re.compile(r"(?:不|没|别|不要|\bdon['’]?t|\bdo not|\bnot)\s?$")
DEMAND_NEGATION = re.compile(r"(?:不|没|不肯|不愿|不想|拒绝)(?:给|退|赔|返|补|送)?(?:我|俺)?$|\b(?:don['’]?t|won['’]?t|not|no|didn['’]?t)\s(?:\w+\s)?$")
RESIGNED = re.compile(r"只能|只好|于是|所以|因此|已经|\bso\b|\bhence\b")
SELLER_OFFERED = re.compile(
    r"(?:卖家|商家|店家|客服|老板|掌柜|店主|小二|\bseller|\bstore\b|\bshop\b|\bvendor|\bcustomer service\b)\s?"
    r"(?:说|讲|让|要我|叫我|求我|请我|承诺|答应|表示|主动|联系|发来|打电话|私信|找我|"
    r"\boffered\b|\basked\b|\btold\b|\bsaid\b|\bpromised\b|\bwanted\b|\bcontacted\b|\bmessaged\b|\bbegged\b)"
)
SEPARATORS = frozenset(" -_·*~/|")  # what a writer slips between characters to dodge a filter
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[，,、：:。！？!?；;\n]|\.(?=\s|$)")

WINDOW = 40  # between a demand and a review act, at most: Chinese characters' worth (`findings.words`)
MAX_SENTENCE_BREAKS = 1
LINK_BEFORE = 12  # a condition may open this many characters before the pair


@dataclass(frozen=True, slots=True)
class Trade:
    """A demand and a review act linked as a trade, as folded-view offsets, with its score."""

    start: int
    end: int
    score: float
    threat: bool


def _negated_act(text: str, act: re.Match[str]) -> bool:
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, act.start())), default=0)
    return bool(MODAL_NEGATION.search(text, clause_start, act.start()) or PLAIN_NEGATION.search(text[max(0, act.start() - 6) : act.start()]))


def _demand_negation(text: str, demand: re.Match[str]) -> int | None:
    """Where the negation of a demand starts ("不给退款"), if it is negated."""
    lo = max(0, demand.start() - 8)
    m = DEMAND_NEGATION.search(text[lo : demand.start()])
    return lo + m.start() if m else None


def _is_threat(act: str) -> bool:
    return bool(re.search(r"差评|一星|1星|中评|负评|低分|\b(?:1|one|2|two)[- ]star|\b(?:bad|negative|terrible|poor)\b|追评", act)) and not re.search(
        rf"{_CJK_UNDO}|换成|\b(?:delete|remove|take|withdraw|retract|change|update|edit|revise|modify|upgrade)\b", act
    )


def _implied_threat(text: str, demand: re.Match[str], act: re.Match[str], demand_negated: bool) -> bool:
    """"不赔，差评到底": a refusal to pay followed by a bad review is a condition without the word —
    unless it is told as what already happened ("不给退款，只好写差评了")."""
    if not (demand_negated and act.start() >= demand.end() and _is_threat(act.group())):
        return False
    return not (RESIGNED.search(text, demand.end(), act.start()) or text.startswith("了", act.end()))


def _sentence_breaks(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _SENTENCE_END.finditer(text, start, end))


def _trade(text: str, demand: re.Match[str], act: re.Match[str]) -> Trade | None:
    first, last = min(demand.start(), act.start()), max(demand.end(), act.end())
    gap = words(text[min(demand.end(), act.end()) : max(demand.start(), act.start())])
    if gap > WINDOW or _sentence_breaks(text, first, last) > MAX_SENTENCE_BREAKS:
        return None
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, first)), default=0)
    if SELLER_OFFERED.search(text, sentence_start, last):
        return None  # the seller offered it; the buyer is telling on them
    before_demand = text[max(0, demand.start() - 3) : demand.start()]
    around_demand = text[max(0, demand.start() - 6) : demand.end() + 6]
    strong = bool(RECIPIENT.search(around_demand))
    if PERMISSION.search(before_demand) and not strong and not CONDITION.search(text, max(0, demand.start() - 6), demand.start()):
        return None  # "可以退款": what is possible, not what is asked
    condition = CONDITION.search(text, max(sentence_start, first - LINK_BEFORE), last)
    consequence = CONSEQUENCE.search(text, max(demand.end() if demand.end() <= act.start() else 0, act.start() - CONSEQUENCE_BEFORE), act.end())
    negation = _demand_negation(text, demand)
    demand_negated = negation is not None
    if not (condition or consequence or _implied_threat(text, demand, act, demand_negated)):
        return None
    if _negated_act(text, act) and not demand_negated:
        return None
    threat = _is_threat(act.group()) or demand_negated
    score = 0.75 + 0.1 * strong + 0.05 * bool(condition and consequence) + 0.05 * (threat and bool(condition or demand_negated))
    start = min(p for p in (first, negation, condition and condition.start()) if p is not None)
    return Trade(start, last, min(score, 0.97), threat)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def joined(view: View) -> View:
    """The folded view without the separators slipped between two Chinese characters ("返 现",
    "删-评", "返💰现": emoji fold to a space), offsets kept."""
    text = view.text
    keep = bytes(0 if ch in SEPARATORS and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1]) else 1
                 for i, ch in enumerate(text))  # fmt: skip
    return view.keep_where(keep, "".join(ch for ch, k in zip(text, keep, strict=True) if k))


def find_trades(norm: NormalizedText) -> list[tuple[int, int, float, bool]]:
    """Coercive trades in a text: (start, end) in the original text, score, threat or offer;
    overlapping candidates keep the strongest."""
    view = joined(norm.folded)
    text = view.text
    acts = list(REVIEW_ACT.finditer(text))
    if not acts:
        return []
    trades = [t for d in DEMAND.finditer(text) for a in acts if (t := _trade(text, d, a))]
    kept: list[Trade] = []
    for t in sorted(trades, key=lambda t: -t.score):
        if not any(t.start < k.end and k.start < t.end for k in kept):
            kept.append(t)
    return [(*view.source_span(t.start, t.end), t.score, t.threat) for t in sorted(kept, key=lambda t: t.start)]


PAYMENT = re.compile(
    rf"(?:付|打|转|汇|给|掏|结|交)(?:个|点|些|一下)?(?:钱|款|账|帐)|转账|到账|钱到|收到钱|(?:打|转|汇)(?:过来|给我)|(?:打|转|给|付|汇)(?:我|过来)?{_NUM}(?:元|块|百|千|万)|"
    r"\bpay(?:s|ing)?\b(?!\s(?:attention|for (?:it|this|the (?:item|product|order))))|\bsend (?:me |us )?(?:the |some )?(?:money|cash|payment)\b|"
    r"\btransfer\w*\b|\bwire\b|\bcash\b"
)
PRECEDENCE = re.compile(r"(?<![首原事优预率抢])先(?![生前进锋后])|到账|收到|钱到|之后|以后|然后|\bfirst\b|\bonce\b|\bafter\b|\bthen\b|\buntil\b")
UNDO = re.compile(
    r"删(?!了|除?(?:订)?单|购物车|聊天)|撤(?!了|单|销订单)|改(?:成|为|一下)?(?:好评|评价|评论|五星|5星|满分)|改评|"
    r"(?:考虑|看看|想想|商量|谈谈?|决定)[^，。！？,.!?;；]{0,4}?(?:删|撤|改|评)|"
    r"\b(?:delete|remove|withdraw|retract|reconsider|revise|update|edit|change)\s(?:\w+\s){0,2}?(?:it|review|rating|stars?|feedback)\b|"
    r"\btake\s(?:\w+\s){0,3}?down\b|"
    r"\b(?:talk|think) about\s(?:\w+\s){0,2}?(?:review|rating|stars?|feedback)"
)
HEDGE = re.compile(r"(?:要不要|是不是|是否|\bwhether)\s?$")
PAY_FIRST_GAP = 40  # from the payment to the undo's start, at most: characters of the folded text


def pay_first(norm: NormalizedText) -> list[tuple[int, int, float, bool]]:
    """Trades told as an order of events: pay first, then the review is undone (see the module)."""
    view = joined(norm.folded)
    text, out = view.text, []
    for pay in PAYMENT.finditer(text):
        for undo in UNDO.finditer(text, pay.end()):
            if undo.start() > pay.end() + PAY_FIRST_GAP:
                break
            span = text[max(0, pay.start() - 4) : undo.end()]
            if not PRECEDENCE.search(span) or _sentence_breaks(text, pay.end(), undo.start()) > MAX_SENTENCE_BREAKS:
                continue
            hedged = HEDGE.search(text[: undo.start()])  # "要不要删" asks, it does not refuse
            if MODAL_NEGATION.search(text[pay.end() : undo.start()]) or (PLAIN_NEGATION.search(text[: undo.start()]) and not hedged):
                continue
            if SELLER_OFFERED.search(text[max(0, pay.start() - LINK_BEFORE) : undo.end()]):
                continue
            out.append((*view.source_span(pay.start(), undo.end()), 0.8, False))
            break
    return out


def _both(norm: NormalizedText) -> list[tuple[int, int, float, bool]]:
    """The lexicon trades, then the sentences `leverage` and `pay_first` find that none before covers."""
    trades = find_trades(norm)
    for more in (leverage.find(norm, joined), pay_first(norm)):
        trades += [t for t in more if not any(t[0] < k[1] and k[0] < t[1] for k in trades)]
    return trades


def _texts(review: ReviewView, history: ReviewHistory) -> list[tuple[str, str]]:
    """(field, text): the review, then the buyer's own chat lines (the seller's are not read)."""
    return [("text", review.text), *((f"chat[{line.message_id}]", line.text) for line in history.chat if line.from_buyer)]


# What the learned reading's sentence must be about: a review (its words, a rating, an undo). The
# model reads the trade; a sentence about no review ("I paid first, then had to edit my address") is none.
ABOUT_REVIEW = re.compile(r"评|星|删|撤|\b(?:reviews?|ratings?|stars?|feedback|delete|remove|withdraw|retract)\b|\btake\s(?:\w+\s){0,3}?down\b")


def learned(norm: NormalizedText, known: list[tuple[int, int, float, bool]]) -> list[tuple[int, int, float, bool]]:
    """The sentences about a review that the learned reading scores at or above its threshold and
    that no trade in `known` covers."""
    view, out = norm.folded, []
    for a, b in coercion_learned.sentences(view.text):
        sentence = view.text[a:b]
        if not (ABOUT_REVIEW.search(joined_text(sentence)) or UNDO.search(sentence)):
            continue
        p = coercion_learned.probability(sentence)
        if p < coercion_learned.threshold():
            continue
        start, end = view.source_span(a, b)
        if not any(start < k[1] and k[0] < end for k in known):
            out.append((start, end, min(0.95, p), False))
    return out


def joined_text(text: str) -> str:
    """`text` without the separators slipped between two Chinese characters ("删 评")."""
    return "".join(ch for i, ch in enumerate(text)
                   if not (ch in SEPARATORS and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1])))


def coercion(review: ReviewView, history: ReviewHistory, t: Mapping[str, float]) -> Finding | None:
    found, by_model = [], 0
    for field, text in _texts(review, history):
        if not text:
            continue
        norm = normalize(text)
        trades = _both(norm)
        more = learned(norm, trades)
        by_model += len(more)
        found += [(field, text, trade) for trade in trades + more]
    if not found:
        return None
    threat = any(trade[3] for _, _, trade in found)
    where = "chat" if all(field != "text" for field, _, _ in found) else "review"
    en = "a bad review threatened unless the buyer is paid" if threat else "money or goods asked for deleting, changing or adding a review"
    zh = "以差评相要挟索取利益" if threat else "以删除、修改或追加评价为条件索取退款、返现、赔偿或赠品"
    if by_model == len(found):
        en, zh = "reads as a review traded for money or goods (learned reading)", "读作以评价换取钱物（模型判读）"
    return finding(
        "RV-K-2", KIND, max(trade[2] for _, _, trade in found), t,
        f"Coercion in the {where}: {en}.", f"{'聊天' if where == 'chat' else '评价'}中存在要挟：{zh}。",
        [Evidence(field, start, end, text[start:end]) for field, text, (start, end, _, _) in found],
    )  # fmt: skip
