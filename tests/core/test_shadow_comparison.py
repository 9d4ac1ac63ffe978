"""Shadow detectors in the core (issue 17): a candidate version of a detector beside the live one,
compared by the rules each raises (DY-DV's detector as the example)."""

from __future__ import annotations

import pytest

from shopwarden.core.backtest import shadow_backtest
from shopwarden.core.detect import DetectContext, Subject, default_registry
from shopwarden.core.detect.shadow import compare, run_shadows
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import DetectorSettings, ShadowSettings
from shopwarden.errors import PolicyError
from shopwarden.service.policies import builtin_pack_texts

WECHAT = Subject.message("V信: abc_8888")  # DY-DV: a WeChat id
PLAIN = Subject.message("请问这件有M码吗")


def _ctx(live_enabled: bool = True, **shadow) -> DetectContext:
    sh = ShadowSettings(version="dv-2", **shadow)
    return DetectContext(detectors={"contact_diversion": DetectorSettings(enabled=live_enabled, shadow=sh, source="test")})


def test_verdicts_compare_the_rules_each_side_raises():
    registry = default_registry()
    live = registry.scan(WECHAT, DetectContext())
    assert {f.rule for f in live} == {"DY-DV"}
    assert compare(live, live) == "agree" and compare([], []) == "agree"
    assert compare(live, []) == "live_only" and compare([], live) == "shadow_only"


def test_a_shadow_with_its_own_thresholds_runs_beside_the_live_version():
    # DY-DV: the live version finds the WeChat id; a shadow whose min_score no finding reaches finds nothing
    registry = default_registry()
    dctx = _ctx(thresholds={"min_score": 1.0, "learned": 0})
    live = registry.scan(WECHAT, dctx)
    (run,) = run_shadows(registry, WECHAT, dctx, live)
    assert run.detector == "contact_diversion" and run.version == "dv-2"
    assert [f.rule for f in run.live] == ["DY-DV"] and run.shadow == () and run.verdict == "live_only"
    # a detector switched off live and on in shadow: only the shadow finds it
    off = _ctx(live_enabled=False)
    assert registry.scan(WECHAT, off) == []
    (run,) = run_shadows(registry, WECHAT, off, [])
    assert run.verdict == "shadow_only" and [f.rule for f in run.shadow] == ["DY-DV"]
    (run,) = run_shadows(registry, PLAIN, off, [])
    assert run.verdict == "agree"
    # a shadow declared but not enabled is not run
    assert run_shadows(registry, WECHAT, _ctx(enabled=False), live) == ()


def test_a_pack_switches_a_shadow_on_and_a_bad_one_is_refused():
    text = builtin_pack_texts()["tiktok-shop"].replace("\ndetectors:\n", """\ndetectors:
  contact_diversion:
    thresholds: {}
    shadow: {version: dv-2026-03, thresholds: {min_score: 0.8}}
    source: test
""", 1)
    pack = parse_pack(text, source="t.yaml", bases=builtin_pack_texts())
    assert pack.detectors["contact_diversion"].shadow.version == "dv-2026-03"
    bad = text.replace("shadow: {version: dv-2026-03, thresholds: {min_score: 0.8}}", "shadow: {thresholds: {min_score: high}}")
    with pytest.raises(PolicyError) as err:
        parse_pack(bad, source="t.yaml", bases=builtin_pack_texts())
    paths = {p.path for p in err.value.problems}
    assert "detectors.contact_diversion.shadow.version" in paths and "detectors.contact_diversion.shadow.thresholds.min_score" in paths


def test_the_backtest_counts_labels_per_detector_version():
    rows = shadow_backtest([("contact_diversion", "dv-2", "agree", None, 40), ("contact_diversion", "dv-2", "shadow_only", "shadow", 3),
                            ("contact_diversion", "dv-2", "live_only", "live", 1), ("contact_diversion", "dv-2", "live_only", None, 2),
                            ("contact_diversion", "dv-2", "differ", "neither", 1)])
    (r,) = rows
    assert (r.agree, r.live_only, r.shadow_only, r.differ, r.disagreements) == (40, 3, 3, 1, 7)
    assert (r.live_right, r.shadow_right, r.neither, r.unlabelled) == (1, 3, 1, 2)
    assert r.shadow_right_share == 0.75 and r.shadow_right_interval.low < 0.75 < r.shadow_right_interval.high
