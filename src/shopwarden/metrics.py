"""Every Prometheus metric shopwarden exports, defined once (all named `shopwarden_…`).

A metric is incremented where its event happens (the API middleware, the scan's decision step,
the consumer); figures that live in the database (open queue items, SLA breaches) are not kept
here but read at scrape time by `api/metrics.py`'s collector. Under multi-process serving
(PROMETHEUS_MULTIPROC_DIR set before the processes start) prometheus-client writes these to
per-process files that `/metrics` sums.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

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

# The event consumer (`shopwarden consume`, issue 14) increments these; defined here so there is one list.
EVENTS_CONSUMED = Counter("shopwarden_events_consumed_total", "Inbound events applied", ("kind",))
EVENTS_FAILED = Counter("shopwarden_events_failed_total", "Inbound events that failed (to be redelivered)", ("kind",))
EVENTS_DEAD = Counter("shopwarden_events_dead_lettered_total", "Inbound events given up on (dead-lettered)", ("kind",))
CONSUMER_LAG = Gauge("shopwarden_consumer_lag_messages", "Messages waiting for the consumer", ("stream",), multiprocess_mode="max")

# Webhooks (service/webhooks.py): deliveries by outcome.
WEBHOOK_DELIVERIES = Counter("shopwarden_webhook_deliveries_total", "Webhook delivery attempts", ("outcome",))
WEBHOOK_SECONDS = Histogram("shopwarden_webhook_delivery_duration_seconds", "Time of one webhook delivery attempt",
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
