"""Links, domains and e-mail addresses, also spelled out: "点com", "dot com", "(at)", "艾特" (DY-DV).

Bare domains count only with a top-level domain from a short list of those seen in the wild,
so that "1.5kg", "image.jpg" or "Mr.Li" are not taken for sites, and only in a hostname's form:
a full stop glued to a word, a space, then a capitalised word ("the money.  My friend", "Ok. Id
card") ends a sentence, whereas a seller who spaces a dot out writes it apart on both sides or
in lower case ("shop . com", "shop. com"). The platform's own domains
(`DetectContext.allowed_domains`) are not off-platform.
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.solicitation import lexicon_names
from shopwarden.core.text import NormalizedText

TLDS = (
    "com|net|org|cn|io|co|me|cc|tv|shop|store|top|xyz|vip|info|biz|link|site|online|app|ly|gl|gd|"
    "id|my|sg|th|vn|ph|hk|tw|jp|kr|us|uk|de|fr|ru|club|asia|mobi|tech|ltd"
)
# A dot, or how sellers write one to get past a link filter.
_DOT = r"(?:\s?[.。]\s?|\s?点\s?|\s(?:dot)\s|\s?[(\[{<（【]\s?(?:dot|点|\.)\s?[)\]}>）】]\s?)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}{_DOT})+(?:{TLDS})(?![a-z0-9])"
_PATH = r"(?:/[a-z0-9_\-./?=&%#~+]*)?"
_AT = r"(?:\s?@\s?|\s?[(\[（]\s?(?:at|@)\s?[)\]）]\s?|\sat\s|\s?艾特\s?|\s?#\s?)"
_LOCAL = r"[a-z0-9][a-z0-9._%+\-]{0,63}"

_URL = re.compile(rf"(?:https?|ftp)\s?:\s?//\s?[^\s<>\"'，。、）)\]】]+|www{_DOT}{_DOMAIN}{_PATH}")
# The "nothing glued before" tests sit after the first character, not before it, so that the
# engine's quick scan for a first [a-z0-9] skips the Chinese text in between.
_EMAIL = re.compile(rf"[a-z0-9](?<![a-z0-9._%+\-][a-z0-9])[a-z0-9._%+\-]{{0,63}}{_AT}{_DOMAIN}")
_BARE = re.compile(rf"[a-z0-9](?<![a-z0-9@._\-][a-z0-9])(?:[a-z0-9\-]{{0,61}}[a-z0-9])?{_DOT}(?:{_LABEL}{_DOT})*(?:{TLDS})(?![a-z0-9]){_PATH}")
_SPELLED = re.compile(r"点|dot|\(|\[|（|【|\s")
# The last dot of a bare domain as a sentence writes a full stop: glued to the label before it,
# then a space, then the top-level domain (whose casing the original text tells).
_STOP_THEN_TLD = re.compile(rf"[a-z0-9][.。]\s+(?P<tld>{TLDS})(?![a-z0-9])")
# Every domain ends in a dot however written (".", "。", "点", "dot", a closing bracket of "(.)")
# and a listed TLD, and every other link has "//": text with neither has no link to look for.
_HINT = re.compile(rf"(?:[.。点)\]}}>）】]|dot)\s?(?:{TLDS})(?![a-z0-9])|//")


def _host(written: str) -> str:
    """The host of a (possibly spelled-out) link, with real dots, for allow-lists and values."""
    host = re.sub(r"^(?:https?|ftp)\s?:\s?//\s?", "", written)
    host = re.split(r"/", host, maxsplit=1)[0]
    return re.sub(rf"{_DOT}", ".", host).strip(". ")


def _allowed(host: str, context: DetectContext) -> bool:
    return any(host == d or host.endswith("." + d) for d in context.allowed_domains)


def own_links(text: str, context: DetectContext) -> list[tuple[int, int]]:
    """The spans of `text` (a folded view) that are links to the platform's own domains."""
    if not context.allowed_domains or "//" not in text:
        return []
    return [(m.start(), m.end()) for m in _URL.finditer(text) if _allowed(_host(m.group(0)), context)]


def _sentence_end(norm: NormalizedText, start: int, written: str) -> bool:
    """Whether a bare domain's last dot is a full stop before a capitalised word ("money.  My"),
    not a hostname's: the top-level domain is written Title-case after the dot and a space, while
    the label before the dot is not in capitals (a text in capitals tells nothing)."""
    stops = list(_STOP_THEN_TLD.finditer(written))
    stop = stops[-1] if stops else None
    if stop is None or stop.end() != len(written.split("/", 1)[0].rstrip()):
        return False
    a, b = norm.folded.source_span(start + stop.start("tld"), start + stop.end("tld"))
    tld, before = norm.original[a:b], norm.original[max(0, a - 3) : a]
    return tld[:1].isupper() and not tld[1:].isupper() and not any(c.isupper() for c in before)


def find_links(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.folded
    hits: list[Hit] = []
    if not _HINT.search(view.text):
        return hits
    taken: list[tuple[int, int]] = []
    for kind, pattern in (("email", _EMAIL), ("link", _URL), ("link", _BARE)):
        for m in pattern.finditer(view.text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue  # a domain inside an e-mail address or a URL already found
            hit = _link_hit(norm, kind, m.start(), m.end(), context)
            if hit is not None:
                taken.append((m.start(), m.end()))
                hits.append(hit)
    return hits


def _link_hit(norm: NormalizedText, kind: str, start: int, end: int, context: DetectContext) -> Hit | None:
    view = norm.folded
    written = view.text[start:end]
    host = _host(written.split("@")[-1] if kind == "email" else written)
    if _allowed(host, context):
        return None
    spelled = bool(_SPELLED.search(written.split("//")[-1]))
    if spelled and re.match(r"\d{1,2}\s?[点。]", written):
        return None  # "8点top", "3点。co…": a time of day, not a domain
    if kind == "email":
        address = re.split(_AT, written, maxsplit=1)[0] + "@" + host
        return Hit.on(
            view, start, end, "email", 0.93 + 0.03 * spelled, f"an e-mail address ({address})", f"电子邮箱（{address}）", address
        )
    if not spelled and not written.startswith(("http", "www")) and "/" not in written and written in lexicon_names(context.lexicons):
        return None  # "Coins.ph", "Mudah.my": a service of the market lexicons by its name (solicitation reads it as one)
    if kind == "link" and not written.startswith(("http", "www")) and _sentence_end(norm, start, written):
        return None
    score = 0.95 if written.startswith(("http", "www")) else 0.88 + 0.06 * spelled
    return Hit.on(view, start, end, "link", score, f"a link to an outside site ({host})", f"站外链接（{host}）", host)
