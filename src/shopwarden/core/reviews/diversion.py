"""RV-K-4 diversion (导流): a review that promotes another channel — contacts, links, other
shops or platforms — in its text or in text read from its images.

The DY-DV detector (`contact_diversion`) already knows every way a contact gets written, so it
runs here unchanged, with the pack's `contact_diversion` settings and the shop's declared
after-sales contacts; its findings are re-labelled RV-K-4 and keep its evidence. Text read from
an image is cited as the field "images[i]" with the image's id and the box of the line it was read
in (the lines of one image are joined by newlines, in the order given). A line that is an app's
deep link ("weixin://…", "alipays://…") is a scanned QR payload — nobody photographs one typed
out — and counts as image_text does for a QR code: diversion at `score.qr`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Evidence, Explanation, Finding, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion, rule_signals
from shopwarden.core.detect.image_text import _APP_LINK as APP_LINK  # the QR payload pattern image_text reads
from shopwarden.core.reviews import coercion
from shopwarden.core.reviews.findings import finding
from shopwarden.core.reviews.model import ReviewView
from shopwarden.core.text import normalize

KIND = "review_diversion"
DEFAULTS: Mapping[str, float] = {"min_score": 0.0, "score.qr": 0.97, "severity.general": 0.85}
Box = tuple[tuple[int, int], ...]
Line = tuple[str, Box | None]
_DV = ContactDiversion()

MARKETPLACES = (r"京东(?:商城|网)?|jd\.com|\bjd\b|当当网?|dangdang|淘宝|陶宝|某宝|天猫|tmall|taobao|拼多多|拼夕夕|某多多|\bpdd\b|"
                r"苏宁(?:易购)?|卓越(?:网|亚马逊)?|亚马逊|amazon|唯品会|国美|[一1]号店|携程|ctrip|去哪儿|艺龙|美团|飞猪|"
                r"lazada|shopee|tokopedia|bukalapak|\btiki\b|ebay|aliexpress|速卖通|抖音|快手|小红书")
SECOND_HAND = (r"闲鱼|咸鱼|转转|孔夫子(?:旧书网)?|多抓鱼|爱回收|找靓机|carousell|mercari|\bolx\b|(?:facebook|fb) marketplace|vinted|depop|"
               r"poshmark|kijiji|craigslist|mudah\.my|kaidee|chotot|二手(?:平台|市场|app|群)")
MARKET = re.compile(f"{MARKETPLACES}|{SECOND_HAND}", re.I)
# Steering: the reader told to go there (no subject before the verb, or a directive word), told to
# search there, given a contact there, or told the same item is there; for a second-hand market
# also that something is on sale there, or cheaper.
STEER_BEFORE = re.compile(r"(?:^|[，。！？,.!?;；\s])(?:去|到)\s*$|(?:还是|建议(?:大家|你们)?|不如|可以|直接|大家|你们|要买的|想要的|需要的|请)\s*(?:去|到|上)\s*$|"
                          r"\b(?:go to|try|check(?: out)?|buy (?:it |one )?(?:on|at|from)|(?:^|[,.!?;:，。！？；：]\s*|\b(?:just|you can|better|instead)\s)(?:get|buy|find|order) (?:it|one|(?:the|a|an) (?:same|identical|cheaper|new)(?: [a-z]+){0,2}) (?:on|at|from))\s*$", re.I)
STEER_AFTER = re.compile(r"^\s*(?:网|商城|上|里)?\s*(?:搜|search)|^[^，。！？,.!?;；\n]{0,10}?(?:找我|加我|私聊我?|联系我|\bfind me|\bdm me)|"
                         r"^\s*(?:网|商城|上|里)?\s*(?:有)?(?:同款|\bsame (?:one|item))", re.I)
SECOND_HAND_AFTER = re.compile(r"^[^，。！？,.!?;；\n]{0,8}?(?:便宜|划算|半价|有全新|有卖|有货|有同款|更好|才[0-9一二两三四五六七八九十几百]|\bcheaper|\bhalf price)", re.I)
SECOND_HAND_NAME = re.compile(SECOND_HAND, re.I)
QUOTED_SHOP = re.compile(r"(?:(?<![收得达遇来看听想找做办])去|搜|找|逛逛|关注|\b(?:go to|try|check out|visit|search)\b)\s*[「『“\"'‘【](?P<name>[^」』”\"'’】\n]{2,16})[」』”\"'’】]"
                         r"(?:[^，。！？,.!?;；\n]{0,8}?(?:买|下单|看看|看下|逛|便宜|同款|有卖|\bbuy|\bcheaper|\bshop|\bstore)|(?<=[店铺][」』”\"'’】]))", re.I)
# A shop named in quotes to search for, by someone who wants the same item ("想要同款的搜“某店”").
WANTED_QUOTED = re.compile(r"(?:同款|一样的|想要|需要|要买|喜欢的)[^，。！？,.!?;；\n]{0,6}?(?:去|搜|找|\bsearch(?: for)?)\s*[「『“\"'‘【](?P<name>[^」』”\"'’】\n]{2,16})[」』”\"'’】]", re.I)
CONTACT_CUE = re.compile(r"(?:微信|微|薇|威|vx|wx|v信|加v|扣扣|qq|企鹅|账号|\bid|line|whatsapp|telegram|\btg|\big|\bins|加我|联系我?|找我)\s*(?:号)?\s*(?:是|为|:|：)?\s*$", re.I)
SPELLED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][ \-_.·,，、/|*]{1,2}){4,}[a-z0-9](?![a-z0-9])", re.I)


def images(review: ReviewView) -> list[tuple[str, list[Line]]]:
    """The review's images in first-seen order, each with its lines of text and their boxes."""
    out: dict[str, list[Line]] = {}
    for image_id, text, box in review.image_texts:
        out.setdefault(image_id, []).append((text.replace("\n", " "), box))
    return list(out.items())


def _box(lines: list[Line], start: int, end: int) -> Box | None:
    """The box of the line a span was read from; the rectangle around them for several lines."""
    hit, pos = [], 0
    for text, box in lines:
        if pos < end and start < pos + len(text) and box:
            hit.append(box)
        pos += len(text) + 1
    if len(hit) <= 1:
        return tuple((int(x), int(y)) for x, y in hit[0]) if hit else None
    xs, ys = [int(x) for b in hit for x, _ in b], [int(y) for b in hit for _, y in b]
    return ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))


def _in_image(found: Finding, i: int, image_id: str, lines: list[Line]) -> list[Evidence]:
    return [Evidence(f"images[{i}]", e.start, e.end, e.text, _box(lines, e.start, e.end), image_id) for e in found.evidence]


def _deep_links(i: int, image_id: str, lines: list[Line]) -> list[Evidence]:
    out, pos = [], 0
    for text, box in lines:
        out += [Evidence(f"images[{i}]", pos + m.start(), pos + m.end(), m.group(), box, image_id) for m in APP_LINK.finditer(text)]
        pos += len(text) + 1
    return out


SERVED_AFTER = re.compile(r"^\s*(?:网|商城|上|的)?\s*(?:客服|售后|送货|配送|物流|自营|总部|的推荐|推荐|价|的价格|的服务|的工作人员|买的|买了|买过|订的|下的单|\bcustomer service|\bsupport|\bdelivery)", re.I)


def _steers(text: str, start: int, end: int) -> bool:
    if SERVED_AFTER.search(text[end : end + 12]):
        return False  # the marketplace's own service, or where the buyer bought
    after = text[end : end + 24]
    return bool(STEER_BEFORE.search(text[max(0, start - 32) : start]) or STEER_AFTER.search(after)
                or (SECOND_HAND_NAME.fullmatch(text[start:end]) and SECOND_HAND_AFTER.search(after)))


def _only_named_where_bought(text: str, found: Finding) -> bool:
    """Every span of a DY-DV finding is a marketplace's name, and none of them steers the reader."""
    return all(MARKET.fullmatch(e.text.strip()) and not _steers(text, e.start, e.end) for e in found.evidence)


def _review_readings(text: str) -> list[tuple[float, Explanation, list[Evidence]]]:
    """What DY-DV does not read in a review: steering to a marketplace, a quoted shop, a spelled-out account."""
    out = []
    steering = [m for m in MARKET.finditer(text) if _steers(text, m.start(), m.end())]
    if steering:
        names = "; ".join(dict.fromkeys(m.group() for m in steering))
        out.append((0.9, Explanation(f"sends the reader to another marketplace ({names})", f"引导买家去其他平台（{names}）"),
                    [Evidence("text", m.start(), m.end(), m.group()) for m in steering]))
    quoted = list(QUOTED_SHOP.finditer(text)) or list(WANTED_QUOTED.finditer(text))
    if quoted:
        names = "; ".join(dict.fromkeys(m.group("name") for m in quoted))
        out.append((0.85, Explanation(f"sends the reader to another shop named in quotes ({names})", f"引导买家去引号中的其他店铺（{names}）"),
                    [Evidence("text", m.start(), m.end(), m.group()) for m in quoted]))
    spelled = [m for m in SPELLED.finditer(text) if CONTACT_CUE.search(text[max(0, m.start() - 10) : m.start()])
               and sum(ch.isalnum() for ch in m.group()) >= 5]
    if spelled:
        shown = "; ".join(m.group() for m in spelled)
        out.append((0.92, Explanation(f"an account spelled out one character at a time ({shown})", f"逐字拆开书写的账号（{shown}）"),
                    [Evidence("text", m.start(), m.end(), m.group()) for m in spelled]))
    return out


def _about_the_review(text: str, found: Finding, context: DetectContext) -> bool:
    """A finding of DY-DV's learned stage alone (no rule read a contact, link or platform in the
    text) whose sentence speaks of the review itself — a refund or a gift for a changed rating: that
    is RV-K-2's coercion, which the message-trained model takes for solicitation."""
    return (all(coercion.ABOUT_REVIEW.search(normalize(e.text).folded.text) for e in found.evidence)
            and not rule_signals(text, context))


def diversion(review: ReviewView, context: DetectContext, t: Mapping[str, float]) -> Finding | None:
    in_text = _DV.detect(Subject.review(review.text, review.shop_id), context) if review.text else []
    found = [(f.score, f.explanation, list(f.evidence)) for f in in_text
             if not _only_named_where_bought(review.text, f) and not _about_the_review(review.text, f, context)]
    covered = [(e.start, e.end) for _, _, evidence in found for e in evidence]
    for score, explanation, evidence in _review_readings(review.text) if review.text else ():
        if not all(any(s < e.end and e.start < t_ for s, t_ in covered) for e in evidence):
            found.append((score, explanation, evidence))
    for i, (image_id, lines) in enumerate(images(review)):
        subject = Subject.review("\n".join(line for line, _ in lines), review.shop_id)
        found += [(f.score, f.explanation, _in_image(f, i, image_id, lines)) for f in _DV.detect(subject, context)]
        if links := _deep_links(i, image_id, lines):
            shown = "; ".join(dict.fromkeys(e.text for e in links))
            found.append((t["score.qr"], Explanation(f"a QR code opens another app ({shown})", f"二维码指向其他应用（{shown}）"), links))
    if not found:
        return None
    score, explanation, _ = max(found, key=lambda f: f[0])
    return finding(
        "RV-K-4", KIND, score, t,
        f"Diversion in a review (DY-DV): {explanation.en}", f"评价导流（DY-DV）：{explanation.zh}",
        [e for _, _, evidence in found for e in evidence],
    )
