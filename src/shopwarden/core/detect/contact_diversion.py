"""DY-DV: diverting buyers off the platform — contacts, links, other platforms, off-platform pay.

The fields of a subject are read as one text (joined by FIELD_SEPARATOR, which every signal
stops at); evidence is placed back on the field it came from. A learned second stage
(`diversion/learned`) reports what no rule reaches, citing the sentence that weighs most.

Every field of a listing, message or review is normalized once and read by each signal in
`diversion/`: phone numbers, messenger accounts, requests to move the conversation elsewhere
(with or without an account), links, other platforms, paying or dealing off the platform,
asking for the buyer's contact, shop addresses. The subject gets one finding with every piece
of evidence; its score is the strongest signal's, a little higher when several kinds of signal
agree. A contact the shop declared for after-sales (the DY-DV exception) is exempt where the
pack says so.

Pack settings (`detectors.contact_diversion.thresholds`), defaults in DEFAULTS:
    min_score          findings below it are not reported
    severity.<name>    lowest score for that severity; the highest one reached applies, else "minor"
    declared_exempt    1 honours declared contacts, 0 ignores them
    learned            1 runs the learned second stage (`diversion/learned`), 0 the rules alone
    learned.veto       rule hits without a concrete contact (words only) below this probability
                       are dropped (default 0: off; the model, trained on messages, scores long
                       listings low and would drop real steering there)
    learned.min        the probability at which the model alone reports (default: the trained one)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers

from shopwarden.core.detect.base import DetectContext, Detector, Example, Explanation, Finding, Subject
from shopwarden.core.detect.diversion import cues, learned
from shopwarden.core.detect.diversion.asks import find_asks
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.links import find_links, own_links
from shopwarden.core.detect.diversion.messengers import find_accounts
from shopwarden.core.detect.diversion.move_requests import find_move_requests
from shopwarden.core.detect.diversion.payment import find_payment
from shopwarden.core.detect.diversion.phones import find_phones
from shopwarden.core.detect.diversion.places import find_addresses
from shopwarden.core.detect.diversion.platforms import find_platforms
from shopwarden.core.detect.diversion.pointers import find_pointers
from shopwarden.core.detect.diversion.solicitation import (
    disclaiming_folded,
    disclaiming_sentences,
    find_ibans,
    find_pay_codes_and_shops,
    find_solicitation,
)
from shopwarden.core.text import NormalizedText, normalize
from shopwarden.core.text.normalize import normalize_joined

DEFAULTS: Mapping[str, float] = {
    "min_score": 0.5,
    "severity.general": 0.85,
    "declared_exempt": 1.0,
    "learned": 1.0,
    "learned.veto": 0.0,
}
SIGNALS = (
    find_phones,
    find_accounts,
    find_move_requests,
    find_links,
    find_platforms,
    find_payment,
    find_asks,
    find_addresses,
    find_solicitation,
    find_ibans,
    find_pay_codes_and_shops,
    find_pointers,
)
MAX_REASONS = 3


# A number of seven digits or more as written (the folded view: the digit view would read "lô" as
# "10"), for the learned stage's "identifier" feature.
_LONG_NUMBER = re.compile(r"\d(?:[\s\-./]?\d){6,}")


def _features(norm: NormalizedText, hits: list[Hit]) -> frozenset[str]:
    """The rule layer's signals the learned stage reads: each hit's, and "identifier" when a long
    number is named as an order, batch or lot number ("Số lô 0615…", "批号 …"): the rules judged it,
    so the words around it ("số", "number") are no phone's."""
    signals = {h.signal for h in hits}
    text = norm.folded.text
    for m in _LONG_NUMBER.finditer(text):
        # the identifier word first, on the folded text itself (most long numbers are SKUs, sizes
        # or prices with none before them); the contact cue, mapped to the original, only then
        if cues.identifier_before(text, m.start()):
            start, end = norm.folded.source_span(m.start(), m.end())
            if not cues.has_contact_cue(norm, start, end):
                signals.add("identifier")
                break
    return frozenset(signals)


def _declared_values(context: DetectContext) -> frozenset[str]:
    """The declared contacts as signals report them: E.164 for phones, lower case otherwise."""
    values = set()
    for contact in context.declared_contacts:
        values.add(contact.strip().lower())
        for region in context.phone_regions:
            try:
                number = phonenumbers.parse(contact, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                values.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return frozenset(values)


def _hits(norm: NormalizedText, context: DetectContext, declared: frozenset[str]) -> list[Hit]:
    hits = [hit for signal in SIGNALS for hit in signal(norm, context)]
    if hits and (disclaiming := disclaiming_sentences(norm)):
        # "we will never ask you to pay by Venmo": words in a warning solicit nothing; a concrete
        # contact (a number, an account, a link) still counts wherever it is written.
        hits = [h for h in hits if h.value or not any(s <= h.start < e for s, e in disclaiming)]
    accounts = [(h.start, h.end) for h in hits if h.signal == "messenger"]
    return [
        h
        for h in hits
        if not (h.value and h.value.lower() in declared)
        # "加我微信 wxid_…": the request to move and the account given there are one piece of evidence
        and not (h.signal == "move_request" and any(s < h.end and h.start < e for s, e in accounts))
    ]


# Fields are read as one text, joined by a mark every signal stops at: one normalization and
# one pass of each signal per subject instead of one per field (a listing has seven, most short).
FIELD_SEPARATOR = "\n¶\n"


@dataclass(frozen=True, slots=True)
class Joined:
    text: str
    names: tuple[str, ...]
    starts: tuple[int, ...]  # where each field starts in `text`

    @classmethod
    def of(cls, fields: Mapping[str, str]) -> Joined:
        names, starts, at = [], [], 0
        for name, text in fields.items():
            if text:
                names.append(name)
                starts.append(at)
                at += len(text) + len(FIELD_SEPARATOR)
        return cls(FIELD_SEPARATOR.join(t for t in fields.values() if t), tuple(names), tuple(starts))

    def place(self, start: int, end: int, fields: Mapping[str, str]) -> tuple[str, int, int]:
        """The field a span of `text` starts in, and the span in that field (cut at its end)."""
        k = bisect_right(self.starts, start) - 1
        name, base = self.names[k], self.starts[k]
        length = len(fields[name])
        a = min(start - base, length)
        return name, a, max(a, min(end - base, length))


def _model_view(norm: NormalizedText, context: DetectContext) -> str:
    """The folded text the learned stage reads: links to the platform's own site blanked out (same
    length, so spans still map back), as the rule layer never counts them."""
    text = norm.folded.text
    for a, b in own_links(text, context):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _learned_evidence(norm: NormalizedText, view_text: str) -> tuple[int, int]:
    """The original span of the sentence that weighs most with the learned stage."""
    a, b = learned.heaviest_sentence(view_text)
    return norm.folded.source_span(a, b) if b > a else (0, len(norm.original))


def _merge_spans(hits: list[Hit]) -> list[tuple[int, int]]:
    """Overlapping hits ("微信同号 138…" is an account and a phone) become one evidence span."""
    spans: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if spans and hit.start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hit.end))
        else:
            spans.append((hit.start, hit.end))
    return spans


def _score(hits: list[Hit]) -> float:
    """The strongest signal, raised a little for each other kind of signal that agrees."""
    kinds = {h.signal for h in hits}
    return min(0.99, max(h.score for h in hits) + 0.02 * (len(kinds) - 1))


def _explanation(hits: list[Hit]) -> Explanation:
    ordered = sorted(hits, key=lambda h: (-h.score, h.start))
    en = list(dict.fromkeys(h.en for h in ordered))
    zh = list(dict.fromkeys(h.zh for h in ordered))
    more_en = f" (+{len(en) - MAX_REASONS} more)" if len(en) > MAX_REASONS else ""
    more_zh = f"（另有{len(zh) - MAX_REASONS}处）" if len(zh) > MAX_REASONS else ""
    return Explanation(
        en="Off-platform diversion: " + "; ".join(en[:MAX_REASONS]) + more_en,
        zh="站外引流：" + "；".join(zh[:MAX_REASONS]) + more_zh,
    )


def _severity(score: float, thresholds: Mapping[str, float]) -> str:
    """The highest severity whose floor the score reaches; "minor" below every floor."""
    floors = {k.removeprefix("severity."): v for k, v in thresholds.items() if k.startswith("severity.")}
    reached = [(floor, name) for name, floor in floors.items() if score >= floor]
    return max(reached)[1] if reached else "minor"


class ContactDiversion(Detector):
    kind = "contact_diversion"
    rules = ("DY-DV",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        thresholds = {**DEFAULTS, **context.thresholds(self.kind)}
        declared = _declared_values(context) if thresholds["declared_exempt"] >= 0.5 else frozenset()
        fields = subject.text_fields
        joined = Joined.of(fields)
        if not joined.names:
            return []
        # each field's views are shared with the detectors that read the fields one by one
        norm = normalize_joined([t for t in fields.values() if t], FIELD_SEPARATOR)
        every_hit = _hits(norm, context, declared)
        concrete = any(h.value for h in every_hit)
        # the model is asked only where its answer can change the outcome: never beside a concrete
        # contact, and beside words-only hits only when it may veto them
        use_model = thresholds["learned"] >= 0.5 and not concrete and not (every_hit and thresholds["learned.veto"] <= 0.0)
        view_text = _model_view(norm, context) if use_model else norm.folded.text
        features = _features(norm, every_hit) if use_model else frozenset()
        p = learned.probability(learned.model_text(view_text), features) if use_model else 0.0
        if every_hit and (concrete or not use_model or p >= thresholds["learned.veto"]):
            score = _score(every_hit)
            if score < thresholds["min_score"]:
                return []
            spans = (joined.place(s, e, fields) for s, e in _merge_spans(every_hit))
            evidence = tuple(dict.fromkeys(subject.evidence(name, s, e) for name, s, e in spans if e > s))
            return [Finding("DY-DV", self.kind, _severity(score, thresholds), round(score, 4), _explanation(every_hit), evidence)]
        if not use_model or p < thresholds.get("learned.min", learned.threshold()):
            return []
        # words in a warning, a feature or a buyer's comparison solicit nothing (as for the rules):
        # the model is asked again without those sentences (only here: the check reads the whole text)
        if disclaimed := disclaiming_folded(norm):
            for a, b in disclaimed:
                view_text = view_text[:a] + " " * (b - a) + view_text[b:]
            p = learned.probability(learned.model_text(view_text), features)
            if p < thresholds.get("learned.min", learned.threshold()):
                return []
        start, end = _learned_evidence(norm, view_text)
        if any(s <= start < e for s, e in disclaiming_sentences(norm)):
            return []  # the sentence that weighs most warns, describes a feature or compares
        name, start, end = joined.place(start, end, fields)
        written = fields[name][start:end].strip()
        explanation = Explanation(
            en=f"Off-platform diversion: the wording solicits the buyer off the platform (learned model, p={p:.2f}: '{written}')",
            zh=f"站外引流：措辞引导买家离开平台（模型判断，p={p:.2f}：「{written}」）",
        )
        return [Finding("DY-DV", self.kind, _severity(p, thresholds), round(p, 4), explanation, (subject.evidence(name, start, end),))]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        dv = frozenset({"DY-DV"})
        return (
            Example(Subject.message("V信: abc_8888"), dv, "WeChat id (API.md)"),
            Example(Subject.message("电话：壹叁捌零零壹叁捌零零零"), dv, "financial numerals"),
            Example(Subject.listing(title="夏季连衣裙", description="详情 luxshop点com"), dv, "spelled-out domain"),
            Example(Subject.message("去拼多多搜我们店，便宜二十块"), dv, "steering to another platform"),
            Example(Subject.message("私下交易更划算，支付宝转账就行"), dv, "off-platform payment"),
            Example(Subject.message("这里说话不方便，换个软件聊"), dv, "asks to move off the platform, no account given"),
            Example(Subject.message("0813 5566 7788 (WA)"), dv, "a number with its app after it"),
            Example(Subject.message("支持微信支付，下单立减"), frozenset(), "a payment method, not a transfer to a person"),
            Example(
                Subject.listing(title="V领雪纺衫", description="充电宝 13800mAh，微笑服务,信誉第一"), frozenset(), "look-alikes"
            ),
            Example(Subject.message("订单号 3718265902314587 已发货"), frozenset(), "order number"),
            Example(
                Subject.message("售后电话 13800138000"),
                frozenset(),
                "declared after-sales contact",
                DetectContext(declared_contacts=("138-0013-8000",)),
            ),
        )


def rule_signals(text: str, context: DetectContext) -> frozenset[str]:
    """The rule layer's signals on one text: the learned stage's rule features (its trainer
    reads them here, so training and detection see the same)."""
    norm = normalize(text)
    return _features(norm, _hits(norm, context, frozenset()))
