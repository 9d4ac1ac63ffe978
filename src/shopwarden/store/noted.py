"""What a transaction wrote that carries a measure: noted on the session by the store function that
wrote it, and stated by service/statements.py just before the transaction commits (DSA Art. 17)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

SUBJECTS = "noted_ledger_subjects"  # (shop_id, creator_id) whose violations were written: their folds may start sanctions
MEASURES = "noted_measure_rows"  # ORM rows that are measures themselves (a ban, a hidden review, a content action, ...)


def subjects(session: Session, rows: Iterable[dict]) -> None:
    session.info.setdefault(SUBJECTS, set()).update((r.get("shop_id"), r.get("creator_id")) for r in rows)


def measure(session: Session, row) -> None:
    session.info.setdefault(MEASURES, []).append(row)
