"""Images read after the answer: a listing whose images are too large to read within the request
(`scan_limits.inline_image_pixels`) is answered `pending_review` at once; here, on a worker thread
of this process, its images are read (the readings and copy-match features are kept, as ever), and
the listing is scanned again through the same gate, as the version that follows — if no newer
version came in meanwhile. The single-machine stand-in for the scale-out issue's workers (DESIGN.md:
"SQLite serves one machine, with the work queue replaced by an in-process thread")."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Lock

from shopwarden.service import image_index, image_text
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context
from shopwarden.store import products

log = logging.getLogger("shopwarden.images")
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shopwarden-images")  # one at a time: the memory bound holds
_pending: set[Future] = set()
_lock = Lock()


def after_answer(ctx: Context, product_id: str, version: int, body: dict, principal: Principal, image_ids: tuple[str, ...]) -> None:
    job = _pool.submit(_read_then_rescan, ctx, product_id, version, dict(body), principal, image_ids)
    with _lock:
        _pending.add(job)
    job.add_done_callback(_done)


def _done(job: Future) -> None:
    with _lock:
        _pending.discard(job)
    if job.exception() is not None:
        log.error("reading a listing's images after the answer failed", exc_info=job.exception())


def _read_then_rescan(ctx: Context, product_id: str, version: int, body: dict, principal: Principal, image_ids: tuple[str, ...]) -> None:
    from shopwarden.service import products as product_service  # products submits here

    with ctx.db.read() as s:
        image_text.read_images(ctx, s, list(image_ids))
        image_index.matches_for(ctx, s, list(image_ids))
        head = products.get(s, product_id)
    if head is not None and head.version == version:  # a newer version was scanned in full already
        product_service.put(ctx, principal, product_id, body)


def drain(timeout: float | None = None) -> None:
    """Wait until every image job submitted so far is done (tests; a server's shutdown)."""
    with _lock:
        jobs = list(_pending)
    for job in jobs:
        job.result(timeout=timeout)
