"""The grammar of a medical (efficacy) claim (CR-6-EFF), Chinese and English.

A claim is a medical word that claims by itself (疗效, 抗癌, 降血压, cure, anti-cancer), or a
verb of treating (治疗, 缓解, 预防, treat, relieve, prevent) with a disease or symptom as its
object within a few words (治疗湿疹, 改善失眠, "prevents diabetes"). Caring for skin or body
("保湿", "moisturising", "缓解疲劳", "treat yourself") names no disease and is not a claim;
a negated one ("不能治疗疾病", "does not cure") is a disclaimer, not a claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from shopwarden.core.detect.content.words import Token, before, term_pattern, tokens

CLAIMS_ZH = ("疗效", "药效", "药用", "抗癌", "防癌", "治癌", "消炎", "杀菌", "降血压", "降血糖", "降血脂", "降三高", "抗病毒",
             "根治", "治愈", "医治", "包治", "药到病除", "特效药", "处方", "祛病", "排毒", "抗肿瘤", "抗炎", "消肿止痛")
CLAIMS_EN = ("cure", "cures", "cured", "curing", "heals disease", "therapeutic", "medicinal", "anti-cancer", "anticancer",
             "antiviral", "anti-inflammatory", "lowers blood pressure", "lowers blood sugar", "lower blood sugar",
             "lower blood pressure", "prevents disease", "detox your organs", "kills bacteria", "kills viruses")
VERBS_ZH = ("治疗", "治", "缓解", "改善", "预防", "防止", "防治", "抑制", "消除", "降低", "对抗", "抗", "辅助治疗", "告别", "远离")
VERBS_EN = ("treat", "treats", "treating", "treated", "relieve", "relieves", "relieving", "prevent", "prevents", "preventing",
            "heal", "heals", "healing", "fight", "fights", "fighting", "reverse", "reverses", "eliminate", "eliminates",
            "reduce", "reduces", "get rid of", "gets rid of", "clear up", "clears up", "helps with", "help with", "good for")
# 治 glued to a modal or an adverb before it (能治, 专治, 可治): rjieba keeps them one word.
_ZH_VERB_GLUED = re.compile(r"^[能可专主包都也还就]治$")
CONDITIONS_ZH = ("湿疹", "痤疮", "皮炎", "失眠", "便秘", "高血压", "糖尿病", "癌", "肿瘤", "炎症", "发炎", "感冒", "关节炎",
                 "胃病", "胃炎", "脱发", "过敏", "疾病", "病", "痛风", "鼻炎", "咽炎", "牛皮癣", "银屑病", "抑郁", "三高",
                 "心脏病", "肝病", "结石", "哮喘", "痔疮", "白癜风", "骨质疏松", "贫血", "病毒", "细菌感染", "妇科")
CONDITIONS_EN = ("eczema", "acne", "dermatitis", "insomnia", "constipation", "hypertension", "high blood pressure", "diabetes",
                 "cancer", "tumor", "tumour", "inflammation", "flu", "arthritis", "disease", "diseases", "psoriasis",
                 "depression", "asthma", "infection", "infections", "hair loss", "alopecia", "gout", "covid", "virus",
                 "allergies", "anemia", "osteoporosis", "ulcer", "ulcers")
NEGATIONS_ZH = frozenset({"不", "不能", "不可", "无法", "不会", "并非", "不是", "没有", "非", "不具有", "不具备", "不能够"})
NEGATIONS_EN = re.compile(r"\b(?:not|never|no|cannot|can't|doesn't|does\s+not|won't|isn't|don't)\b(?:\s+\w+){0,2}\s*$", re.I)
WINDOW = 4


def efficacy_claims(text: str, extra: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Spans of the medical claims in `text`, left to right."""
    words = tokens(text)
    spans = [*_words(text, words, (*CLAIMS_ZH, *CLAIMS_EN, *extra)), *_zh_verb_object(words), *_en_verb_object(text)]
    spans = [s for s in spans if not _negated(text, words, s[0])]
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _words(text: str, words: Sequence[Token], terms: Iterable[str]) -> Iterable[tuple[int, int]]:
    starts = {w.start for w in words}
    for m in term_pattern(tuple(terms)).finditer(text):
        if m.group()[0].isascii() or m.start() in starts:
            yield m.start(), m.end()


def _zh_verb_object(words: Sequence[Token]) -> Iterable[tuple[int, int]]:
    for i, t in enumerate(words):
        if t.text not in VERBS_ZH and not _ZH_VERB_GLUED.match(t.text):
            continue
        for w in words[i + 1 : i + 1 + WINDOW]:
            if w.text in "，。！？!?；;\n":
                break
            if any(c in w.text for c in CONDITIONS_ZH) and not w.text.startswith(("病毒式",)):
                yield t.start, w.end
                break


_EN_VERB_OBJECT = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, VERBS_EN))})\b(?:\s+[\w'-]+){{0,{WINDOW - 1}}}?\s+(?:{'|'.join(map(re.escape, CONDITIONS_EN))})\b",
    re.I,
)


def _en_verb_object(text: str) -> Iterable[tuple[int, int]]:
    for m in _EN_VERB_OBJECT.finditer(text):
        if not re.search(r"[.!?;,]", m.group()):
            yield m.start(), m.end()


def _negated(text: str, words: Sequence[Token], start: int) -> bool:
    if NEGATIONS_EN.search(text[max(0, start - 30) : start]):
        return True
    i = next((k for k, w in enumerate(words) if w.start >= start), len(words))
    return any(w.text in NEGATIONS_ZH for w in before(words, i, 3))
