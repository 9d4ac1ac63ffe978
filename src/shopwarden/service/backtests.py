"""`backtest`: each detector's precision and recall against operators' decisions over a period (issue 17).

How findings ended and what the detectors missed are read from the store (`store.backtests`) and
counted by `core.backtest`, which says what counts as confirmed, overturned and missed. A miss is a
violation an operator issued by hand (not from a finding's case, not issued at once by the pack) whose
type enforces a rule some detector covers: the shipped detectors' rules and any rule a finding named
in the period.

Shadow detectors: beside the live rows, one row per shadowed detector and version from the stored
shadow findings of the period and operators' labels of their disagreements (`core.backtest.shadow_backtest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shopwarden.core.backtest import Outcome, RuleBacktest, ShadowBacktest, Verdict, backtest, shadow_backtest
from shopwarden.core.detect.registry import default_registry
from shopwarden.errors import InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.consequences import auto_source
from shopwarden.service.context import Context
from shopwarden.store import backtests as store
from shopwarden.store import shadows


@dataclass(frozen=True)
class BacktestInput:
    lo: datetime
    hi: datetime


@dataclass(frozen=True)
class BacktestResult:
    lo: datetime
    hi: datetime
    rows: list[RuleBacktest]
    shadow: list[ShadowBacktest] = field(default_factory=list)


def run(ctx: Context, principal: Principal, inp: BacktestInput) -> BacktestResult:
    require(principal, "policy.simulate")
    if inp.hi < inp.lo:
        raise InvalidInput.one("to", f"{inp.hi.isoformat()} is before from ({inp.lo.isoformat()}); the period must run forwards")
    with ctx.db.read() as s:
        ends = store.case_ends(s, inp.lo, inp.hi)
        issued = store.shop_violations(s, inp.lo, inp.hi)
        shadow_counts = shadows.counts(s, inp.lo, inp.hi)
    # A confident finding may both issue a violation at once and open a case on it (same shop, rule
    # and instant): the case's decision judges it, or the violation being taken back overturns it.
    autos = {}
    hand = []
    for v in issued:
        source = auto_source(v.note)
        if source is not None:
            autos[(v.shop_id, source[0], v.issued_at)] = (source[1], v.overturned)
        elif not v.from_case:
            hand.append(v)
    outcomes = []
    for e in ends:
        auto = autos.pop((e.shop_id, e.rule, e.opened_at), None)
        taken_back = auto is not None and auto[1]
        verdict: Verdict = "overturned" if taken_back or e.outcome == "dismiss" else "pending" if e.outcome is None else "confirmed"
        outcomes.append(Outcome(e.rule, e.detector, "case", verdict))
    for (_, rule, _), (detector, overturned) in autos.items():
        outcomes.append(Outcome(rule, detector, "auto", "overturned" if overturned else "confirmed"))
    covered = {r for d in default_registry() for r in d.rules} | {o.rule for o in outcomes}
    for v in hand:
        pack = ctx.packs.get(v.policy_id)
        vtype = pack.types.get(v.type) if pack is not None else None
        for rule in (vtype.rules if vtype is not None else ()):
            if rule in covered:
                outcomes.append(Outcome(rule, "", "manual", "missed"))
    return BacktestResult(inp.lo, inp.hi, backtest(outcomes), shadow_backtest(shadow_counts))
