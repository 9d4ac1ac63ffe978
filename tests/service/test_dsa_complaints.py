"""DSA Art. 20 (complaints decided by people) and ended measures (no statement: Art. 17 states restrictions)."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from shopwarden.errors import InvalidInput
from shopwarden.service import appeals, shops, statements, violations
from shopwarden.service.auth import Principal
from tests.conftest import T0

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
BASE = T0 - timedelta(days=60)
SRC = Path(__file__).resolve().parents[2] / "src" / "shopwarden"
EVIDENCE = [{"kind": "text", "value": "the invoice"}]


def _appealed(ctx, shop_id: str, policy: str = "tiktok-shop-eu") -> dict:
    shops.put_shop(ctx, PLATFORM, shop_id, "Shop", "enterprise", policy)
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=shop_id, type="counterfeit", severity="general", issued_at=BASE, evidence=EVIDENCE, note="issued automatically from DY-IP-1"))
    return appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="genuine goods", evidence=EVIDENCE, filed_at=BASE + timedelta(days=1)))


def _calls(name: str) -> list[str]:
    """The modules (relative to src/shopwarden) with a call to `<anything>.<name>(...)`."""
    out = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == name for n in ast.walk(tree)):
            out.append(str(path.relative_to(SRC)))
    return sorted(out)


def test_no_appeal_is_rejected_by_automation_alone_by_construction():
    # DSA Art. 20(6): the only writer of an appeal decision is service/appeals.decide, and decide is reached only
    # from a person's request (the API and the console) or the demo seed's operator, never from a consumer, batch
    # job, CLI command or another use case that could run without a person.
    writers = [m for m in _calls("add_decision") if m not in ("service/cases.py", "service/review_reports.py", "service/notices.py")]
    assert writers == ["service/appeals.py"]
    deciders = [m for m in _calls("decide") if m.startswith(("consume/", "batch/", "cli/", "service/"))]
    assert set(deciders) <= {"service/demo.py", "service/notices.py"}, deciders
    src = (SRC / "service" / "demo.py").read_text(encoding="utf-8")
    assert '"outcome": "rejected"' not in src


def test_a_rejection_under_an_eu_pack_names_the_person_who_decided(ctx):
    # DSA Art. 20(6): a platform key relaying a rejection must say who decided it; nothing is written otherwise
    a = _appealed(ctx, "eu1")
    with pytest.raises(InvalidInput) as e:
        appeals.decide(ctx, PLATFORM, a.id, appeals.DecisionInput(outcome="rejected", reason="no proof", decided_at=BASE + timedelta(days=2)))
    assert e.value.errors[0].field == "decided_by" and "Art. 20" in e.value.errors[0].message
    assert appeals.get(ctx, PLATFORM, a.id).status == "pending"
    out = appeals.decide(ctx, PLATFORM, a.id, appeals.DecisionInput(outcome="rejected", reason="no proof", decided_at=BASE + timedelta(days=2), decided_by="operator Anna (trust & safety)"))
    assert out.decided_by == "operator Anna (trust & safety)"


def test_an_operator_rejects_at_the_console_and_outside_the_eu_nothing_changes(ctx):
    # DSA Art. 20(6): an operator's key is a person's; a pack without `dsa` keeps its old contract
    a = _appealed(ctx, "eu1")
    assert appeals.decide(ctx, OPERATOR, a.id, appeals.DecisionInput(outcome="rejected", reason="no proof")).status == "rejected"
    b = _appealed(ctx, "sea1", policy="tiktok-shop")
    assert appeals.decide(ctx, PLATFORM, b.id, appeals.DecisionInput(outcome="rejected", reason="no proof", decided_at=BASE + timedelta(days=2))).status == "rejected"


def test_a_measure_lifted_on_appeal_adds_no_statement_and_keeps_its_own(ctx):
    # DSA Art. 17 states restrictions when imposed; lifting one restricts nothing (DSA.md: only restrictions are stated
    # and exported). The statement stays as it was (append-only); the record shows the lifting.
    a = _appealed(ctx, "eu1")
    before = statements.search(ctx, PLATFORM, statements.Query(limit=50)).items
    assert [i["measure"]["kind"] for i in before] == ["sanction.no_campaigns"]
    appeals.decide(ctx, OPERATOR, a.id, appeals.DecisionInput(outcome="granted", reason="invoice checks out"))
    after = statements.search(ctx, PLATFORM, statements.Query(limit=50)).items
    assert after == before
