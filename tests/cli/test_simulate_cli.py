"""`shopwarden simulate` over a stored ledger (issue 17): the summary for machines, one shop explained,
a draft that does not validate refused with all its problems, an empty period an empty report
(TT-PTS-3)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from shopwarden.cli.main import app
from shopwarden.service import violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.policies import builtin_pack_texts
from shopwarden.service.shops import put_shop
from tests.conftest import T0

ENV = {"COLUMNS": "200", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}
PLATFORM = Principal("t", "platform", None)
D = timedelta(days=1)


def _draft(tmp_path: Path, old: str, new: str) -> Path:
    text = builtin_pack_texts()["tiktok-shop"]
    head, ladder = text.split("\nthresholds:\n", 1)
    assert old in ladder.split("\n\n", 1)[0]
    path = tmp_path / "draft.yaml"
    path.write_text(head + "\nthresholds:\n" + ladder.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict:
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    # three tiktok shops: 12 points (sanctioned at 12), 6 points (never), 24 points (sanctioned at 12 and 24); one douyin shop
    for shop, sevs in (("t12", ["general"]), ("t6", ["minor"]), ("t24", ["general", "general"])):
        put_shop(ctx, PLATFORM, shop, shop, "enterprise", "tiktok-shop")
        for i, sev in enumerate(sevs):
            violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=shop, type="prohibited_products", severity=sev, issued_at=T0 - (40 - i) * D))
    put_shop(ctx, PLATFORM, "d1", "d1", "enterprise", "douyin")
    return env


def test_one_threshold_moved_changes_exactly_the_shops_that_crossed_it(env, tmp_path: Path):
    # TT-PTS-3: the first threshold moved from 12 to 18 points
    draft = _draft(tmp_path, "  - points: 12\n", "  - points: 18\n")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--json"], env=env)
    assert r.exit_code == 0, r.output
    body = orjson.loads(r.stdout)
    assert body["against"] == "tiktok-shop" and body["shops_simulated"] == 3
    assert body["shops_changed"] == 2 and {s["shop_id"] for s in body["shops"]} == {"t12", "t24"}
    assert body["sanctions_removed"] == 2 and body["sanctions_added"] == 1  # t24 crosses 18 on its second violation
    t12 = next(s for s in body["shops"] if s["shop_id"] == "t12")
    assert [x["kind"] for x in t12["sanctions_removed"]] == ["no_campaigns"] and t12["sanctions_removed"][0]["days_in_period"] == 30
    assert body["by_market"]["tiktok-shop"]["shops_changed"] == 2
    assert body["by_violation_type"]["prohibited_products"]["sanctions_removed"] == 2


def test_the_live_pack_against_itself_changes_nothing(env, tmp_path: Path):
    same = tmp_path / "same.yaml"
    same.write_text(builtin_pack_texts()["tiktok-shop"], encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(same), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--json"], env=env)
    assert r.exit_code == 0, r.output
    body = orjson.loads(r.stdout)
    assert (body["shops_simulated"], body["shops_changed"], body["sanctions_added"], body["sanctions_removed"], body["shops"]) == (3, 0, 0, 0, [])


def test_explain_prints_one_shops_two_timelines(env, tmp_path: Path):
    draft = _draft(tmp_path, "  - points: 12\n", "  - points: 18\n")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--explain", "t24"], env=env)
    assert r.exit_code == 0, r.output
    assert "t24" in r.output and "no_campaigns" in r.output and "live end" in r.output and "draft end" in r.output
    missing = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--explain", "d1"], env=env)
    assert missing.exit_code == 2 and "no shop 'd1' under the policy 'tiktok-shop'" in missing.output


def test_a_period_with_no_events_is_an_empty_report(env, tmp_path: Path):
    draft = _draft(tmp_path, "  - points: 12\n", "  - points: 18\n")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", "2001-01-01", "--to", "2001-02-01", "--json"], env=env)
    assert r.exit_code == 0, r.output
    body = orjson.loads(r.stdout)
    assert body["shops_changed"] == 0 and body["shops"] == [] and body["by_market"] == {}


def test_a_draft_that_does_not_validate_is_refused_with_every_problem(env, tmp_path: Path):
    bad = _draft(tmp_path, "  - points: 24\n    level: high\n", "  - points: 6\n    level: nowhere\n")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(bad), "--from", "2025-01-01", "--to", "2026-01-01"], env=env)
    assert r.exit_code == 1
    assert "2 problem(s)" in r.output and "thresholds[1].points" in r.output and "thresholds[1].level" in r.output


def test_a_backwards_period_and_a_bad_instant_are_refused(env, tmp_path: Path):
    draft = _draft(tmp_path, "  - points: 12\n", "  - points: 18\n")
    back = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", "2026-01-01", "--to", "2025-01-01"], env=env)
    assert back.exit_code == 2 and "to:" in back.output and "before from" in back.output
    bad = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", "3000-01-01", "--to", "2025-01-01"], env=env)
    assert bad.exit_code == 2 and "--from" in bad.output


def test_every_engine_gives_the_same_report(env, tmp_path: Path):
    # TT-PTS-3: the shops replayed in one process, in three local processes and on a Dask LocalCluster give one report
    draft = _draft(tmp_path, "  - points: 12\n", "  - points: 18\n")
    args = ["simulate", "--pack", str(draft), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--json"]
    one = CliRunner().invoke(app, args + ["--workers", "1"], env=env)
    three = CliRunner().invoke(app, args + ["--workers", "3", "--export", str(tmp_path / "export")], env=env)
    dask = CliRunner().invoke(app, args + ["--engine", "dask", "--workers", "2"], env=env)
    assert one.exit_code == 0 and three.exit_code == 0 and dask.exit_code == 0, (three.output, dask.output)
    assert orjson.loads(one.stdout) == orjson.loads(three.stdout) == orjson.loads(dask.stdout) and orjson.loads(one.stdout)["shops_changed"] == 2
    assert (tmp_path / "export" / "manifest.json").is_file()
    assert CliRunner().invoke(app, args + ["--workers", "0"], env=env).exit_code == 2
    bad = CliRunner().invoke(app, args + ["--engine", "spark"], env=env)
    assert bad.exit_code == 2 and "engine" in bad.output and "local, dask" in bad.output
    assert CliRunner().invoke(app, args + ["--scheduler", "tcp://127.0.0.1:1"], env=env).exit_code == 2  # a scheduler is for dask


def test_creators_are_replayed_beside_the_shops(env, tmp_path: Path):
    # CR-7 (points, as TT-PTS-3): the creators' first threshold moved from 12 to 18 changes the creator at 12 points
    from shopwarden.service import creators

    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    creators.put(ctx, PLATFORM, "cr-1", creators.CreatorInput("cr 1", "tiktok-shop"))
    creators.issue_violation(ctx, PLATFORM, {"creator_id": "cr-1", "type": "spam_fraud", "severity": "serious", "issued_at": T0 - 30 * D})
    text = builtin_pack_texts()["tiktok-shop"]
    assert text.count("\n    - points: 12\n") == 1  # the creators' ladder (the shops' is indented by two)
    draft = tmp_path / "creators-18.yaml"
    draft.write_text(text.replace("\n    - points: 12\n", "\n    - points: 18\n"), encoding="utf-8")
    same = tmp_path / "same.yaml"
    same.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", "--pack", str(draft), "--from", (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--json"], env=env)
    assert r.exit_code == 0, r.output
    body = orjson.loads(r.stdout)
    assert body["shops_changed"] == 0  # the shops' ladder is the live one
    assert body["creators"]["shops_simulated"] == 1 and body["creators"]["shops_changed"] == 1
    (cr,) = body["creators"]["creators"]
    assert cr["creator_id"] == "cr-1" and cr["sanctions_removed"] and not cr["sanctions_added"]
    same = CliRunner().invoke(app, ["simulate", "--pack", str(same), "--from",
                                    (T0 - 60 * D).isoformat(), "--to", T0.isoformat(), "--json"], env=env)
    assert orjson.loads(same.stdout)["creators"]["shops_changed"] == 0


def test_replay_at_reports_every_standing(env, tmp_path: Path):
    # TT-PTS-3 (issue 14's replay --at): t12 and t24 stand sanctioned 10 days after their violations, t6 not
    at = (T0 - 25 * D).isoformat()
    r = CliRunner().invoke(app, ["replay", "--at", at, "--policy", "tiktok-shop", "--json", "--workers", "1", "--out", str(tmp_path / "s.jsonl")], env=env)
    assert r.exit_code == 0, r.output
    body = orjson.loads(r.stdout)
    assert body["shops"]["tiktok-shop"]["count"] == 3 and body["shops"]["tiktok-shop"]["in_force"]["no_campaigns"] >= 2
    lines = [orjson.loads(x) for x in (tmp_path / "s.jsonl").read_bytes().splitlines()]
    by_id = {x["id"]: x for x in lines if x["subject"] == "shop"}
    assert by_id["t24"]["points"] == 24 and by_id["t6"]["in_force"] == [] and by_id["t12"]["points"] == 12
    bad = CliRunner().invoke(app, ["replay", "--at", at, "--policy", "nope"], env=env)
    assert bad.exit_code == 2 and "nope" in bad.output
