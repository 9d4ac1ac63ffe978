"""CR-6-TERMS: sensational, illegal or locally restricted content, by the pack's term lists.

What is sensational, illegal or restricted by local law or culture differs by market, so the
words are the pack's (`creators.content_checks.terms`, one list per CR-2 category) and the
detector only finds them: CR-6 sends every such finding to an operator, never to an automatic
measure. The category rides in the rule id (CR-6-TERMS-SENSATIONAL, -ILLEGAL, -LOCAL) so that
the pack's `rule_categories` and decision table can tell them apart. Latin terms match whole
words, case-insensitively; Chinese terms match anywhere.

Pack settings (`detectors.restricted_terms.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Detector, Example, Explanation, Finding, Subject
from shopwarden.core.detect.content.words import spoken_fields, term_pattern
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"score": 0.7}
RULES: Mapping[str, str] = {
    "sensational": "CR-6-TERMS-SENSATIONAL",
    "illegal_activity": "CR-6-TERMS-ILLEGAL",
    "locally_restricted": "CR-6-TERMS-LOCAL",
}
NAMES: Mapping[str, tuple[str, str]] = {
    "sensational": ("sensational content", "耸人听闻的内容"),
    "illegal_activity": ("illegal or criminal activity", "非法或犯罪活动"),
    "locally_restricted": ("content restricted by local law or culture", "当地法律或文化禁止的内容"),
}


def _explain(category: str, shown: list[str]) -> Explanation:
    en, zh = NAMES[category]
    return Explanation(
        en=f"The content uses words the policy lists as {en} ({', '.join(shown[:3])}); an operator will review it.",
        zh=f"内容含有政策列为{zh}的用语（{'、'.join(shown[:3])}），将由审核人员复核。",
    )


class RestrictedTerms(Detector):
    kind = "restricted_terms"
    rules = tuple(RULES.values())

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        lists = context.content.terms if context.content else {}
        fields = list(spoken_fields(subject))
        findings = []
        t = settings(context, self.kind, DEFAULTS)
        for category, rule in RULES.items():
            if category not in lists:
                continue
            pattern = term_pattern(tuple(lists[category].terms))
            evidence = tuple(subject.evidence(name, m.start(), m.end()) for name, text in fields for m in pattern.finditer(text))
            if evidence:
                shown = list(dict.fromkeys(e.text for e in evidence))
                findings.append(Finding(rule, self.kind, severity_for(t["score"], t), t["score"], _explain(category, shown), evidence))
        return findings

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        from shopwarden.core.policy.creators import ContentChecks, TermCategory, TermList

        lists: dict[TermCategory, TermList] = {
            "sensational": TermList(terms=["震惊", "shocking"], source="example"),
            "illegal_activity": TermList(terms=["代开发票"], source="example"),
            "locally_restricted": TermList(terms=["算命"], source="example"),
        }
        context = DetectContext(content=ContentChecks(terms=lists, source="example"))

        def content(text: str) -> Subject:
            return Subject("content", {"transcript": text})

        return (
            Example(content("震惊！这款锅居然这么好用"), frozenset({"CR-6-TERMS-SENSATIONAL"}), "sensational", context),
            Example(content("可以代开发票，私聊"), frozenset({"CR-6-TERMS-ILLEGAL"}), "illegal activity", context),
            Example(
                content("SHOCKING results, plus 免费算命"), frozenset({"CR-6-TERMS-SENSATIONAL", "CR-6-TERMS-LOCAL"}), "two lists", context
            ),
            Example(content("这口锅导热快，不粘"), frozenset(), "no listed term", context),
        )
