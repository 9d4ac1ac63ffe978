"""The pages' catalogues: every text the templates and page code mark is in messages.pot, has a
Chinese translation with the same placeholders, and both catalogues compile."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from shopwarden.web import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src/shopwarden/web/locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "N_": None}
    return {m[2] for m in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords) if isinstance(m[2], str)}


def _ids(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_the_template_catalogue_is_up_to_date():
    pot = set(_ids(LOCALE / "messages.pot"))
    found = _extracted()
    assert found - pot == set(), "run pybabel extract (see web/i18n.py)"
    assert pot - found == set(), "messages.pot lists texts no page uses any more"


def test_every_text_has_chinese_with_the_same_placeholders():
    zh = _ids(LOCALE / "zh_CN/LC_MESSAGES/messages.po")
    pot = _ids(LOCALE / "messages.pot")
    assert set(pot) <= set(zh)
    for msgid in pot:
        assert zh[msgid], f"no Chinese for {msgid!r}"
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(zh[msgid])), msgid


def test_both_catalogues_compile_and_translate():
    assert i18n.translations("zh-CN").gettext("Store diagnosis") == "店铺诊断"
    assert i18n.translations("en").gettext("Store diagnosis") == "Store diagnosis"
    assert i18n.translations("en").gettext("pending_review") == "pending review"
