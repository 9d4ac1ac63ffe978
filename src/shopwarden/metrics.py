"""Every Prometheus metric shopwarden exports, defined once (all named `shopwarden_…`).

A metric is incremented where its event happens (the API middleware, the scan's decision step,
the consumer); figures that live in the database (open queue items, SLA breaches) are not kept
here but read at scrape time by `api/metrics.py`'s collector. Under multi-process serving
(PROMETHEUS_MULTIPROC_DIR set before the processes start) prometheus-client writes these to
per-process files that `/metrics` sums.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

# Requests by route *template* (never the raw path: its ids would make a series per shop), method
# and status: one histogram, whose `_count` is the request count (a second counter would cost every
# request another locked increment). Buckets from 1 ms (a kept health read) to 10 s (a listing with
# large images).
HTTP_SECONDS = Histogram(
    "shopwarden_http_request_duration_seconds", "Time to answer an HTTP request (its _count: requests answered)",
    ("route", "method", "status"), buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# The decision step (service/scanning.py `judge`): one per finding, by rule id and decision.
FINDINGS = Counter("shopwarden_findings_total", "Detector findings judged", ("rule", "decision"))
# Measures recorded (content blocked, limited, ...), by kind.
MEASURES = Counter("shopwarden_measures_total", "Measures applied", ("kind",))

# The event consumer (`shopwarden consume`; consume/runner.py `count`) increments these.
EVENTS_CONSUMED = Counter("shopwarden_events_consumed_total", "Inbound events applied", ("kind",))
EVENTS_FAILED = Counter("shopwarden_events_failed_total", "Inbound events that failed (to be redelivered)", ("kind",))
EVENTS_DEAD = Counter("shopwarden_events_dead_lettered_total", "Inbound events given up on (dead-lettered)", ("kind",))
# Lag per partition of the inbound stream: the events not yet applied (the batch in hand and what
# JetStream holds behind it); each partition is worked by one process at a time, which sets 0 when
# it hands the partition over, so the max over processes is the partition's lag.
CONSUMER_LAG = Gauge("shopwarden_consumer_lag_messages", "Inbound events not yet applied, per partition", ("stream", "partition"),
                     multiprocess_mode="max")

# Webhooks (service/webhooks.py): deliveries by outcome.
WEBHOOK_DELIVERIES = Counter("shopwarden_webhook_deliveries_total", "Webhook delivery attempts", ("outcome",))
WEBHOOK_SECONDS = Histogram("shopwarden_webhook_delivery_duration_seconds", "Time of one webhook delivery attempt",
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))


def registry() -> CollectorRegistry:
    """What a scrape shows: this process's metrics, or with PROMETHEUS_MULTIPROC_DIR set the sum of
    every process writing there (the `serve` workers, and consumers given the same directory)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        summed = CollectorRegistry()
        MultiProcessCollector(summed)
        return summed
    return REGISTRY


def serve(port: int, host: str = "127.0.0.1") -> None:
    """`/metrics` of a process without the API (`shopwarden consume --metrics-port`), on a thread."""
    start_http_server(port, addr=host, registry=registry())
