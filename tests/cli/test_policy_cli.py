"""`shopwarden policy validate|show`, run through Typer's test runner.

`policy show tiktok-shop` is compared with a golden file; `SHOPWARDEN_WRITE_GOLDEN=1 pytest …`
rewrites it after an intended change (review the diff before committing).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from shopwarden.cli.policy import policy_app
from shopwarden.service.policies import builtin_pack_texts

GOLDEN = Path(__file__).parent / "golden"
# A fixed width and no colour, whatever terminal runs the tests.
ENV = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}


def run(*args: str, width: int = 120):
    return CliRunner().invoke(policy_app, list(args), env={**ENV, "COLUMNS": str(width)})


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "pack.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def check_golden(name: str, output: str) -> None:
    output = "".join(line.rstrip() + "\n" for line in output.splitlines())  # Rich pads lines; editors strip them
    golden = GOLDEN / name
    if os.environ.get("SHOPWARDEN_WRITE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8"), f"{name} differs; rerun with SHOPWARDEN_WRITE_GOLDEN=1 if intended"


def test_validate_a_good_file_prints_one_ok_line(tmp_path):
    result = run("validate", str(write(tmp_path, builtin_pack_texts()["douyin"])))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK ") and len(result.output.strip().splitlines()) == 1


def test_validate_lists_every_problem_with_path_line_and_hint(tmp_path):
    text = (
        builtin_pack_texts()["tiktok-shop"]
        .replace("\n  - points: 12\n", "\n  - points: twelve\n", 1)
        .replace("    level: high\n", "    level: extreme\n")
        .replace("severities: {minor: 1, general: 6, serious: 24, critical: 48}", "severities: {minor: 1, general: 60, serious: 24, critical: 48}", 1)
    )
    result = run("validate", str(write(tmp_path, text)), width=250)  # wide enough that no cell wraps
    assert result.exit_code == 1
    out = result.output
    assert "3 problem(s)" in out
    for expected in ("thresholds[0].points", "thresholds[1].level", "violation_types[3].severities.general", "known levels: low, medium, high, very_high", "whole number"):
        assert expected in out
    line = text.splitlines().index("  - points: twelve") + 1
    assert re.search(rf"│ +{line} │", out)


def test_validate_reports_yaml_syntax_errors_with_the_line(tmp_path):
    result = run("validate", str(write(tmp_path, "id: x\nlevels: [low, high\nversion: 1\n")))
    assert result.exit_code == 1 and "(yaml)" in result.output and "syntax" in result.output
    assert re.search(r"│ +3 │", result.output)


def test_brackets_in_hints_are_printed_not_taken_for_markup(tmp_path):
    text = builtin_pack_texts()["shopee"].replace("  weekend: [sat, sun]\n", "  weekend: sat\n")
    result = run("validate", str(write(tmp_path, text)), width=250)
    assert result.exit_code == 1 and "calendar.weekend" in result.output and "`[a, b]`" in result.output


def test_validate_a_missing_file_is_a_usage_error(tmp_path):
    assert run("validate", str(tmp_path / "nope.yaml")).exit_code == 2


def test_show_tiktok_matches_the_golden_file():
    result = run("show", "tiktok-shop")
    assert result.exit_code == 0, result.output
    check_golden("policy_show_tiktok-shop.txt", result.output)


def test_show_douyin_shows_both_point_classes_and_the_calendar():
    result = run("show", "douyin")
    assert result.exit_code == 0, result.output
    for expected in ("一般违规积分(A类)", "B12", "general A4 +takedown", "no ladder", "1–5 working days", "2026-02-14", "Asia/Shanghai"):
        assert expected in result.output


def test_show_accepts_a_file(tmp_path):
    result = run("show", str(write(tmp_path, builtin_pack_texts()["shopee"])))
    assert result.exit_code == 0 and "tier_5" not in result.output and "Tier 5 第五级" in result.output


def test_show_an_unknown_pack_names_the_known_ones():
    result = run("show", "amazon")
    assert result.exit_code == 1 and "douyin, shopee, tiktok-shop" in result.output
