"""Inviting buyers to a physical shop at a street address (DY-DV).

The ship-from address in a listing ("发货地：广东广州") is not an invitation: a hit needs a
word for a shop a buyer can walk into, followed by a street address or "come to the shop".
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

_SHOP = re.compile(r"实体店|门店|线下店|店面地址|档口|展厅|本店地址|店铺地址|厂址|我们(?:店|家)在")
_ADDRESS_PART = re.compile(r"[省市区县镇路街道号栋楼室弄巷村]")
_INVITE = re.compile(r"欢迎(?:到店|来店|光临|自提|看货|上门|来玩)(?:看货|自提|试穿|体验)?|到店(?:自提|看货|试穿|体验)|上门自提")


_CLAUSE = re.compile(r"[^，。,!！;；?？\n¶]{0,40}")


def find_addresses(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.folded
    hits = []
    for m in _SHOP.finditer(view.text):
        clause = _CLAUSE.match(view.text, m.end())
        assert clause is not None  # {0,40}: it matches anywhere
        parts = len(set(_ADDRESS_PART.findall(clause.group())))
        invite = _INVITE.search(view.text, m.end(), m.end() + 60)
        named = "地址" in m.group() or view.text.startswith("地址", m.end())
        if parts >= 3 or (parts >= 2 and (invite or named)):
            end = max(clause.end(), invite.end() if invite else 0)
            hits.append(Hit.on(view, m.start(), end, "address", 0.82 + 0.06 * bool(invite),
                               "invites buyers to a physical shop address", "引导到线下实体店地址"))  # fmt: skip
    # the invitation first, then the address: "欢迎到店自提，地址：广州市白云区…88号"
    for m in _INVITE.finditer(view.text) if not hits else ():
        window = _WINDOW.match(view.text, m.end())
        if window is None:
            continue
        at = window.group().find("地址")
        if at < 0:
            continue
        parts = len(set(_ADDRESS_PART.findall(window.group(), at)))
        if parts >= 3:
            hits.append(Hit.on(view, m.start(), window.end(), "address", 0.88, "invites buyers to a physical shop address", "引导到线下实体店地址"))
    return hits


_WINDOW = re.compile(r"[^。!！?？\n¶]{0,60}")
