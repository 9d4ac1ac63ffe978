"""The building blocks every pack section shares: closed frozen models, slugs, sources, bilingual texts,
and how a problem names its place (the YAML path) and the valid name nearest to a misspelt one."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
Source = Annotated[str, Field(min_length=3, description="where this value comes from (seed file, rule id, or 'Decision: …')")]
OptionalSource = Annotated[Source | None, Field(description="where this entry comes from; optional on small entries")]
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A name or sentence in English and Chinese (sellers read Chinese first)."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


def did_you_mean(value: object, names: Iterable[str]) -> str:
    """"did you mean 'x'? " for the valid name nearest to a misspelt `value`, else "" (difflib's ratio >= 0.6)."""
    close = difflib.get_close_matches(str(value), list(names), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def path_of(*parts: Any) -> str:
    """`("thresholds", 2, "level")` -> `thresholds[2].level`; odd keys are quoted (`["a.b"]`)."""
    out = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f'["{part}"]'
    return out
