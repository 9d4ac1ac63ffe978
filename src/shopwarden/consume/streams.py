"""Subjects, streams and durable consumers, all named from one `prefix` (API.md: `--prefix` replaces
`shopwarden` everywhere, so deployments and test runs share nothing).

Per-shop order: subject partitioning. A publisher that needs its events of one shop applied in
order publishes them on `<prefix>.in.<kind>.<partition>`, partition = crc32(key) mod `partitions`
(`subject_for`; key = the shop id, or the creator's), and every kind of one partition goes to one
durable consumer (`<prefix>.in.*.<p>`), owned by one process at a time — so an order comes before
its review and a listing's versions come in order. The API's plain `<prefix>.in.<kind>` is the
partition `any` (one more consumer, owned like the others): ordered too, but never shared out.
Why subjects and not keys in the body: JetStream hands a durable consumer's messages out in stream
order only to one puller; a key inside the body cannot steer that, a subject can (NATS 2.9 has no
stream subject transforms, so the publisher computes the partition; `subject_for` is the rule).
`max_ack_pending` = the batch size keeps a partition's order across crashes too: nothing newer is
delivered while an older message is unacknowledged, and redeliveries come first.
"""

from __future__ import annotations

import re
import zlib

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

PREFIX = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
ANY = "any"


def check_prefix(prefix: str) -> str:
    if not PREFIX.match(prefix):
        raise ValueError(f"prefix {prefix!r}: letters, digits, '_' and '-' only, 1 to 32 characters")
    return prefix


def partition_of(key: str, partitions: int) -> int:
    return zlib.crc32(key.encode()) % partitions


def subject_for(prefix: str, kind: str, key: str, partitions: int) -> str:
    """Where a publisher puts an event of `kind` for shop (or creator) `key` to keep its order."""
    return f"{prefix}.in.{kind}.{partition_of(key, partitions)}"


def stream(prefix: str, what: str) -> str:
    return f"{prefix.upper().replace('-', '_')}_{what.upper()}"


def partitions_of(count: int) -> list[str]:
    return [str(p) for p in range(count)] + [ANY]


def filter_of(prefix: str, partition: str) -> str:
    return f"{prefix}.in.*" if partition == ANY else f"{prefix}.in.*.{partition}"


def kind_of(prefix: str, subject: str) -> str:
    parts = subject.split(".")
    return parts[2] if len(parts) >= 3 and parts[0] == prefix and parts[1] == "in" else ""


WORK = ("work", RetentionPolicy.WORK_QUEUE)  # heavy analysis (service/analysis.py): a message leaves once a worker acknowledged it
STREAMS = (("in", RetentionPolicy.LIMITS), ("out", RetentionPolicy.LIMITS), ("dead", RetentionPolicy.LIMITS), WORK)


def out_subject(prefix: str, kind: str) -> str:
    """Where the relay publishes an outbox row: decisions on `<prefix>.out.<kind>`, the engine's own
    work (`work.listing`) on `<prefix>.work.listing` for `shopwarden work`."""
    return f"{prefix}.{kind}" if kind.startswith("work.") else f"{prefix}.out.{kind}"


def work_config(prefix: str, ack_wait: float) -> ConsumerConfig:
    """The one durable consumer every `shopwarden work` process pulls from (they share its messages)."""
    return ConsumerConfig(durable_name=f"{prefix}-work", filter_subject=f"{prefix}.work.>", ack_policy=AckPolicy.EXPLICIT,
                          deliver_policy=DeliverPolicy.ALL, ack_wait=ack_wait, max_deliver=-1)


async def ensure(js: JetStreamContext, prefix: str, duplicate_window: float = 120.0) -> None:
    """The four streams (in, out, dead, work), created where missing; file storage, as a restart must keep them."""
    for what, retention in STREAMS:
        name = stream(prefix, what)
        try:
            await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=name, subjects=[f"{prefix}.{what}.>"], retention=retention,
                                             storage=StorageType.FILE, duplicate_window=duplicate_window))


async def drop(js: JetStreamContext, prefix: str) -> None:
    """Delete a prefix's streams (a test or benchmark run cleaning up after itself)."""
    for what, _ in STREAMS:
        try:
            await js.delete_stream(stream(prefix, what))
        except NotFoundError:
            pass


def consumer_config(prefix: str, partition: str, batch: int, ack_wait: float) -> ConsumerConfig:
    return ConsumerConfig(durable_name=f"{prefix}-in-{partition}", filter_subject=filter_of(prefix, partition), ack_policy=AckPolicy.EXPLICIT,
                          deliver_policy=DeliverPolicy.ALL, ack_wait=ack_wait, max_ack_pending=batch, max_deliver=-1)
