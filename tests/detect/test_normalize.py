"""Text normalization: what each view turns text into, and that every view maps back exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopwarden.core.text import View, ViewBuilder, fold_char, normalize
from shopwarden.core.text.fold import DROP, NOISE


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＡＢＣ１２３＠ｑｑ．ｃｏｍ", "abc123@qq.com"),  # full-width → half-width
        ("微信號碼 聯繫 臺灣", "微信号码 联系 台湾"),  # traditional → simplified
        ("WeChat MIXED Case", "wechat mixed case"),
        ("wеchat", "wechat"),  # Cyrillic е
        ("①⑩❶➀", "11011"),  # circled and dingbat digits; ⑩ expands to two characters
        ("1️⃣3️⃣8️⃣", "138"),  # keycap emoji: the digit stays, the decoration goes
        ("加  我\t\n微信", "加 我 微信"),  # whitespace runs squeeze to one space
        ("❤️微❤️信❤️", "微 信"),  # emoji become spacing; none at the ends
        ("微\u200b信", "微信"),  # zero-width characters vanish
        ("加我🐧", "加我企鹅"),  # the QQ penguin is a word
        ("➕V：abc", "+v:abc"),  # so is the heavy plus: "add"
        ("等等……好", "等等..好"),
        ("Straße", "strasse"),
    ],
)
def test_folded_view(raw, folded):
    assert normalize(raw).folded.text == folded


@pytest.mark.parametrize(
    ("raw", "compact"),
    [("微 · 信", "微信"), ("V-信：abc_88", "v信abc88"), ("v❤️x", "vx"), ("微笑服务,信誉第一", "微笑服务信誉第一")],
)
def test_compact_view_drops_noise_between_characters(raw, compact):
    assert normalize(raw).compact.text == compact


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("壹叁捌零零壹叁捌零零零", "13800138000"),
        ("一三八 〇〇一三 八〇〇〇", "138 0013 8000"),
        ("幺八六洞洞幺二三四五六", "18600123456"),
        ("call 138OO138OOO", "call 13800138000"),
        ("l38-l234-5678", "138-1234-5678"),
        ("one three eight zero zero", "1 3 8 0 0"),
        ("①③⑧⓪⓪", "13800"),
        # not in a digit run, or too short: left alone
        ("V领 hello 2024", "v领 hello 2024"),
        ("lol oil", "lol oil"),
        ("一五一十地告诉你", "一五一十地告诉你"),
        ("iphone 13 pro", "iphone 13 pro"),
        ("第一次买 2 件", "第一次买 2 件"),
        ("one of the two", "one of the two"),
    ],
)
def test_digit_view_converts_only_digit_runs(raw, digits):
    assert normalize(raw).digits.text == digits


def test_a_span_in_a_view_points_at_the_original_characters():
    raw = "请加V❤️信：ＡＢＣ_８８ 谢谢"
    norm = normalize(raw)
    compact = norm.compact
    i = compact.text.index("v信")
    start, end = compact.source_span(i, i + 2)
    assert raw[start:end] == "V❤️信"
    folded = norm.folded
    j = folded.text.index("abc_88")
    assert raw[slice(*folded.source_span(j, j + 6))] == "ＡＢＣ_８８"


def test_expanded_characters_share_their_source():
    norm = normalize("第⑩号")
    assert norm.folded.text == "第10号"
    assert norm.folded.source_span(1, 2) == (1, 2) and norm.folded.source_span(2, 3) == (1, 2)


def test_view_builder_replace_and_keep():
    parent = View.identity("abcdef")
    builder = ViewBuilder(parent)
    builder.keep(0, 2)
    builder.replace(2, 4, "XYZ")
    builder.keep(5, 6)
    child = builder.build()
    assert child.text == "abXYZf"
    assert list(child.starts) == [0, 1, 2, 2, 2, 5] and list(child.ends) == [1, 2, 4, 4, 4, 6]
    assert child.source_span(2, 6) == (2, 6) and child.source_span(3, 3) == (2, 2)


def test_keep_where_keeps_the_masked_characters_with_their_offsets():
    parent = View("a-b_c", [0, 2, 3, 5, 6], [2, 3, 5, 6, 7])
    child = parent.keep_where(bytes([1, 0, 1, 0, 1]), "abc")
    assert child.text == "abc" and list(child.starts) == [0, 3, 6] and list(child.ends) == [2, 5, 7]


def test_empty_text():
    norm = normalize("")
    assert norm.folded.text == norm.compact.text == norm.digits.text == ""
    assert norm.folded.source_span(0, 0) == (0, 0)


# ---- properties: every view maps back inside the original and covers what it kept ----

INTERESTING = list("abcOoIl|0123456789 一二三壹幺洞①⑩❶㎏ßﬁİ…微信號臺❤🐧\u200b\u20e3\ufe0fＡＢ１２-/.:@éе") + [
    "\u0301",
    "\U0001f600",
    "\t",
    "\n",
]
TEXTS = st.text(alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters(codec="utf-8")), max_size=60)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _views(raw: str):
    norm = normalize(raw)
    return {"folded": norm.folded, "compact": norm.compact, "digits": norm.digits}


@PROPERTY
@given(raw=TEXTS)
def test_every_view_character_comes_from_inside_the_original(raw):
    for name, view in _views(raw).items():
        assert len(view.starts) == len(view.ends) == len(view.text), name
        for k in range(len(view.text)):
            assert 0 <= view.starts[k] < view.ends[k] <= len(raw), (name, k)
            if k:
                assert view.starts[k - 1] <= view.starts[k] and view.ends[k - 1] <= view.ends[k], (name, k)


@PROPERTY
@given(raw=TEXTS, data=st.data())
def test_any_view_span_maps_to_an_original_span_covering_its_characters(raw, data):
    for view in _views(raw).values():
        if not view.text:
            continue
        i = data.draw(st.integers(0, len(view.text) - 1))
        j = data.draw(st.integers(i + 1, len(view.text)))
        start, end = view.source_span(i, j)
        assert 0 <= start < end <= len(raw)
        assert all(start <= view.starts[k] and view.ends[k] <= end for k in range(i, j))


def _fold_of(raw: str, start: int, end: int) -> str:
    return "".join(fold_char(c) for c in raw[start:end]).replace(DROP, "")


@PROPERTY
@given(raw=TEXTS)
def test_folded_characters_are_the_fold_of_their_source(raw):
    view = normalize(raw).folded
    for k, ch in enumerate(view.text):
        assert ch == NOISE or ch in _fold_of(raw, view.starts[k], view.ends[k]), (k, ch)


@PROPERTY
@given(raw=TEXTS)
def test_digit_view_only_writes_digits_over_the_folded_text(raw):
    norm = normalize(raw)
    for k, ch in enumerate(norm.digits.text):
        source = _fold_of(raw, norm.digits.starts[k], norm.digits.ends[k])
        assert ch in source or ch == NOISE or (ch.isascii() and ch.isdigit()), (k, ch, source)


@PROPERTY
@given(raw=TEXTS)
def test_every_letter_and_digit_of_the_original_is_covered(raw):
    wanted = {i for i, c in enumerate(raw) if any(x.isalnum() for x in fold_char(c))}
    for name, view in _views(raw).items():
        covered = {i for k in range(len(view.text)) for i in range(view.starts[k], view.ends[k])}
        assert wanted <= covered, (name, sorted(wanted - covered))


DISGUISED_NUMBERS = st.lists(
    st.sampled_from(
        ["one", "three", "zero", "oh", "eight", "壹", "叁", "幺", "洞", "O", "o", "l", "I", "1", "8", "0", "①", "８"]
    ),
    min_size=1,
    max_size=14,
).flatmap(
    lambda units: st.lists(st.sampled_from([" ", "-", "/", ".", "", "  ", "❤"]), min_size=len(units), max_size=len(units)).map(
        lambda seps: "".join(u + s for u, s in zip(units, seps, strict=True))
    )
)


@PROPERTY
@given(raw=DISGUISED_NUMBERS)
def test_disguised_digits_map_back_to_whole_words(raw):
    """Replacing "three" by "3" must point at all five letters, not just the first."""
    norm = normalize(raw)
    wanted = {i for i, c in enumerate(raw) if c.isalnum()}
    view = norm.digits
    covered = {i for k in range(len(view.text)) for i in range(view.starts[k], view.ends[k])}
    assert wanted <= covered
    assert all(0 <= view.starts[k] < view.ends[k] <= len(raw) for k in range(len(view.text)))


def _reference_views(raw: str) -> tuple[tuple, tuple]:
    """Folded and compact views built the slow, obvious way: one character at a time."""
    chars = [(c, i, i + 1) for i, ch in enumerate(raw) for c in fold_char(ch)]
    folded = []
    k = 0
    while k < len(chars):
        if chars[k][0].isspace() or chars[k][0] == DROP:
            run = k
            while k < len(chars) and (chars[k][0].isspace() or chars[k][0] == DROP):
                k += 1
            visible = any(c != DROP for c, _, _ in chars[run:k])
            if visible and run > 0 and k < len(chars):
                folded.append((NOISE, chars[run][1], chars[k - 1][2]))
            continue
        folded.append(chars[k])
        k += 1
    compact = [c for c in folded if re.fullmatch(r"[^\W_]", c[0])]
    as_view = lambda cs: ("".join(c for c, _, _ in cs), [s for _, s, _ in cs], [e for _, _, e in cs])  # noqa: E731
    return as_view(folded), as_view(compact)


@PROPERTY
@given(raw=TEXTS)
def test_the_fast_views_are_the_obvious_views(raw):
    """Folding, squeezing and compacting take shortcuts (one-to-one stretches, single spaces left
    alone, a C-level keep mask); they must give exactly what the character-by-character way gives."""
    norm = normalize(raw)
    folded, compact = _reference_views(raw)
    assert (norm.folded.text, list(norm.folded.starts), list(norm.folded.ends)) == folded
    assert (norm.compact.text, list(norm.compact.starts), list(norm.compact.ends)) == compact


def test_latin_accents_fold_away_and_offsets_stay_exact():
    # Sellers write LANCOME for Lancôme and drop pinyin tone marks; the folded view does too.
    n = normalize("Lancôme 兰蔻 nǐ hǎo")
    assert n.folded.text == "lancome 兰蔻 ni hao"
    start = n.folded.text.index("lancome")
    assert n.folded.source_span(start, start + 7) == (0, 7)


def test_lazy_offsets_are_the_offsets_an_eager_view_would_have():
    """The compact view computes its offsets only when asked; asked, they are exactly those of
    the characters kept (checked against an eager keep mask), and a squeezed view of text whose
    noise runs are already single interior spaces is the folded view itself."""
    from shopwarden.core.text.fold import ALNUM_MASK
    from shopwarden.core.text.normalize import NormalizedText, _squeeze_noise, _translate

    for text in ("加V❤信：ＡＢＣ_８８ 壹叁捌", "plain words here 123", "  lead and trail  ", "a\tb\x00c", "微 · 信 ab-12"):
        n = NormalizedText(text)
        mask = n.folded.text.translate(ALNUM_MASK).encode("latin-1")
        eager = n.folded.keep_where(mask, n.compact.text)
        assert (list(n.compact.starts), list(n.compact.ends)) == (list(eager.starts), list(eager.ends)), text
    translated = _translate("plain words here 123")
    assert _squeeze_noise(translated) is translated


_PIECES = st.lists(
    st.lists(st.sampled_from(list("ab 12\u200b\n\t。,V信①壹ｆＯ😀é\u0301-_.@¶") + ["e\u0301", "微 信", "⑩"]), max_size=12).map("".join),
    min_size=1,
    max_size=4,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PIECES)
def test_joined_views_are_the_joined_texts_views(texts):
    """`normalize_joined` builds a joined text's views from each part's (shared with the detectors
    that read the parts one by one): the same texts and the same offsets as normalizing the join."""
    from shopwarden.core.text.normalize import normalize_joined

    texts = [t for t in texts if t] or ["x"]
    normalize.cache_clear()
    joined = normalize_joined(texts, "\n¶\n")
    normalize.cache_clear()
    whole = normalize("\n¶\n".join(texts))
    assert joined.original == whole.original
    for name in ("folded", "compact", "digits"):
        a, b = getattr(joined, name), getattr(whole, name)
        assert a.text == b.text, name
        # what the signals ask before any offset list is composed: spans and bisects by source offset
        n, m = len(b.text), len(whole.original)
        assert [a.source_span(i, j) for i in range(n) for j in range(i + 1, min(n, i + 6) + 1)] == [
            b.source_span(i, j) for i in range(n) for j in range(i + 1, min(n, i + 6) + 1)
        ], name
        assert [a.index_at_or_after(o) for o in range(m + 1)] == [b.index_at_or_after(o) for o in range(m + 1)], name
        assert [a.index_ending_by(o) for o in range(m + 1)] == [b.index_ending_by(o) for o in range(m + 1)], name
        assert (list(a.starts), list(a.ends)) == (list(b.starts), list(b.ends)), name


_DIGITISH = st.lists(
    st.sampled_from(list("0123456789 -./,_:()[]~*·abxz件") + ["一", "三", "零", "两", "壹", "幺", "one", "zero", "oh", "o", "l", "i", "|", "oil", "seven", "   "]),
    max_size=30,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_DIGITISH)
def test_digit_runs_found_from_candidates_are_the_runs_that_hold_one(text):
    """The digit view reads only the runs that hold a disguised-digit candidate, found from the
    candidates: exactly the runs a scan of the whole text would find and keep."""
    from shopwarden.core.text import digits

    def kept(runs):
        return [r.span() for r in runs if digits._HAS_CANDIDATE.search(text, r.start(), r.end())]

    first = digits._HAS_CANDIDATE.search(text)
    found = kept(digits._runs(text, first.start())) if first else []
    assert found == kept(digits._RUN.finditer(text))
