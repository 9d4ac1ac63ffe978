"""Every "at most N" rule holds under a burst of simultaneous requests, on SQLite and PostgreSQL:
eight threads, each in its own transaction through the service functions, released together by a
barrier. Exactly the allowed number is stored; every loser gets a Conflict naming the rule."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from shopwarden.errors import Conflict
from shopwarden.service import review_reports as report_service
from shopwarden.service import reviews as review_service
from shopwarden.service.auth import authenticate, create_key
from shopwarden.service.products import put as put_product
from shopwarden.service.shops import put_shop
from shopwarden.store import review_reports

N = 8
LISTING = {"title": "无线蓝牙耳机 降噪 长续航", "category": "数码/耳机", "skus": [{"sku_id": "k1", "price": 299.0}]}
REPORT = {"kind": "coercive", "reason": "买家要求返现才删差评", "evidence": [{"kind": "chat", "value": "聊天截图：给我返现50就删评"}]}


def burst(fn, n: int = N) -> tuple[list, list[Exception]]:
    """Run `fn(i)` in `n` threads released at once; their results and their errors."""
    gate = threading.Barrier(n)
    results, errors, lock = [], [], threading.Lock()

    def run(i: int) -> None:
        gate.wait()
        try:
            out = fn(i)
        except Exception as exc:  # noqa: BLE001 - every outcome is collected and judged by the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def only_conflicts(errors: list[Exception], rule: str, kind: type[Conflict] = Conflict) -> None:
    assert all(isinstance(e, kind) for e in errors), [repr(e) for e in errors]
    assert {e.rule for e in errors} <= {rule}, [e.rule for e in errors]


def principal(ctx, role: str, shop: str | None = None):
    return authenticate(ctx, create_key(ctx, role, shop))


@pytest.fixture
def platform(ctx):
    return principal(ctx, "platform")


@pytest.fixture
def operator(ctx):
    return principal(ctx, "operator")


@pytest.fixture
def shop(ctx, platform):
    put_shop(ctx, platform, "t1", "耳机店", "enterprise", "tiktok-shop")
    put_product(ctx, platform, "p1", LISTING | {"shop_id": "t1"})
    return "t1"


def a_review(ctx, platform, n: int) -> str:
    review_service.post_order(ctx, platform, {"order_id": f"o{n}", "shop_id": "t1", "product_id": "p1", "buyer_id": f"b{n}", "status": "completed"})
    review_service.post_review(ctx, platform, {"review_id": f"r{n}", "order_id": f"o{n}", "rating": 1, "text": "音质很差，用两天就断连", "images": []})
    return f"r{n}"


# ---------------------------------------------------------------- RV-3


def test_rv3_one_report_per_review_under_a_burst(ctx, platform, shop):
    """RV-3: eight simultaneous reports of one review store one; seven get 409 RV-3."""
    seller = principal(ctx, "seller", shop)
    rid = a_review(ctx, platform, 1)
    ok, errors = burst(lambda i: report_service.file(ctx, seller, rid, dict(REPORT)))
    with ctx.db.read() as s:
        stored = review_reports.of_review(s, rid)
    assert len(stored) == 1 and len(ok) == 1, (len(stored), len(ok), errors)
    only_conflicts(errors, "RV-3")
