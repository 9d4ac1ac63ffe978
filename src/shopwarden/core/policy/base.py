"""The building blocks every pack section shares: closed frozen models, slugs, sources, bilingual texts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
Source = Annotated[str, Field(min_length=3, description="where this value comes from (seed file, rule id, or 'Decision: …')")]
OptionalSource = Annotated[Source | None, Field(description="where this entry comes from; optional on small entries")]
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A name or sentence in English and Chinese (sellers read Chinese first)."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
