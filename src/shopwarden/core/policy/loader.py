"""Turn a policy pack's YAML text into a validated `PolicyPack`, or one `PolicyError` with every problem.

Pure: the caller reads the file. The YAML is read with ruamel (safe, keeps line numbers);
pydantic's errors and the cross-reference checks of `checks.py` are reported together, each
with its YAML path, line and a hint. Also the JSON shapes of the policies API.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from shopwarden.core.periods import as_utc
from shopwarden.core.policy.base import Text, did_you_mean, path_of
from shopwarden.core.policy.checks import check_pack
from shopwarden.core.policy.creators import CreatorMeasure, PointsRules
from shopwarden.core.policy.schema import PolicyPack, Threshold, ViolationType
from shopwarden.errors import PolicyError, PolicyProblem

Lines = dict[str, int]


def parse_pack(text: str, source: str, bases: Mapping[str, str] | None = None) -> PolicyPack:
    """The validated pack of `text`; `source` names it in errors (a file path, `builtin:douyin`).

    A pack may say `extends: <pack id>`: it is then that pack (YAML text from `bases`, by id) with
    each top-level section the pack itself gives replaced whole, so a market that differs in one
    section says only that section (and its own `id`, `version`, `source`).
    """
    data, lines = _read_yaml(text, source)
    if not isinstance(data, Mapping):
        raise PolicyError(source, [_not_a_mapping(data)])
    if "extends" in data:
        data = _extended(data, source, bases or {}, lines)
    pack: PolicyPack | None = None
    problems: list[PolicyProblem] = []
    try:
        pack = PolicyPack.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, data))
    problems.extend(check_pack(data))  # also when pydantic failed: every problem at once
    if problems or pack is None:
        raise PolicyError(source, _placed(problems, lines))
    return pack


def _extended(data: Mapping[str, Any], source: str, bases: Mapping[str, str], lines: Lines) -> dict[str, Any]:
    parent_id = data.get("extends")
    if not isinstance(parent_id, str) or parent_id not in bases:
        known = ", ".join(sorted(bases)) or "none"
        raise PolicyError(source, [PolicyProblem("extends", f"names no pack that can be extended: {parent_id!r}", f"one of: {known}", lines.get("extends"))])
    parent, _ = _read_yaml(bases[parent_id], f"{source} (extends {parent_id})")
    if not isinstance(parent, Mapping) or "extends" in parent:
        raise PolicyError(source, [PolicyProblem("extends", f"{parent_id!r} cannot be extended (it extends another pack or is not a mapping)", "extend a complete pack", lines.get("extends"))])
    return {**parent, **{k: v for k, v in data.items() if k != "extends"}}


def _not_a_mapping(data: Any) -> PolicyProblem:
    found = "an empty document" if data is None else f"a {type(data).__name__}"
    return PolicyProblem("(pack)", f"a policy pack is a mapping of fields, found {found}", "start with `id: my-pack`, `version: …`, one field per line", 1 if data is not None else None)


# ---- YAML -> plain data and a path -> line map ----


def _read_yaml(text: str, source: str) -> tuple[Any, Lines]:
    yaml = YAML(typ="rt")  # round-trip mode is what keeps line numbers; it builds no Python objects from tags
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        raise PolicyError(source, [_syntax_problem(exc)]) from None
    except YAMLError as exc:
        raise PolicyError(source, [PolicyProblem("(yaml)", str(exc).strip(), "fix the YAML syntax")]) from None
    walk = _Walk()
    try:
        return walk.plain(node, ()), walk.lines
    except (_TooBig, RecursionError):
        raise PolicyError(source, [PolicyProblem("(yaml)", f"the document expands to more than {_MAX_VALUES} values", "aliases (*name) that refer to themselves or nest deeply? write the values out")]) from None


def _syntax_problem(exc: MarkedYAMLError) -> PolicyProblem:
    mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
    message = ": ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    if context is not None and mark is not None and context.line != mark.line:
        message += f" (the construct started on line {context.line + 1})"
    hint = "each key may appear once in a mapping" if "duplicate key" in message else "check indentation, colons, quotes and brackets here"
    return PolicyProblem("(yaml)", f"YAML syntax error: {message}", hint, mark.line + 1 if mark else None)


_MAX_VALUES = 100_000  # far above any real pack; stops alias bombs and self-referring aliases


class _TooBig(Exception):
    pass


class _Walk:
    """Plain dicts, lists and scalars for pydantic, and where each path sits in the text."""

    def __init__(self) -> None:
        self.lines: Lines = {}
        self.values = 0

    def plain(self, node: Any, parts: tuple[Any, ...]) -> Any:
        self.values += 1
        if self.values > _MAX_VALUES:
            raise _TooBig
        if isinstance(node, CommentedMap):
            out: dict[Any, Any] = {}
            for key, value in node.items():
                self._remember(parts + (key,), node.lc.key, key)
                out[key] = self.plain(value, parts + (key,))
            return out
        if isinstance(node, CommentedSeq):
            items: list[Any] = []
            for i, value in enumerate(node):
                self._remember(parts + (i,), node.lc.item, i)
                items.append(self.plain(value, parts + (i,)))
            return items
        return _scalar(node)

    def _remember(self, parts: tuple[Any, ...], where: Callable[[Any], Any], key: Any) -> None:
        try:
            self.lines[path_of(*parts)] = where(key)[0] + 1
        except (KeyError, IndexError, TypeError, AttributeError):
            pass  # e.g. a key merged in by `<<: *alias`: its problems fall back to the parent's line


def _scalar(node: Any) -> Any:
    """ruamel's scalar subclasses (ScalarInt, FoldedScalarString, TimeStamp …) as plain values."""
    if isinstance(node, TaggedScalar):
        return node.value
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, ScalarBoolean):  # an anchored `true`; it subclasses int
        return bool(node)
    for plain in (int, float, str):
        if isinstance(node, plain):
            return plain(node)
    if isinstance(node, datetime):
        return datetime(node.year, node.month, node.day, node.hour, node.minute, node.second, node.microsecond, tzinfo=node.tzinfo)
    return node


_LAST_SEGMENT = re.compile(r'(\.[^.\[]+|\[[^\]]*\])$')


def _line_of(path: str, lines: Lines) -> int | None:
    """The line of `path`, or of its nearest parent that is in the text (a missing field)."""
    while path:
        if path in lines:
            return lines[path]
        shorter = _LAST_SEGMENT.sub("", path)
        if shorter == path:
            return None
        path = shorter
    return None


def _placed(problems: list[PolicyProblem], lines: Lines) -> list[PolicyProblem]:
    placed = [PolicyProblem(p.path, p.message, p.hint, p.line or _line_of(p.path, lines)) for p in problems]
    return sorted(placed, key=lambda p: (p.line or 0, p.path))


# ---- pydantic errors -> problems ----


def _pydantic_problems(exc: ValidationError, data: Any) -> list[PolicyProblem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        on_key = bool(loc) and loc[-1] == "[key]"
        parts = _yaml_parts(loc[:-1] if on_key else loc, data)
        message = ("key " if on_key else "") + err["msg"] + _got(err)
        problems.append(PolicyProblem(path_of(*parts) or "(pack)", message, _hint(err, loc)))
    return problems


def _yaml_parts(loc: tuple[Any, ...], data: Any) -> list[Any]:
    """pydantic's `loc` as a YAML path: drop the tag a discriminated union adds (`expiry.rolling.days`)."""
    parts: list[Any] = []
    node = data
    for i, key in enumerate(loc):
        if isinstance(node, Mapping) and key not in node and i < len(loc) - 1 and node.get("kind") == key:
            continue  # the union member's tag, not a key of the YAML
        parts.append(key)
        if isinstance(node, Mapping):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            node = None
    return parts


def _got(err: Mapping[str, Any]) -> str:
    value = err.get("input")
    if err["type"] == "missing" or not isinstance(value, (str, int, float, date)):
        return ""  # a missing value, or a whole mapping/list: nothing short to show
    shown = repr(value.isoformat() if isinstance(value, date) else value)
    return f" (got {shown[:60]})"


_TYPE_HINTS = {
    "missing": "add this field",
    "int_type": "write a whole number, e.g. 4",
    "int_parsing": "write a whole number, e.g. 4",
    "int_from_float": "write a whole number, e.g. 4",
    "float_type": "write a number, e.g. 0.5",
    "float_parsing": "write a number, e.g. 0.5",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "string_type": "write text; quote it if YAML reads it as a number or a date",
    "list_type": "write a list (`- item` lines or `[a, b]`)",
    "dict_type": "write a mapping (`key: value` lines)",
    "model_type": "write a mapping (`key: value` lines)",
    "model_attributes_type": "write a mapping (`key: value` lines)",
    "date_type": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "datetime_type": "write an instant with a zone, e.g. 2026-01-01T00:00:00Z",
    "datetime_parsing": "write an instant with a zone, e.g. 2026-01-01T00:00:00Z",
    "datetime_from_date_parsing": "write an instant with a zone, e.g. 2026-01-01T00:00:00Z",
}


def _hint(err: Mapping[str, Any], loc: tuple[Any, ...]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _allowed_fields_hint(loc)
    if kind == "literal_error":
        return did_you_mean(err.get("input"), re.findall(r"'([^']*)'", str(ctx.get("expected", "")))) + f"allowed: {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"allowed {ctx.get('discriminator')}: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"add {ctx.get('discriminator')}, e.g. kind: rolling"
    if kind == "string_pattern_mismatch":
        return _pattern_hint(ctx.get("pattern", ""))
    if kind in ("too_short", "string_too_short"):
        return f"needs at least {ctx.get('min_length')}" + (" item(s)" if kind == "too_short" else " character(s)")
    if kind in ("too_long", "string_too_long"):
        return f"at most {ctx.get('max_length')}" + (" item(s)" if kind == "too_long" else " character(s)")
    bounds = {"greater_than": "above {gt}", "greater_than_equal": "{ge} or more", "less_than": "below {lt}", "less_than_equal": "{le} or less"}
    if kind in bounds:
        return "must be " + bounds[kind].format(**ctx)
    return _TYPE_HINTS.get(kind, "")


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]"):
        return "an id of lower-case letters, digits, '_' and '-', e.g. no_campaigns"
    return f"must match {pattern}"


def _allowed_fields_hint(loc: tuple[Any, ...]) -> str:
    model = _model_at(loc[:-1])
    if model is None:
        return "remove this field"
    names = list(model.model_fields)
    return did_you_mean(loc[-1], names) + "allowed here: " + ", ".join(names)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The schema model that `loc` points into, by walking the field annotations."""
    tp: Any = PolicyPack
    for key in loc:
        tp = _step(_unwrap(tp, key), key)
        if tp is None:
            return None
    tp = _unwrap(tp, None)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any, tag: Any) -> Any:
    """Strip Annotated and Optional; pick the member of a tagged union by its `kind` literal."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    members = [m for m in typing.get_args(tp) if m is not type(None)] if _is_union(tp) else [tp]
    for member in members:
        kind = getattr(member, "model_fields", {}).get("kind")
        if kind is not None and tag in typing.get_args(kind.annotation):
            return member
    return members[0] if len(members) == 1 else tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _step(tp: Any, key: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(key) if isinstance(key, str) else None
        return field.annotation if field else (tp if _is_union_tag(tp, key) else None)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and isinstance(key, int):
        return args[0]
    if origin is dict:
        return args[1]
    return None


def _is_union_tag(model: type[BaseModel], key: Any) -> bool:
    kind = model.model_fields.get("kind")
    return kind is not None and key in typing.get_args(kind.annotation)


# ---- the policies API shapes ----


def pack_summary(pack: PolicyPack) -> dict[str, Any]:
    """One row of `GET /v1/policies`."""
    return {
        "id": pack.id,
        "version": pack.version,
        "market": pack.market,
        "region": pack.region,
        "effective_from": _instant(pack.effective_from),
    }


def pack_to_api(pack: PolicyPack) -> dict[str, Any]:
    """The JSON of `GET /v1/policies/{id}`: the whole pack, JSON-ready, with API.md's field names."""
    return {
        **pack_summary(pack),
        "name": pack.name.en,
        "name_zh": pack.name.zh,
        "source": pack.source,
        "levels": [_named(lv.id, lv.name) for lv in pack.levels],
        "privileges": [_named(p.id, p.name) for p in pack.privileges],
        "sanction_kinds": [{"kind": s.kind, "name": s.name.en, "name_zh": s.name.zh, "removes": list(s.removes)} for s in pack.sanction_kinds],
        "point_classes": [_point_class(pack, c.id) for c in pack.point_classes],
        "primary_class": pack.primary,
        "warning_margin": pack.warning_margin,
        "thresholds": [_threshold(pack, t) for t in pack.thresholds],
        "violation_types": [_violation_type(pack, t) for t in pack.violation_types],
        "appeals": pack.appeals.model_dump(mode="json", exclude={"windows": {"__all__": {"source"}}}),
        "calendar": pack.calendar.model_dump(mode="json"),
        "review_reports": pack.review_reports.model_dump(mode="json") if pack.review_reports else None,
        "low_positive_rate": pack.low_positive_rate.model_dump(mode="json") if pack.low_positive_rate else None,
        "creators": creators_to_api(pack),
        "experience": pack.experience.model_dump(mode="json") if pack.experience else None,  # DY-QL-2..4, with its source notes
        "platform_domains": list(pack.platform_domains),
    }


def creators_to_api(pack: PolicyPack) -> dict[str, Any] | None:
    """The `creators` section as API.md shows it, so any client can compute what the engine will do
    (CR-7): every number, and beside it the `source` note saying whether it is published or a Decision.

    Per category the points (a points pack) or the deductions (a health-score pack) of each
    severity, a category's own override included; a points pack's `violation_types` as a shop
    pack's (`min_points`, `max_points`); `commissions`: how long a commission stays frozen after
    its violation before it is forfeited (CR-10: the appeal window)."""
    rules = pack.creators
    if rules is None:
        return None
    points = isinstance(rules, PointsRules)
    common = {
        "model": rules.model,
        "appeal_days": rules.appeal_days,
        "max_appeals": rules.max_appeals,
        "categories": [{"type": t.type, "name": t.name.en, "name_zh": t.name.zh, "category": t.category,
                        "severities": dict(t.severities) if points else sorted(t.severities),
                        **({} if isinstance(rules, PointsRules) else {"deductions": {sev: rules.deduction(t.type, sev) for sev in t.severities}}),
                        "to_operator": t.to_operator, "shop_type": t.shop_type} for t in rules.violation_types],
        "commissions": {"frozen_days": rules.appeal_days, "rule": "CR-10",
                        "frozen_while": "the violation is appealable or an appeal is pending",
                        "released_when": "the violation is revoked or its appeal granted",
                        "forfeited_when": "the appeal window closes with no appeal, or the last appeal is rejected"},
        "source": rules.source,
    }
    if isinstance(rules, PointsRules):
        return {**common, "expiry_days": rules.expiry_days, "warning_margin": rules.warning_margin,
                "levels": [_named(lv.id, lv.name) for lv in rules.levels],
                "thresholds": [{"points": t.points, "level": t.level, "measures": [_measure(m) for m in t.measures],
                                "sanctions": [_measure(m) for m in t.measures], "source": t.source} for t in rules.thresholds],
                "violation_types": [{"type": t.type, "name": t.name.en, "name_zh": t.name.zh, "min_points": min(t.severities.values()),
                                     "max_points": max(t.severities.values()), "severities": dict(t.severities)} for t in rules.violation_types]}
    return {
        **common,
        "start_score": rules.start_score,
        "max_score": rules.max_score,
        "bands": [{"band": b.band, "min": b.min, "name": b.name.en, "name_zh": b.name.zh} for b in rules.bands],
        "deductions": dict(rules.deductions),
        "earn": rules.earn.model_dump(mode="json", exclude={"source"}),
        "earn_source": rules.earn.source,
        "milestones": [{"score": m.score, "measures": [_measure(x) for x in m.measures], "source": m.source} for m in rules.milestones],
        "repeat_rule": None if rules.repeat_rule is None else {
            "count": rules.repeat_rule.count, "days": rules.repeat_rule.days, "measures": [_measure(x) for x in rules.repeat_rule.measures],
            "source": rules.repeat_rule.source},
    }


def _measure(m: CreatorMeasure) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": m.kind, "days": m.days}
    if m.privilege is not None:
        out["privilege"] = m.privilege
    return out


def _instant(t: datetime) -> str:
    return as_utc(t).isoformat().replace("+00:00", "Z")


def _named(ident: str, name: Text) -> dict[str, str]:
    return {"id": ident, "name": name.en, "name_zh": name.zh}


def _point_class(pack: PolicyPack, cls: str) -> dict[str, Any]:
    pc = pack.classes[cls]
    return {**_named(pc.id, pc.name), "expiry": pc.expiry.model_dump(mode="json", exclude={"source"}), "warning_margin": pack.margin_for(cls)}


def _threshold(pack: PolicyPack, t: Threshold) -> dict[str, Any]:
    return {
        "points": t.points,
        "level": t.level,
        "point_class": t.point_class or pack.primary,
        "sanctions": [{"kind": s.kind, "days": s.days} for s in t.sanctions],
    }


def _violation_type(pack: PolicyPack, t: ViolationType) -> dict[str, Any]:
    return {
        "type": t.type,
        "name": t.name.en,
        "name_zh": t.name.zh,
        "min_points": t.min_points,
        "max_points": t.max_points,
        "point_class": t.point_class or pack.primary,
        "rules": list(t.rules),
        "severities": {name: sev.points for name, sev in t.severities.items()},
        "severity_details": {
            name: {"points": sev.points, "point_class": pack.class_of(t.type, name), "takedown": sev.takedown}
            for name, sev in t.severities.items()
        },
    }
