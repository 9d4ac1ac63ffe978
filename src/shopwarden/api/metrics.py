"""`GET /metrics` (Prometheus text format) and `GET /readyz` (readiness).

/metrics needs no key (API.md "Operating it"): a scraper holds no shopwarden key, and what it
shows is counts by route, rule and queue — no shop, seller or key. In production bind it to an
internal interface (or block `/metrics` at the proxy), as every service here is scraped.

The counters and histograms are `shopwarden/metrics.py`'s; the queue figures are read from the
store at scrape time by `QueueCollector` (`service/operating.py`). With PROMETHEUS_MULTIPROC_DIR
set (multi-process serving) each scrape sums the files of all worker processes.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from starlette.concurrency import run_in_threadpool

from shopwarden import metrics as figures
from shopwarden.api.problems import problem
from shopwarden.service.context import Context
from shopwarden.service.operating import queue_figures, readiness

router = APIRouter(tags=["meta"])


class QueueCollector:
    """Open items, the oldest's age and SLA breaches per operator queue, read when scraped."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def collect(self):
        figures = queue_figures(self.ctx)
        open_ = GaugeMetricFamily("shopwarden_queue_open_items", "Items waiting for an operator's decision", labels=("queue",))
        oldest = GaugeMetricFamily("shopwarden_queue_oldest_item_age_seconds", "Age of the oldest open item", labels=("queue",))
        late = GaugeMetricFamily("shopwarden_queue_sla_breaches", "Open items past their decision deadline (DY-APL-1)", labels=("queue",))
        for queue, n in sorted(figures.open.items()):
            open_.add_metric((queue,), n)
        for queue, age in sorted(figures.oldest_seconds.items()):
            oldest.add_metric((queue,), age)
        for queue, n in sorted(figures.sla_breaches.items()):
            late.add_metric((queue,), n)
        return [open_, oldest, late]


def scrape(ctx: Context) -> bytes:
    queues = CollectorRegistry()
    queues.register(QueueCollector(ctx))
    return generate_latest(figures.registry()) + generate_latest(queues)


@router.get("/metrics", summary="Prometheus metrics: no key needed (serve it on an internal interface)", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}})
async def metrics(request: Request) -> Response:
    body = await run_in_threadpool(scrape, request.app.state.ctx)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz", summary="Readiness: 200 when the database (and NATS, where configured) answer, else 503",
            responses={503: {"description": "something it needs does not answer", "content": {"application/problem+json": {}}}})
async def readyz(request: Request) -> Response:
    nats = os.environ.get("SHOPWARDEN_NATS_URL") or None
    state = await run_in_threadpool(readiness, request.app.state.ctx, nats)
    if state.ready:
        return JSONResponse({"status": "ready", "checks": {"database": "ok"} | ({"nats": "ok"} if nats else {})})
    down = ", ".join(f"{what} ({why})" for what, why in sorted(state.down.items()))
    return problem(503, "Not ready", f"not answering: {down}", down=sorted(state.down))
