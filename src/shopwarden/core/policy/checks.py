"""Cross-reference checks of a policy pack: what one field cannot know about another.

They read the raw YAML mapping, not the validated model, and tolerate missing or ill-typed
parts, so they still run when pydantic failed elsewhere: a pack with three unrelated
mistakes reports all three. Each problem carries the YAML path of the offending value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shopwarden.core.policy.base import did_you_mean, path_of
from shopwarden.core.policy.detector_settings import detector_settings_must_be_known
from shopwarden.core.policy.dsa import dsa_must_keep_art20_and_name_known_kinds
from shopwarden.core.policy.notices import ip_grounds_must_be_violation_types
from shopwarden.errors import PolicyProblem

Raw = Mapping[str, Any]
LOW_POSITIVE_RATE_TYPE = "low_positive_rate_product"  # the violation DY-LQ-1's automatic ban issues (DY-LQ-6); service/bans.py issues it
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def check_pack(data: Any) -> list[PolicyProblem]:
    """Every cross-reference problem of a raw pack mapping (empty when it is not a mapping)."""
    if not isinstance(data, Mapping):
        return []
    problems: list[PolicyProblem] = []
    for check in CHECKS:
        problems.extend(check(data))
    return problems


# ---- tolerant readers of the raw mapping ----


def _entries(data: Any, key: str) -> Iterator[tuple[int, Raw]]:
    """(index, entry) for each mapping entry of the list `data[key]`; anything else is skipped."""
    items = data.get(key) if isinstance(data, Mapping) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield i, item


def _ids(data: Any, key: str, field: str) -> list[str]:
    return [e[field] for _, e in _entries(data, key) if isinstance(e.get(field), str)]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _known(label: str, names: list[str]) -> str:
    return f"known {label}: {', '.join(names)}" if names else f"no {label} are defined"


def _unknown(path: str, label: str, value: Any, known: list[str]) -> PolicyProblem:
    plural = label + "es" if label.endswith("ss") else label + "s"
    return PolicyProblem(path, f"unknown {label} {value!r}", did_you_mean(value, known) + _known(plural, known))


def _primary(data: Raw) -> str | None:
    primary = data.get("primary_class")
    if isinstance(primary, str):
        return primary
    classes = _ids(data, "point_classes", "id")
    return classes[0] if classes else None


# ---- the checks, one per concern ----


_ID_FIELDS = (
    ("levels", "id", "level"),
    ("privileges", "id", "privilege"),
    ("sanction_kinds", "kind", "sanction kind"),
    ("point_classes", "id", "point class"),
    ("violation_types", "type", "violation type"),
)


def ids_must_be_unique(data: Raw) -> list[PolicyProblem]:
    problems = []
    for key, field, label in _ID_FIELDS:
        first: dict[str, int] = {}
        for i, entry in _entries(data, key):
            value = entry.get(field)
            if not isinstance(value, str):
                continue
            if value in first:
                problems.append(
                    PolicyProblem(path_of(key, i, field), f"duplicate {label} {value!r}", f"already defined at {path_of(key, first[value])}; give each {label} its own {field}")
                )
            else:
                first[value] = i
    return problems


def primary_class_must_exist(data: Raw) -> list[PolicyProblem]:
    primary, classes = data.get("primary_class"), _ids(data, "point_classes", "id")
    if isinstance(primary, str) and classes and primary not in classes:
        return [_unknown("primary_class", "point class", primary, classes)]
    return []


def thresholds_must_reference_known_names(data: Raw) -> list[PolicyProblem]:
    levels, classes = _ids(data, "levels", "id"), _ids(data, "point_classes", "id")
    kinds = _ids(data, "sanction_kinds", "kind")
    problems = []
    for i, th in _entries(data, "thresholds"):
        level, cls = th.get("level"), th.get("point_class")
        if isinstance(level, str) and levels and level not in levels:
            problems.append(_unknown(path_of("thresholds", i, "level"), "level", level, levels))
        if isinstance(cls, str) and classes and cls not in classes:
            problems.append(_unknown(path_of("thresholds", i, "point_class"), "point class", cls, classes))
        for j, sanction in _entries(th, "sanctions"):
            kind = sanction.get("kind")
            if isinstance(kind, str) and kinds and kind not in kinds:
                problems.append(_unknown(path_of("thresholds", i, "sanctions", j, "kind"), "sanction kind", kind, kinds))
    return problems


def sanctions_must_remove_known_privileges(data: Raw) -> list[PolicyProblem]:
    privileges = _ids(data, "privileges", "id")
    problems = []
    for i, sk in _entries(data, "sanction_kinds"):
        removes = sk.get("removes")
        for j, name in enumerate(removes if isinstance(removes, list) else []):
            if isinstance(name, str) and privileges and name not in privileges:
                problems.append(_unknown(path_of("sanction_kinds", i, "removes", j), "privilege", name, privileges))
    return problems


def _severity_points(value: Any) -> int | None:
    """Points of a severity, also in its `general: 4` shorthand."""
    return _int(value.get("points")) if isinstance(value, Mapping) else _int(value)


def severities_must_fit_their_type(data: Raw) -> list[PolicyProblem]:
    classes = _ids(data, "point_classes", "id")
    problems = []
    for i, vt in _entries(data, "violation_types"):
        lo, hi = _int(vt.get("min_points")), _int(vt.get("max_points"))
        if lo is not None and hi is not None and lo > hi:
            problems.append(PolicyProblem(path_of("violation_types", i, "min_points"), f"min_points {lo} is above max_points {hi}", "swap them, or fix the range"))
            lo = hi = None  # a range that makes no sense cannot judge its severities
        cls = vt.get("point_class")
        if isinstance(cls, str) and classes and cls not in classes:
            problems.append(_unknown(path_of("violation_types", i, "point_class"), "point class", cls, classes))
        severities = vt.get("severities")
        for name, sev in (severities.items() if isinstance(severities, Mapping) else ()):
            problems.extend(_severity_problems(path_of("violation_types", i, "severities", name), sev, lo, hi, classes))
    return problems


def _severity_problems(path: str, sev: Any, lo: int | None, hi: int | None, classes: list[str]) -> list[PolicyProblem]:
    problems = []
    points = _severity_points(sev)
    if points is not None and points >= 0 and lo is not None and hi is not None and not lo <= points <= hi:
        # `.points` also for the `general: 4` shorthand: one path for one value, however it is written
        problems.append(PolicyProblem(path + ".points", f"{points} points lie outside the type's range {lo}..{hi}", f"choose points between {lo} and {hi}, or widen min_points/max_points"))
    cls = sev.get("point_class") if isinstance(sev, Mapping) else None
    if isinstance(cls, str) and classes and cls not in classes:
        problems.append(_unknown(path + ".point_class", "point class", cls, classes))
    return problems


def ladders_must_rise(data: Raw) -> list[PolicyProblem]:
    """Per point class, in file order: points strictly ascending, levels never falling."""
    rank = {lv: r for r, lv in enumerate(_ids(data, "levels", "id"))}
    primary = _primary(data)
    last: dict[Any, tuple[int, int | None]] = {}  # class -> (points, level rank) of the step before
    problems = []
    for i, th in _entries(data, "thresholds"):
        cls = th.get("point_class") if isinstance(th.get("point_class"), str) else primary
        points, level = _int(th.get("points")), th.get("level")
        level_rank = rank.get(level) if isinstance(level, str) else None
        if points is None:
            continue
        prev_points, prev_rank = last.get(cls, (None, None))
        if prev_points is not None and points <= prev_points:
            problems.append(PolicyProblem(path_of("thresholds", i, "points"), f"{points} does not rise above the previous threshold of class {cls!r} ({prev_points})", "list each class's thresholds lowest first, each points value once"))
        elif prev_rank is not None and level_rank is not None and level_rank < prev_rank:
            problems.append(PolicyProblem(path_of("thresholds", i, "level"), f"level {level!r} is lower than the previous threshold's level", "levels rise (or stay) as points rise; levels are listed lowest first"))
        last[cls] = (max(points, prev_points or 0), level_rank if level_rank is not None else prev_rank)
    return problems


def appeal_windows_must_be_numbered(data: Raw) -> list[PolicyProblem]:
    appeals = data.get("appeals")
    if not isinstance(appeals, Mapping):
        return []
    problems, windows = [], list(_entries(appeals, "windows"))
    for position, (i, window) in enumerate(windows, start=1):
        number = _int(window.get("number"))
        if number is not None and number != position:
            problems.append(PolicyProblem(path_of("appeals", "windows", i, "number"), f"window number {number} where {position} was expected", "number the windows 1, 2, … in order"))
        if number == 1 and window.get("after") == "previous_rejected":
            problems.append(PolicyProblem(path_of("appeals", "windows", i, "after"), "the first appeal cannot follow a previous rejection", "use after: violation_issued"))
    most = _int(appeals.get("max_appeals"))
    if most is not None and len(windows) > most:
        problems.append(PolicyProblem("appeals.windows", f"{len(windows)} windows but max_appeals is {most}", "raise max_appeals or drop the extra windows"))
    return problems


def calendar_dates_must_agree(data: Raw) -> list[PolicyProblem]:
    cal = data.get("calendar")
    if not isinstance(cal, Mapping):
        return []
    holidays = {d: i for i, d in _dates(cal, "holidays")}
    weekend = cal.get("weekend")
    weekend_days = {_WEEKDAY_NAMES.index(d) for d in weekend if d in _WEEKDAY_NAMES} if isinstance(weekend, list) else {5, 6}
    problems = []
    for j, day in _dates(cal, "workdays"):
        if day in holidays:
            problems.append(PolicyProblem(path_of("calendar", "workdays", j), f"{day} is both a holiday and a make-up working day", f"remove it from one list (calendar.holidays[{holidays[day]}])"))
        elif day.weekday() not in weekend_days:
            problems.append(PolicyProblem(path_of("calendar", "workdays", j), f"{day} is a {_WEEKDAY_NAMES[day.weekday()]}, already a working day", "workdays lists only weekend days worked in exchange (调休)"))
    return problems


def _dates(cal: Raw, key: str) -> Iterator[tuple[int, date]]:
    values = cal.get(key)
    for i, value in enumerate(values if isinstance(values, list) else []):
        day = _as_date(value)
        if day is not None:
            yield i, day


def timezones_must_exist(data: Raw) -> list[PolicyProblem]:
    places: list[tuple[Any, ...]] = []
    cal = data.get("calendar")
    if isinstance(cal, Mapping):
        places.append(("calendar", "timezone", cal.get("timezone")))
    for i, pc in _entries(data, "point_classes"):
        expiry = pc.get("expiry")
        if isinstance(expiry, Mapping):
            places.append(("point_classes", i, "expiry", "timezone", expiry.get("timezone")))
    return [
        PolicyProblem(path_of(*place[:-1]), f"unknown time zone {place[-1]!r}", "use an IANA name such as UTC, Asia/Shanghai or Asia/Singapore")
        for place in places
        if isinstance(place[-1], str) and not _zone_exists(place[-1])
    ]


def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def effective_from_must_have_a_zone(data: Raw) -> list[PolicyProblem]:
    value = data.get("effective_from")
    if isinstance(value, str):  # quoted in the YAML: pydantic would read it as a naive instant
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return []  # not an instant: pydantic says so
    if isinstance(value, datetime) and value.tzinfo is None:
        return [PolicyProblem("effective_from", "the instant has no time zone", "add one, e.g. 2026-01-01T00:00:00Z or 2026-01-01T00:00:00+08:00")]
    return []


def abuse_shares_must_escalate(data: Raw) -> list[PolicyProblem]:
    reports = data.get("review_reports")
    abuse = reports.get("abuse") if isinstance(reports, Mapping) else None
    if not isinstance(abuse, Mapping):
        return []
    warn, block = abuse.get("warn_share"), abuse.get("block_share")
    if isinstance(warn, (int, float)) and isinstance(block, (int, float)) and warn > block:
        return [PolicyProblem("review_reports.abuse.warn_share", f"warn_share {warn} is above block_share {block}", "a seller is warned before being blocked: warn_share <= block_share")]
    return []


def issued_violations_must_exist(data: Raw) -> list[PolicyProblem]:
    """A decision row, a rectification escalation or DY-LQ-1's automatic ban may only issue a type
    and severity the pack defines."""
    types = {e["type"]: e for _, e in _entries(data, "violation_types") if isinstance(e.get("type"), str)}
    specs = [(path_of("decisions", i, "issue"), row.get("issue")) for i, row in _entries(data, "decisions")]
    rect = data.get("rectification")
    escalate = rect.get("escalate") if isinstance(rect, Mapping) else None
    if isinstance(escalate, Mapping):
        specs.extend((f"rectification.escalate.{rule}", spec) for rule, spec in escalate.items())
    lpr = data.get("low_positive_rate")
    if isinstance(lpr, Mapping):  # DY-LQ-1's automatic ban issues the pack's low-positive-rate type at this severity
        specs.append(("low_positive_rate", {"type": LOW_POSITIVE_RATE_TYPE, "severity": lpr.get("severity", "minor")}))
    problems = []
    for path, spec in specs:
        if not isinstance(spec, Mapping) or not types:
            continue
        vtype, sev = spec.get("type"), spec.get("severity")
        if isinstance(vtype, str) and vtype not in types and path == "low_positive_rate":
            problems.append(PolicyProblem(path, f"the automatic ban issues violation type {vtype!r}, which this pack does not define",
                                          f"define violation type {vtype} (DY-LQ-6), or remove low_positive_rate"))
        elif isinstance(vtype, str) and vtype not in types:
            problems.append(_unknown(f"{path}.type", "violation type", vtype, list(types)))
        elif isinstance(vtype, str) and isinstance(sev, str):
            sevs = types[vtype].get("severities")
            names = list(sevs) if isinstance(sevs, Mapping) else []
            if names and sev not in names:
                problems.append(_unknown(f"{path}.severity", "severity", sev, names))
    return problems


CHECKS: tuple[Callable[[Raw], list[PolicyProblem]], ...] = (
    issued_violations_must_exist,
    ids_must_be_unique,
    primary_class_must_exist,
    thresholds_must_reference_known_names,
    sanctions_must_remove_known_privileges,
    severities_must_fit_their_type,
    ladders_must_rise,
    appeal_windows_must_be_numbered,
    calendar_dates_must_agree,
    timezones_must_exist,
    effective_from_must_have_a_zone,
    abuse_shares_must_escalate,
    dsa_must_keep_art20_and_name_known_kinds,
    ip_grounds_must_be_violation_types,
    detector_settings_must_be_known,
)
