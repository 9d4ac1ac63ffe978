"""CR-6-ABS: absolute and superlative claims in a creator's content (misleading promotion, CR-2).

China's Advertising Law art. 9(3) forbids "国家级、最高级、最佳等用语"; TikTok Shop's content
rules treat unprovable superlatives as misleading promotion. The grammar (`claim_grammar`)
finds them in the title, description and transcript; the pack's `creators.content_checks`
adds market words (`absolute_terms`) and exemptions (`absolute_exempt`). One finding per
content with every claim as evidence; the Advertising Law's own words (国家级, 全网最低价…)
score `score.strong`, a claim found by grammar alone `score.grammar`.

Pack settings (`detectors.absolute_claims.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Example, Explanation, Finding, Subject
from shopwarden.core.detect.content.claim_grammar import claims
from shopwarden.core.detect.content.words import spoken_fields
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"score.strong": 0.92, "score.grammar": 0.8, "severity.general": 0.9}
MAX_SHOWN = 3


def _explain(evidence: tuple[Evidence, ...]) -> Explanation:
    shown = list(dict.fromkeys(e.text for e in evidence))[:MAX_SHOWN]
    return Explanation(
        en=f"The content makes absolute or superlative claims ({', '.join(shown)}) that it cannot prove "
        "(Advertising Law art. 9(3)). Remove them or replace them with facts that can be checked.",
        zh=f"内容使用了绝对化用语（{'、'.join(shown)}），违反《广告法》第九条第三项。请删除或改为可以证实的客观描述。",
    )


class AbsoluteClaims(Detector):
    kind = "absolute_claims"
    rules = ("CR-6-ABS",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        pack = context.content
        extra, exempt = (pack.absolute_terms, pack.absolute_exempt) if pack else ((), ())
        evidence, strong = [], False
        for name, text in spoken_fields(subject):
            for claim in claims(text, extra, exempt):
                evidence.append(subject.evidence(name, claim.start, claim.end))
                strong = strong or claim.strong
        if not evidence:
            return []
        t = settings(context, self.kind, DEFAULTS)
        score = t["score.strong"] if strong else t["score.grammar"]
        return [Finding("CR-6-ABS", self.kind, severity_for(score, t), score, _explain(tuple(evidence)), tuple(evidence))]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        abs_ = frozenset({"CR-6-ABS"})
        none: frozenset[str] = frozenset()
        return (
            Example(Subject("content", {"title": "全网最低价！国家级品质的面霜"}), abs_, "the Advertising Law's own words"),
            Example(Subject("content", {"transcript": "这款是最好用的粉底，行业第一"}), abs_, "最 + predicate; 第一 as a rank"),
            Example(Subject("content", {"description": "Honestly the best serum on the market, #1 in Asia"}), abs_, "English"),
            Example(Subject("content", {"transcript": "第一次用就爱上了，最近每天都在用，最后一步是防晒"}), none, "ordinals and time"),
            Example(Subject("content", {"transcript": "It's not the best, but step #1 is easy"}), none, "negated; an ordinal"),
            Example(Subject.listing(title="全网最低价 面霜"), none, "a listing is the merchant rules' matter, not CR-6"),
        )
