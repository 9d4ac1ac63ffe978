"""The context's commit hooks and the analysis' work handlers register themselves (no import cycle
between the service modules): every context gets the hooks in their order, and each registry refuses
an unknown name or a second owner."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopwarden.service import analysis, products
from shopwarden.service.consume import Incoming
from shopwarden.service.context import COMMIT_HOOKS, Context, commit_hook
from shopwarden.store.db import Database


def test_every_context_installs_the_commit_hooks_in_their_order(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'hooks.db'}")
    try:
        Context(db=db, packs={})
        # the subject locks first; statements of reasons (DSA Art. 17) before the outbox, which reads the ledgers they folded
        assert list(db.before_commit) == ["subject_locks", "statements", "outbox"]
        assert COMMIT_HOOKS == ("statements", "outbox")
    finally:
        db.dispose()


def test_an_unknown_commit_hook_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown commit hook 'audit'"):
        commit_hook("audit")


def test_a_second_owner_of_a_commit_hook_is_refused() -> None:
    def install(ctx: Context) -> None:
        pass

    with pytest.raises(ValueError, match="already registered by shopwarden.service.statements"):
        commit_hook("statements")(install)


def test_listing_work_is_products_rescan(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(products, "rescan", lambda ctx, job: seen.append(job.product_id))
    job = analysis.ListingJob("p1", 1, {"shop_id": "s1"}, "key")
    analysis._handlers[analysis.LISTING](None, job.payload())  # type: ignore[arg-type]  # the replaced rescan reads no context
    assert seen == ["p1"]


def test_review_work_is_reviews_complete_and_its_batch_step_the_encoder_warm(monkeypatch: pytest.MonkeyPatch) -> None:
    from shopwarden.service import reviews

    done: list[str] = []
    warmed: list[list[str]] = []
    monkeypatch.setattr(reviews, "complete", lambda ctx, review_id: done.append(review_id))
    monkeypatch.setattr(reviews, "warm", lambda ctx, ids: warmed.append(list(ids)))
    analysis._handlers[analysis.REVIEW](None, {"review_id": "r1"})  # type: ignore[arg-type]
    analysis._preparers[analysis.REVIEW](None, [{"review_id": "r1"}, {"review_id": "r2"}])  # type: ignore[arg-type]
    assert done == ["r1"] and warmed == [["r1", "r2"]]


def test_the_work_registry_refuses_an_unknown_kind_and_a_second_handler() -> None:
    with pytest.raises(ValueError, match="unknown work kind 'work.video'"):
        analysis.handles("work.video")
    with pytest.raises(ValueError, match="already has a handler in shopwarden.service.products"):
        analysis.handles(analysis.LISTING)(lambda ctx, job: None)


def test_work_of_an_unknown_kind_is_refused_before_any_handler_runs(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'work.db'}")
    try:
        with pytest.raises(ValueError, match="unknown work kind 'work.other'"):
            analysis._handle(Context(db=db, packs={}), Incoming("work.other", "e1", {}))
    finally:
        db.dispose()
