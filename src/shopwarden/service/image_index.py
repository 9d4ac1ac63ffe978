"""The copied-image index (DY-IP): register images, find what a listing's images copy.

Entries come from two places: every image of every stored listing version (read lazily from
`product_versions` into `image_index_entries` before each match, with the shop, product and
time it was first shown), and images rights owners register with `POST /v1/protected-images`.
The PDQ hashes live in an in-process faiss index per database, rebuilt from the table when the
entry count changed. Keypoints are computed from the stored bytes on demand and kept in an LRU.

Candidates and their verification are `core/images/copy_index.py` (PDQ, descriptor votes, the
flat references; each verified, then ranked by score). Descriptors are computed from the stored bytes once per process per image: at
registration, or on the first match after a restart or another process's registration (the
in-memory index is not persisted).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from shopwarden.core.images.copy_index import CopyIndex
from shopwarden.core.images.copy_match import WORK_SIDE, ImageFeatures, features
from shopwarden.core.images.decode import DecodedImage, decode
from shopwarden.core.images.pdq import PdqHash
from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.store import image_index, images
from shopwarden.store.image_index import IndexEntry

FEATURE_CACHE = 128


@dataclass(frozen=True, slots=True)
class ProtectedInput:
    image_id: str  # uploaded first with POST /v1/images
    owner: str  # the rights owner
    note: str | None = None


@dataclass(frozen=True, slots=True)
class IndexedImage(Result):
    """An entry of the copied-image index: a listing's image, a creator's, or a protected one."""

    reference_id: str
    source: str  # listing | content | protected
    shop_id: str | None
    product_id: str | None
    owner: str | None
    note: str | None
    first_seen_at: str  # ISO 8601


class _Index:
    """One database's entries by image, their hashes in faiss, and cached keypoints."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.count = -1
        self.copies = CopyIndex()  # hashes, descriptor votes, flat references
        self.entries: dict[str, list[dict[str, Any]]] = {}
        self.features: OrderedDict[str, ImageFeatures] = OrderedDict()

    def refresh(self, session: Session) -> None:
        count = image_index.count(session)
        if count == self.count:
            return
        entries: dict[str, list[dict[str, Any]]] = {}
        for row in image_index.all_entries(session):
            entries.setdefault(row.sha256, []).append(_entry_json(row).as_json())
            self.copies.add_hash(row.sha256, PdqHash.from_hex(row.pdq, row.pdq_quality), row.width, row.height)
        self.entries, self.count = entries, count
        for sha in entries:
            if sha not in self.copies.votes:
                self.describe(sha, self.features_of(session, sha))

    def describe(self, sha256: str, found: ImageFeatures) -> None:
        """Put a reference's descriptors into the vote index (once)."""
        self.copies.describe(sha256, found)

    def features_of(self, session: Session, sha256: str, decoded: DecodedImage | None = None) -> ImageFeatures:
        """Cached, or described from `decoded` (a WORK_SIDE working copy) or the stored bytes."""
        cached = self.features.get(sha256)
        if cached is not None:
            self.features.move_to_end(sha256)
            return cached
        if decoded is None:
            data = images.data(session, sha256)
            if data is None:  # an indexed image's bytes are kept with it
                raise NotFound.no("image", sha256)
            decoded = decode(data, side=WORK_SIDE)
        found = features(np.asarray(decoded.image), size=(decoded.width, decoded.height))
        self.features[sha256] = found
        while len(self.features) > FEATURE_CACHE:
            self.features.popitem(last=False)
        return found


_indexes: weakref.WeakKeyDictionary[object, _Index] = weakref.WeakKeyDictionary()
_indexes_lock = Lock()


def _index(ctx: Context) -> _Index:
    with _indexes_lock:
        found = _indexes.get(ctx.db)
        if found is None:
            found = _indexes[ctx.db] = _Index()
        return found


def _entry_json(row: IndexEntry) -> IndexedImage:
    return IndexedImage(row.sha256, row.source, row.shop_id, row.product_id, row.owner, row.note, row.first_seen_at.isoformat())


def _add_entry(session: Session, index: _Index, key: str, sha256: str, row: dict[str, Any]) -> bool:
    f = index.features_of(session, sha256)
    with index.lock:
        index.describe(sha256, f)
    return image_index.add(session, row | {"entry_key": key, "sha256": sha256, "pdq": f.pdq.hex, "pdq_quality": f.pdq.quality,
                                           "width": f.width, "height": f.height})


def sync_listings(ctx: Context) -> int:
    """Read stored listing versions not yet in the index; the first showing per shop is kept."""
    index, added = _index(ctx), 0
    with ctx.db.transaction() as s:
        for v in image_index.unindexed_versions(s):
            for sha in dict.fromkeys((v.listing or {}).get("images") or ()):
                if isinstance(sha, str) and images.get(s, sha) is not None:
                    key = image_index.entry_key("listing", v.shop_id, sha)
                    added += _add_entry(s, index, key, sha, {"source": "listing", "shop_id": v.shop_id, "product_id": v.product_id,
                                                             "first_seen_at": v.submitted_at, "registered_by": v.submitted_by})
            image_index.mark_indexed(s, v.product_id, v.version)
    return added


def register_content(ctx: Context, s: Session, content_id: str, creator_id: str, image_ids: Sequence[str], at: datetime, by: str) -> int:
    """A creator's cover and frames, so that a later piece copying them is seen (CR-6); the first
    showing per creator is kept. `product_id` holds the content id (the entry's subject)."""
    index, added = _index(ctx), 0
    for sha in dict.fromkeys(image_ids):
        key = image_index.entry_key("content", creator_id, sha)
        added += _add_entry(s, index, key, sha, {"source": "content", "owner": creator_id, "product_id": content_id,
                                                 "first_seen_at": at, "registered_by": by})
    return added


def register_protected(ctx: Context, principal: Principal, body: ProtectedInput) -> tuple[IndexedImage, bool]:
    """`POST /v1/protected-images`: a rights owner's image (uploaded first with POST /v1/images); (its entry, created)."""
    require(principal, "image.protect")
    sha = body.image_id
    with ctx.db.transaction() as s:
        if images.get(s, sha) is None:
            raise InvalidInput.one("image_id", "no uploaded image has this id; upload it with POST /v1/images first")
        key = image_index.entry_key("protected", body.owner, sha)
        created = _add_entry(s, _index(ctx), key, sha, {"source": "protected", "owner": body.owner, "note": body.note,
                                                       "first_seen_at": ctx.clock(), "registered_by": principal.key_id})
        entry = image_index.get(s, key)
        if entry is None:  # written just above, or by the request that won the race
            raise NotFound.no("protected image", sha)
        return _entry_json(entry), created


def protected_of(ctx: Context, principal: Principal, image_id: str) -> list[IndexedImage]:
    require(principal, "image.read")
    with ctx.db.read() as s:
        return [_entry_json(r) for r in image_index.entries_of(s, [image_id]) if r.source == "protected"]


def matches_for(ctx: Context, session: Session, ids: Sequence[str], copies: dict[str, DecodedImage] | None = None) -> list[dict[str, Any]]:
    """For each image id, in order: {"image_id", "matches": [entry + match, …]} for copied_image.
    `copies`: WORK_SIDE working copies already decoded in this request (image_text.read_images)."""
    copies = copies or {}
    sync_listings(ctx)
    index = _index(ctx)
    with index.lock:
        index.refresh(session)
        out = []
        for sha in ids:
            query = index.features_of(session, sha, copies.get(sha))
            found = [(ref, m) for ref, m in index.copies.search(query, lambda ref: index.features_of(session, ref)) if ref in index.entries]
            out.append({"image_id": sha, "matches": [e | m.as_dict() for ref, m in found for e in index.entries.get(ref, ())]})
        return out
