"""Heavy analysis off the request path over NATS JetStream and PostgreSQL (issue 14): listings with
images arrive through `shopwarden consume`, are answered `pending_review` from the fast detectors,
their work goes through the outbox and the relay to `<prefix>.work.listing`, and `shopwarden work`
reads their images and scans them again. A worker killed (SIGKILL) mid-batch: its batch is delivered
again, and every job's effect happens once."""

from __future__ import annotations

import asyncio
import os
import signal

from nats_fixtures import PLATFORM, consumer, publish, scalar, wait_for

from shopwarden.service.images import upload
from shopwarden.service.shops import put_shop

NATS_WORK = {"SHOPWARDEN_WORK": "nats"}


def _listings(ctx, n: int) -> list:
    """n listings of shop d1 (douyin), each with its own photo carrying a WeChat QR code."""
    from tests.images.drawn import png, product_photo, with_qr

    put_shop(ctx, PLATFORM, "d1", "好物小店", "enterprise", "douyin")
    events = []
    for i in range(n):
        image, _ = upload(ctx, PLATFORM, png(with_qr(product_photo(seed=i), f"https://weixin.qq.com/r/abc{i:03d}")), "d1")
        events.append(("listing", "d1", {"event_id": f"ev-p{i}", "product_id": f"p{i}", "shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml",
                                         "category": "home/cups", "skus": [{"sku_id": "a", "price": 59}], "images": [image.image_id]}))
    return events


def _worked(url: str) -> int:
    return scalar(url, "SELECT count(*) FROM consumed_events WHERE kind = 'work.listing'")


def _stop(*procs) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
            p.wait(20)


def _each_analysed_once(url: str, n: int) -> None:
    assert _worked(url) == n
    assert scalar(url, "SELECT count(*) FROM consumed_events WHERE kind = 'work.listing' AND outcome = 'applied'") == n
    assert scalar(url, "SELECT count(*) FROM product_versions") == 2 * n  # the answer's version, and the analysed one: none twice
    assert scalar(url, "SELECT count(*) FROM products WHERE version = 2 AND status = 'rejected'") == n  # each QR code read by a worker
    assert scalar(url, "SELECT count(*) FROM product_versions WHERE version = 1 AND status = 'pending_review'") == n


def test_listings_through_consume_are_answered_pending_and_analysed_by_a_worker(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    n = 6
    asyncio.run(publish(nats_url, prefix, _listings(pg_ctx, n)))
    c = consumer(nats_url, prefix, pg_url, "--batch", "10", log=tmp_path / "consume.log", env=NATS_WORK)
    w = consumer(nats_url, prefix, pg_url, "--batch", "4", command="work", log=tmp_path / "work.log")
    try:
        wait_for(lambda: _worked(pg_url) == n, 240, what="every listing analysed")
    finally:
        _stop(c, w)
    _each_analysed_once(pg_url, n)


def test_a_worker_killed_mid_batch_has_its_batch_redone_once(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    n = 9
    asyncio.run(publish(nats_url, prefix, _listings(pg_ctx, n)))
    c = consumer(nats_url, prefix, pg_url, log=tmp_path / "consume.log", env=NATS_WORK)
    a = consumer(nats_url, prefix, pg_url, "--batch", "3", "--ack-wait", "3", command="work", log=tmp_path / "a.log")
    b = None
    try:
        wait_for(lambda: _worked(pg_url) >= 3, 240, 0.05, "a first batch analysed")
        os.kill(a.pid, signal.SIGKILL)  # the next batch fetched, its images being read: nothing of it acknowledged
        a.wait(10)
        assert _worked(pg_url) < n, "killed too late to be mid-work"
        b = consumer(nats_url, prefix, pg_url, "--batch", "3", "--ack-wait", "3", command="work", log=tmp_path / "b.log")
        wait_for(lambda: _worked(pg_url) == n, 240, what="every listing analysed by the second worker")
    finally:
        _stop(*(p for p in (c, a, b) if p is not None))
    _each_analysed_once(pg_url, n)


def test_reviews_through_consume_are_answered_from_the_fast_signals_and_completed_by_a_worker(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    """Issue 14 for reviews: each review consumed owes the encoder's signals (RV-K-5, RV-K-6), its
    `work.review` goes to `<prefix>.work.review`, and a worker writes them once (`review_signals`)."""
    from shopwarden.service import products, reviews

    n = 5
    put_shop(pg_ctx, PLATFORM, "d1", "好物小店", "enterprise", "douyin")
    products.put(pg_ctx, PLATFORM, "p1", {"shop_id": "d1", "title": "纯棉四件套 床上用品 1.8m", "category": "家纺/床上用品",
                                          "skus": [{"sku_id": "a", "price": 199}], "images": []})
    for i in range(n):
        reviews.post_order(pg_ctx, PLATFORM, {"order_id": f"o{i}", "shop_id": "d1", "product_id": "p1", "buyer_id": f"b{i}", "status": "paid"})
    events = [("review", "d1", {"event_id": f"ev-r{i}", "review_id": f"r{i}", "order_id": f"o{i}", "rating": 2,
                                "text": f"被套洗了{i + 1}次就起球，颜色也和图片不一样"}) for i in range(n)]
    asyncio.run(publish(nats_url, prefix, events))
    c = consumer(nats_url, prefix, pg_url, "--batch", "10", log=tmp_path / "consume.log", env=NATS_WORK)
    w = consumer(nats_url, prefix, pg_url, "--batch", "4", command="work", log=tmp_path / "work.log")
    try:
        wait_for(lambda: scalar(pg_url, "SELECT count(*) FROM review_signals") == n, 240, what="every review's signals written")
    finally:
        _stop(c, w)
    assert scalar(pg_url, "SELECT count(*) FROM reviews WHERE pending IS NOT NULL") == n  # each answered owing them
    assert scalar(pg_url, "SELECT count(*) FROM consumed_events WHERE kind = 'work.review' AND outcome = 'applied'") == n
    assert scalar(pg_url, "SELECT count(*) FROM review_signals WHERE product_similarity IS NOT NULL") == n
