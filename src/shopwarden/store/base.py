"""The declarative base and the column types every store module shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CursorResult, DateTime, MetaData, Result, Table
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """Instants in, aware UTC instants out, on SQLite (which keeps no zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), dict: JSON, list: JSON}


def table_of(model: type[Base]) -> Table:
    """A mapped class's table: SQLAlchemy types `__table__` as any FromClause; a declarative class's is a Table."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE touched: SQLAlchemy types `execute()` as a Result; a DML statement's is a CursorResult."""
    assert isinstance(result, CursorResult)
    return result.rowcount
