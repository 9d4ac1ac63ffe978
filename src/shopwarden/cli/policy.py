"""`shopwarden policy …`: validate a pack file (every problem at once) and show a pack readably."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from shopwarden.core.policy.base import Text as Bilingual
from shopwarden.core.policy.schema import AppealWindow, PolicyPack, ReviewReportRules
from shopwarden.errors import PolicyError
from shopwarden.service.policies import load_builtin_packs, load_pack_file

policy_app = typer.Typer(help="Policy packs: validate a YAML file, show a pack.", no_args_is_help=True)


def _console() -> Console:
    # Pack texts hold brackets (`[a, b]`, `thresholds[0]`): print them as they are, never as markup.
    return Console(markup=False, highlight=False)


@policy_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="a policy-pack YAML file", exists=True, dir_okay=False)],
) -> None:
    """Check a pack file and list every problem with its YAML path, line and a hint (exit 1 on problems)."""
    console = _console()
    pack = _load_file_or_exit(console, file)
    console.print(
        f"OK {file}: {pack.id} v{pack.version} — {len(pack.violation_types)} violation types, "
        f"{len(pack.thresholds)} thresholds, {len(pack.point_classes)} point class(es)",
        soft_wrap=True,
    )


@policy_app.command("show")
def show(
    pack_ref: Annotated[str, typer.Argument(metavar="ID", help="a builtin pack's id (tiktok-shop, douyin, …) or a YAML file")],
) -> None:
    """Print a pack: header, point classes, threshold ladder, violation types, appeals, calendar."""
    console = _console()
    builtins = load_builtin_packs()
    if pack_ref in builtins:
        pack = builtins[pack_ref]
    elif Path(pack_ref).is_file():
        pack = _load_file_or_exit(console, Path(pack_ref))
    else:
        console.print(f"unknown pack {pack_ref!r}: builtin packs are {', '.join(sorted(builtins))}, and no file has that path", soft_wrap=True)
        raise typer.Exit(1)
    for part in render_pack(pack):
        console.print(part)


def _load_file_or_exit(console: Console, file: Path) -> PolicyPack:
    try:
        return load_pack_file(file)
    except PolicyError as exc:
        console.print(problems_table(exc))
        raise typer.Exit(1) from None
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"cannot read {file}: {exc}", soft_wrap=True)
        raise typer.Exit(1) from None


def problems_table(exc: PolicyError) -> Table:
    """Every problem of a failed pack, in file order."""
    table = Table(title=f"{exc.source}: {len(exc.problems)} problem(s)", title_justify="left", show_lines=True)
    table.add_column("where", no_wrap=True)
    table.add_column("line", justify="right")
    table.add_column("problem", overflow="fold")
    table.add_column("hint", overflow="fold")
    for p in exc.problems:
        table.add_row(p.path, "" if p.line is None else str(p.line), p.message, p.hint)
    return table


# ---- `policy show` rendering: one function per section ----


def render_pack(pack: PolicyPack) -> list[RenderableType]:
    return [
        _header(pack),
        _point_classes(pack),
        _ladder(pack),
        _sanction_kinds(pack),
        _violation_types(pack),
        _appeals(pack),
        _calendar(pack),
        *([_review_reports(pack.review_reports)] if pack.review_reports else []),
        *([_decisions(pack)] if pack.decisions else []),
    ]


def _decisions(pack: PolicyPack) -> RenderableType:
    """The finding → decision table, first matching row wins, with what each row sets off."""
    table = _section("decision table 处置规则 (first matching row wins)")
    for col in ("rule", "min score", "severity", "decision", "then"):
        table.add_column(col)
    for row in pack.decisions:
        then = [f"issue {row.issue.type}/{row.issue.severity}"] if row.issue else []
        then += ["open case"] if row.case else []
        then += ["rectification task"] if row.rectify else []
        table.add_row(row.rule, f"{row.min_score:g}", row.severity or "any", row.decision, ", ".join(then) or "—")
    if pack.rectification:
        esc = ", ".join(f"{rule} → {spec.type}/{spec.severity}" for rule, spec in pack.rectification.escalate.items())
        table.caption = f"rectification: {pack.rectification.days} days, then {esc or 'nothing'}"
    return table


def _both(name: Bilingual) -> str:
    return f"{name.en} {name.zh}"


def _section(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold")


def _header(pack: PolicyPack) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for label, value in (
        ("market", f"{pack.market} ({pack.region})"),
        ("effective from", pack.effective_from.isoformat()),
        ("primary class", pack.primary),
        ("warning margin", f"{pack.warning_margin} point{'' if pack.warning_margin == 1 else 's'} — {pack.warning_margin_source}"),
        ("source", pack.source),
    ):
        head.add_row(label, value)
    title = Text(f"{pack.id} v{pack.version} — {_both(pack.name)}", style="bold")
    return Group(title, head)


def _expiry_text(pack: PolicyPack, cls: str) -> str:
    expiry = pack.classes[cls].expiry
    if expiry.kind == "rolling":
        return f"rolling: each violation counts {expiry.days} days from issue"
    return f"calendar: all points reset at the start of each {expiry.period} ({expiry.timezone})"


def _point_classes(pack: PolicyPack) -> RenderableType:
    table = _section("Point classes 积分类别")
    for column in ("class", "name", "expiry", "warning margin"):
        table.add_column(column)
    for pc in pack.point_classes:
        table.add_row(pc.id, _both(pc.name), _expiry_text(pack, pc.id), str(pack.margin_for(pc.id)))
    return table


def _sanction_text(pack: PolicyPack, kind: str, days: int | None) -> str:
    sk = next((s for s in pack.sanction_kinds if s.kind == kind), None)
    name = _both(sk.name) if sk else kind
    return f"{name} — " + ("permanent 永久" if days is None else f"{days} days")


def _ladder(pack: PolicyPack) -> RenderableType:
    if not pack.thresholds:
        return Text("Threshold ladder 处罚节点: none — the pack defines no ladder; sanctions are per case.")
    table = _section("Threshold ladder 处罚节点")
    for column in ("class", "points ≥", "warning from", "level", "sanctions"):
        table.add_column(column)
    levels = {lv.id: lv for lv in pack.levels}
    for cls, ladder in pack.ladders.items():
        if ladder:
            table.add_row(cls, "0", "—", _both(pack.levels[0].name), "none")
        for th in ladder:
            level = _both(levels[th.level].name) if th.level in levels else th.level
            sanctions = "\n".join(_sanction_text(pack, s.kind, s.days) for s in th.sanctions) or "none"
            table.add_row(cls, str(th.points), str(max(th.points - pack.margin_for(cls), 0)), level, sanctions)
    return table


def _sanction_kinds(pack: PolicyPack) -> RenderableType:
    names = {p.id: p.name.en for p in pack.privileges}
    table = _section("Sanction kinds 处罚措施")
    for column in ("kind", "name", "takes away"):
        table.add_column(column)
    for sk in pack.sanction_kinds:
        table.add_row(sk.kind, _both(sk.name), ", ".join(names.get(p, p) for p in sk.removes) or "—")
    return table


def _severity_text(pack: PolicyPack, vtype: str, name: str) -> str:
    sev = pack.types[vtype].severities[name]
    cls = pack.class_of(vtype, name) if len(pack.point_classes) > 1 else ""
    return f"{name} {cls}{sev.points}" + (" +takedown" if sev.takedown else "")


def _violation_types(pack: PolicyPack) -> RenderableType:
    table = _section("Violation types 违规类型")
    for column in ("type", "name", "points", "severities"):
        table.add_column(column)
    for t in pack.violation_types:
        span = str(t.min_points) if t.min_points == t.max_points else f"{t.min_points}–{t.max_points}"
        severities = "\n".join(_severity_text(pack, t.type, name) for name in t.severities)
        table.add_row(t.type, f"{t.name.en}\n{t.name.zh}", span, severities)
    return table


def _window_text(w: AppealWindow) -> str:
    after = "the violation notice" if w.after == "violation_issued" else "the previous appeal's rejection"
    return f"appeal {w.number}: within {w.days} calendar days of {after}"


def _appeals(pack: PolicyPack) -> RenderableType:
    rules = pack.appeals
    sla = rules.decision_sla
    table = _section("Appeals 申诉")
    table.add_column("rule")
    table.add_column("value")
    table.add_row("max appeals", str(rules.max_appeals))
    for w in rules.windows:
        table.add_row(f"window {w.number}", _window_text(w))
    table.add_row("evidence", "required 必须提供证明文件" if rules.evidence_required else "optional")
    table.add_row("decision SLA", "none set" if sla is None else f"{sla.min_working_days}–{sla.max_working_days} working days")
    table.add_row("source", rules.source)
    return table


def _calendar(pack: PolicyPack) -> RenderableType:
    cal = pack.calendar
    days = sorted(cal.holidays)
    holidays = f"{len(days)} ({days[0]} … {days[-1]})" if days else "none listed"
    table = _section("Working calendar 工作日历")
    table.add_column("setting")
    table.add_column("value")
    table.add_row("time zone", cal.timezone)
    table.add_row("weekend", ", ".join(cal.weekend))
    table.add_row("holidays", holidays)
    table.add_row("make-up working days 调休", ", ".join(d.isoformat() for d in sorted(cal.workdays)) or "none listed")
    table.add_row("source", cal.source)
    return table


def _review_reports(rr: ReviewReportRules) -> RenderableType:
    abuse = rr.abuse
    table = _section("Review reports 恶意评价举报")
    table.add_column("rule")
    table.add_column("value")
    table.add_row("negative review", f"{rr.negative_max_rating} stars or fewer")
    table.add_row("report window", f"reviews of the last {rr.window_days} days")
    table.add_row("reports per review", str(rr.max_reports_per_review))
    table.add_row(
        "abuse",
        f"≥{abuse.min_reports} reports in {abuse.window_days} days: warn at {abuse.warn_share:.0%} rejected, "
        f"block {abuse.block_days} days at {abuse.block_share:.0%}",
    )
    table.add_row("source", rr.source)
    return table
