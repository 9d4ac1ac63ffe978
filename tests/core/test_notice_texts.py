"""Golden texts of the notices a seller reads, in Chinese and English (SHOPWARDEN_WRITE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, ViolationIssued
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.ledger.notices import render
from shopwarden.core.ledger.standing import fold
from shopwarden.service.policies import load_builtin_packs

GOLDEN = Path(__file__).parent / "golden"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _history(pack, point_class: str, vtype: str, severities: list[str]):
    events = []
    for i, sev in enumerate(severities):
        at = T0 + timedelta(days=i)
        points = pack.types[vtype].severities[sev].points
        cls = pack.class_of(vtype, sev)
        events.append(ViolationIssued(f"v{i}", at, vtype, sev, points, cls, expires_at(pack, cls, at)))
    events.append(AppealFiled("a1", "v1", 1, T0 + timedelta(days=3)))
    events.append(AppealDecided("a1", "v1", "granted", T0 + timedelta(days=5), "发票证明已获授权 the invoice proves authorization", "agent-7"))
    return events


@pytest.mark.parametrize("policy,vtype,severities", [
    ("tiktok-shop", "counterfeit", ["general", "minor", "minor"]),
    ("douyin", "off_platform_diversion", ["general", "serious", "especially_serious"]),
])
def test_notice_texts_match_golden(policy, vtype, severities):
    # rule TT-PTS-4 TT-APL-6: warnings, sanctions and decisions are told to the seller, with rule and policy version
    pack = load_builtin_packs()[policy]
    standing = fold(pack, _history(pack, pack.primary, vtype, severities), T0 + timedelta(days=400))
    lines = []
    for n in standing.notices:
        for lang in ("zh", "en"):
            text = render(n, pack, lang)
            lines.append(f"[{n.sent_at:%Y-%m-%d}] {n.kind} {lang}: {text.title} | {text.body}")
    got = "\n".join(lines) + "\n"
    path = GOLDEN / f"notices_{policy}.txt"
    if os.environ.get("SHOPWARDEN_WRITE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
    assert all(f"{pack.id} v{pack.version}" in line for line in lines)
