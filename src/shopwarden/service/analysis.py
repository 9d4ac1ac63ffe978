"""Heavy analysis off the request path (issue 14): reading a listing's images (QR, OCR) and matching
them against the copied-image index (local features), and the review signals that need the
sentence encoder (RV-K-5, RV-K-6's "about no product"), run after the answer, in batches.

`POST /v1/reviews` answers from the fast signals (RV-K-1..4, RV-K-6's copies and gibberish), says
what is `pending`, and writes a `work.review` row in the same transaction; `run` encodes the
batch's review texts and their products' titles in one encoder call, then writes each review's
full signals (`service.reviews.complete`).

`PUT /v1/products` answers from the fast detectors (the text ones); a listing with images is then
`pending_review`, and the same transaction writes a `work.listing` row to the outbox (so a crash
after the commit loses no work). The work is done by `run` — ONE code path, whoever feeds it:

- `local` (the embedded default, `make run`): a background thread of the process that wrote the row
  reads the outbox after its own cursor (`analysis-local`) and runs each batch;
- `nats` (`SHOPWARDEN_WORK=nats`): the relay publishes the row on `<prefix>.work.listing`, and
  `shopwarden work` processes pull batches from one durable JetStream consumer (consume/work.py).

`run` first reads every image of the batch (each distinct image once; the readings are kept, as
ever), then applies the batch in one transaction: each job claims its id in `consumed_events`
(a unique key, as incoming events do) and scans the listing again, in full, as the version that
follows — unless a newer version came in meanwhile. So a worker that dies mid-batch has its jobs
delivered again, and each job's effect (the new version, its findings, cases and measures) happens once.
"""

from __future__ import annotations

import logging
import math
import threading
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from shopwarden.errors import ShopwardenError
from shopwarden.service.consume import Incoming, Outcome, apply_batch
from shopwarden.service.context import Context
from shopwarden.store import outbox
from shopwarden.store.outbox import Entry

if TYPE_CHECKING:
    from shopwarden.service.relay import Cursor

log = logging.getLogger("shopwarden.analysis")
LISTING = "work.listing"
REVIEW = "work.review"
PENDING = ("image_text", "copied_image")  # what a deferred listing still waits for (its answer's `pending`)
NOW = math.inf  # a `wait` that reads everything before answering, whatever its size (the workers' own scan)
MAX_WAIT = 60.0  # `?wait=` is bounded: a caller waits at most this long for the analysis
LOCAL_CURSOR = "analysis-local"
LOCAL_BATCH = 16  # outbox rows a local pass reads at once (a listing's images are the cost)
LOCAL_IDLE = 30.0  # seconds a local runner waits for work before its thread ends
LOCAL_POLL = 1.0  # it looks at the outbox this often meanwhile, notified or not


@dataclass(frozen=True, slots=True)
class ListingJob:
    """What a `work.listing` row asks: scan `version` of `product_id` again with its images read."""

    product_id: str
    version: int
    body: dict[str, Any]  # the listing as submitted, with shop_id
    by: str  # the key that submitted it: the version that follows is theirs too

    def payload(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "version": self.version, "body": self.body, "by": self.by}

    @staticmethod
    def of(payload: dict[str, Any]) -> ListingJob:
        return ListingJob(str(payload["product_id"]), int(payload["version"]), dict(payload["body"]), str(payload["by"]))


# Who does each kind of work: the use case that owns it registers itself (`handles`), as products'
# `rescan` does for a listing and reviews' `complete` for a review, so this module runs the work
# without depending on its owners; work that batches well outside the transaction (the encoder over
# a batch's reviews) registers a `prepares` step too. A process that runs work imports the owners
# (the API app, `shopwarden work`: consume/work.py).
KINDS = (LISTING, REVIEW)
Handler = Callable[[Context, dict[str, Any]], Any]
Preparer = Callable[[Context, Sequence[dict[str, Any]]], None]
ManyHandler = Callable[[Context, list[dict[str, Any]]], list[Any]]
_handlers: dict[str, Handler] = {}
_preparers: dict[str, Preparer] = {}
_many: dict[str, ManyHandler] = {}


def _registrar(table: dict[str, Any], kind: str, what: str) -> Callable[[Any], Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown work kind {kind!r}; allowed: {', '.join(KINDS)}")

    def register(fn: Any) -> Any:
        kept = table.get(kind)
        if kept is not None and (kept.__module__, kept.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"work kind {kind!r} already has a {what} in {kept.__module__}")
        table[kind] = fn
        return fn

    return register


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does one job of `kind` (its payload) inside the batch's transaction."""
    return _registrar(_handlers, kind, "handler")


def handles_many(kind: str) -> Callable[[ManyHandler], ManyHandler]:
    """Register the set-based form of `kind`'s handler: a batch's consecutive jobs of it at once, in one
    savepoint, their ids claimed in one statement (`consume.apply_batch`'s `many`); each job's result,
    or the `ShopwardenError` that refused it alone. A job the group cannot take goes to `handles`'."""
    return _registrar(_many, kind, "set-based handler")


def prepares(kind: str) -> Callable[[Preparer], Preparer]:
    """Register the heavy step run over every job of `kind` in a batch at once, outside any transaction."""
    return _registrar(_preparers, kind, "batch step")


def request(session: Session, job: ListingJob, shop_id: str) -> None:
    """In the caller's transaction: the listing's analysis is owed (read by `run`, wherever it runs)."""
    outbox.add(session, LISTING, shop_id, job.payload())


def request_review(session: Session, review_id: str, shop_id: str) -> None:
    """In the caller's transaction: the review's encoder signals are owed (`service.reviews.complete`)."""
    outbox.add(session, REVIEW, shop_id, {"review_id": review_id})


def incoming(entry: Entry | dict[str, Any]) -> Incoming:
    """A work row (from the outbox, or its message as published) as the batch applies it."""
    if isinstance(entry, Entry):
        return Incoming(entry.kind, entry.event_id, entry.payload)
    return Incoming(str(entry.get("kind") or ""), entry.get("id"), dict(entry.get("data") or {}))


# ---------------------------------------------------------------- the one code path


def run(ctx: Context, jobs: Sequence[Incoming]) -> list[Outcome]:
    """Read the batch's images and run each kind's batch step (the encoder over its reviews), then
    apply its jobs in one transaction, each exactly once."""
    read(ctx, _images_of(jobs))
    for kind, prepare in _preparers.items():
        bodies = [e.body for e in jobs if e.kind == kind and e.problem is None]
        if bodies:
            prepare(ctx, bodies)
    return apply_batch(ctx, list(jobs), _handle, problem_of, _many)


def read(ctx: Context, image_ids: Sequence[str]) -> None:
    """The heavy part, outside any transaction: every distinct image read (QR, OCR) and kept;
    an image read before is not read again."""
    from shopwarden.service import image_text

    ids = list(dict.fromkeys(image_ids))
    if not ids:
        return
    with ctx.db.read() as s:
        known = [i for i in ids if _known(s, i)]
        image_text.read_images(ctx, s, known)


def _known(session: Session, image_id: str) -> bool:
    from shopwarden.store import images

    return images.get(session, image_id) is not None


def _images_of(jobs: Sequence[Incoming]) -> list[str]:
    return [i for e in jobs if e.kind == LISTING and e.problem is None for i in (e.body.get("body") or {}).get("images") or ()]


def _handle(ctx: Context, e: Incoming) -> Any:
    if e.kind not in KINDS:
        raise ValueError(f"unknown work kind {e.kind!r}; allowed: {', '.join(KINDS)}")
    handler = _handlers.get(e.kind)
    if handler is None:
        raise RuntimeError(f"no handler registered for {e.kind} (import shopwarden.service.products and .reviews where work runs)")
    return handler(ctx, e.body)


def problem_of(exc: Exception) -> dict[str, Any]:
    """What a job that could not be applied is kept with (consumed_events.problem)."""
    status = exc.status if isinstance(exc, ShopwardenError) else 500
    return {"type": "about:blank", "status": status, "title": type(exc).__name__, "detail": str(exc)}


# ---------------------------------------------------------------- `?wait=`: bounded, in the request


_waiting = ThreadPoolExecutor(max_workers=2, thread_name_prefix="shopwarden-wait")


def read_within(ctx: Context, image_ids: Sequence[str], seconds: float) -> bool:
    """Read the images for at most `seconds` (a caller's `?wait=`); True when every one was read.
    When time runs out the reading goes on and is kept; the listing is then answered pending."""
    job = _waiting.submit(read, ctx, list(image_ids))
    try:
        job.result(timeout=min(seconds, MAX_WAIT))
        return True
    except FutureTimeout:
        return False


# ---------------------------------------------------------------- local: a background thread


class _Local:
    """The embedded runner: a thread reading work rows from the outbox after its own cursor."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.wake = threading.Event()
        self.idle = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True, name="shopwarden-analysis")

    def _loop(self) -> None:
        from shopwarden.service.relay import Cursor

        cursor, quiet = None, 0.0
        while True:
            if not self.wake.wait(LOCAL_POLL):
                quiet += LOCAL_POLL  # a look anyway: a notify from inside a consumer's batch came before its commit
                with _lock:
                    if (quiet >= LOCAL_IDLE or self.stopping) and not self.wake.is_set():  # nothing came: end (notify starts another)
                        self._leave()
                        self.idle.set()
                        return
            self.wake.clear()
            try:
                cursor = cursor or Cursor(self.ctx, LOCAL_CURSOR)
                while self.pass_once(cursor):
                    quiet = 0.0
            except Exception:  # the database away, a defect: logged; the rows stay after the cursor
                log.exception("analysis: a local pass failed; tried again on the next look")
            if not self.wake.is_set():
                self.idle.set()
            if self.stopping:
                with _lock:
                    self._leave()
                    return

    def _leave(self) -> None:
        """Under `_lock`: this runner is no longer the database's."""
        if _runners.get(self.ctx.db) is self:
            del _runners[self.ctx.db]

    def pass_once(self, cursor: Cursor) -> int:
        rows = cursor.pending(LOCAL_BATCH)
        jobs = [incoming(r) for r in rows if r.kind in outbox.WORK_KINDS]
        if jobs:
            run(self.ctx, jobs)
        if rows:
            cursor.published(rows)
        return len(rows)


_runners: weakref.WeakKeyDictionary[object, _Local] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _runner(ctx: Context) -> _Local:
    with _lock:
        found = _runners.get(ctx.db)
        if found is None:
            found = _runners[ctx.db] = _Local(ctx)
            found.thread.start()
        found.idle.clear()
        found.wake.set()
        return found


def notify(ctx: Context) -> None:
    """After a commit that wrote work: the local runner takes it (with NATS, the relay does)."""
    if ctx.work == "local":
        _runner(ctx)


def stop(ctx: Context, timeout: float | None = None) -> None:
    """Do what is committed, then end the local runner (tests; a server's shutdown). Nothing if none runs."""
    with _lock:
        found = _runners.get(ctx.db)
    if found is None:
        return
    drain(ctx, timeout)
    found.stopping = True
    found.wake.set()
    found.thread.join(timeout)


def drain(ctx: Context, timeout: float | None = None) -> None:
    """Wait until the local runner has done every work row committed so far (tests; shutdown)."""
    if ctx.work != "local":
        raise ValueError("drain waits for the in-process runner; with NATS the workers do the work")
    if not _runner(ctx).idle.wait(timeout):
        raise TimeoutError(f"the analysis was not done within {timeout} s")
