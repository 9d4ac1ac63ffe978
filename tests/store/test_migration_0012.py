"""Migration 0012 on a database that races already wrote twice into: the backfill numbers every
row (nothing deleted, no duplicate number), and the downgrade and upgrade round trip."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from shopwarden.store.db import alembic_config

T = "2026-01-01 00:00:00"


def test_0012_numbers_rows_a_race_stored_twice(database):
    cfg = alembic_config(database.engine)
    command.downgrade(cfg, "0011")
    with database.engine.begin() as c:
        for i in range(2):  # two RV-4 warnings and two open disputes of one match, as the race left them
            c.execute(sa.text("INSERT INTO reporting_actions (action_id, shop_id, kind, at, until, figures, report_id, policy_version) "
                              "VALUES (:a, 's1', 'warning', :t, NULL, '{}', 'r', '1')"), {"a": f"ra{i}", "t": T})
            c.execute(sa.text("INSERT INTO cases (case_id, shop_id, subject_kind, subject_id, subject_version, rule, detector, severity, score, finding, "
                              "decision, opened_at) VALUES (:c, 's1', 'match_dispute', 'p3', 1, 'DY-LQ-4', 'd', 'dispute', 0.9, :f, 'review', :t)"),
                      {"c": f"c{i}", "f": '{"banned_product_id": "p1"}', "t": T})
    command.upgrade(cfg, "head")
    with database.engine.connect() as c:
        assert list(c.exec_driver_sql("SELECT action_id, number FROM reporting_actions ORDER BY action_id")) == [("ra0", 1), ("ra1", 2)]
        assert list(c.exec_driver_sql("SELECT case_id, subject_ref, number FROM cases ORDER BY case_id")) == [("c0", "p1", 1), ("c1", "p1", 2)]
    command.downgrade(cfg, "0011")
    command.upgrade(cfg, "head")
    try:  # still append-only after the round trip
        with database.engine.begin() as c:
            c.exec_driver_sql("DELETE FROM reporting_actions")
        raise AssertionError("reporting_actions lost its append-only trigger")
    except sa.exc.DatabaseError as exc:
        assert "append-only" in str(exc)
