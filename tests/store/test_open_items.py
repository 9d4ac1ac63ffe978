"""The queues' index of open items (store/open_items.py) against the truth, on SQLite and
PostgreSQL: after filing and deciding appeals, cases, review reports and qualifications, every
queue lists exactly the undecided items oldest first and every count agrees; migration 0011 builds
the same index from an existing database."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from alembic import command

from shopwarden.service import appeals, brands, cases, messages, review_reports
from shopwarden.service.auth import Principal
from shopwarden.store import appeals as appeal_store
from shopwarden.store import brands as brand_store
from shopwarden.store import cases as case_store
from shopwarden.store import review_reports as report_store
from shopwarden.store.db import alembic_config
from tests.images.drawn import jpeg, product_photo
from tests.web.seed import EVIDENCE, PLATFORM, T0, seed, seed_console, seed_reviews

OPERATOR = Principal("k-op", "operator", None)
TRUTH = {  # the undecided items, oldest first, straight from the records
    "appeal": "SELECT appeal_id FROM appeals a WHERE NOT EXISTS (SELECT 1 FROM appeal_decisions d WHERE d.appeal_id = a.appeal_id) ORDER BY filed_at, appeal_id",
    "case": "SELECT case_id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_decisions d WHERE d.case_id = c.case_id) ORDER BY opened_at, case_id",
    "review_report": "SELECT report_id FROM review_reports r WHERE NOT EXISTS (SELECT 1 FROM review_report_decisions d WHERE d.report_id = r.report_id) "
                     "ORDER BY filed_at, report_id",
    "qualification": "SELECT qualification_id FROM brand_qualifications q WHERE NOT EXISTS "
                     "(SELECT 1 FROM brand_qualification_reviews r WHERE r.qualification_id = q.qualification_id) ORDER BY filed_at, qualification_id",
}


def _marketplace(ctx):
    ctx.clock.now = T0
    out = seed_reviews(ctx, seed(ctx))
    seed_console(ctx, out, (jpeg(product_photo(300, 300, seed=5)), jpeg(product_photo(200, 260, seed=8).rotate(90, expand=True))))
    rng = random.Random(11)
    seller_a = Principal("k-a", "seller", "web-a")
    for i in range(12):  # more qualifications and appeals, some decided
        q = brands.file(ctx, Principal("k-d", "seller", "web-d"), "web-d", brands.QualificationInput(brand_id="mianzhijia", trademark_no=f"TM-{i:04d}", mark="TM", categories=["家纺"], valid_from=T0 - timedelta(days=1), valid_to=None))
        if rng.random() < 0.5:
            brands.review(ctx, OPERATOR, q.id, brands.QualificationReviewInput(status=rng.choice(["approved", "rejected"]), reason="checked"))
    a = appeals.file(ctx, seller_a, out.ids["a_counterfeit"], appeals.AppealInput(reason="正品", evidence=EVIDENCE))
    appeals.decide(ctx, OPERATOR, out.ids["b_appeal"], appeals.DecisionInput(outcome="rejected", reason="no"))
    review_reports.file(ctx, seller_a, out.ids["a_review_bad"], review_reports.ReportInput("coercive", "要挟", EVIDENCE))
    for text in ("加我薇信 lin_8899 私下转账便宜", "亲，拍下后联系我 V: shop_2024 返现", "请加QQ 34280488 领优惠"):
        ctx.clock.now += timedelta(minutes=1)
        messages.post(ctx, PLATFORM, messages.MessageInput("web-a", "seller", text))
    opened = [c for c in cases.search(ctx, OPERATOR, "open", None, None, 100) if c.subject.kind != "match_dispute"]
    assert len(opened) >= 2
    cases.decide(ctx, OPERATOR, opened[0].id, cases.CaseDecisionInput(outcome="dismiss", reason="fine"))
    return out, a


def _queues(s) -> dict[str, list[str]]:
    return {
        "appeal": [a.appeal_id for a in appeal_store.pending(s, None, 1000)],
        "case": [c.case_id for c, _ in case_store.search(s, "open", None, None, 1000)],
        "review_report": [r.report_id for r, _ in report_store.queue(s, "pending", None, 1000, 0)],
        "qualification": [q.qualification_id for q in brand_store.qualifications(s, None, True)],
    }


def _truth(s) -> dict[str, list[str]]:
    return {kind: list(s.execute(sa.text(sql)).scalars()) for kind, sql in TRUTH.items()}


def test_every_queue_lists_exactly_the_undecided_items_oldest_first(ctx):
    _marketplace(ctx)
    with ctx.db.read() as s:
        truth = _truth(s)
        assert _queues(s) == truth
        assert all(truth.values()) and sum(map(len, truth.values())) >= 12  # something open in every queue
        assert appeal_store.count_pending(s) == len(truth["appeal"]) and report_store.count_pending(s) == len(truth["review_report"])
        assert brand_store.count_pending(s) == len(truth["qualification"])
        open_cases = case_store.search(s, "open", None, None, 1000)
        assert case_store.count_open(s, subject_kind="match_dispute") == sum(c.subject_kind == "match_dispute" for c, _ in open_cases)
        assert case_store.count_open(s, not_subject_kind="match_dispute") == sum(c.subject_kind != "match_dispute" for c, _ in open_cases)


def test_migration_0011_builds_the_index_from_an_existing_database(ctx):
    _marketplace(ctx)
    with ctx.db.read() as s:
        before = _queues(s)
    cfg = alembic_config(ctx.db.engine)
    command.downgrade(cfg, "0010")
    assert "open_items" not in sa.inspect(ctx.db.engine).get_table_names()
    command.upgrade(cfg, "head")
    with ctx.db.read() as s:
        assert _queues(s) == before == _truth(s)
