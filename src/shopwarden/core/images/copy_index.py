"""Which registered images a query copies, best first (DY-IP): the candidate stages and the
verification of `copy_match`, over references kept in memory. Pure: no storage, no clock.

Candidates for a query image: every reference within PDQ_CONFIRM bits (any dihedral variant; a
whole-image copy), and those farther but within PDQ's match distance for `match` to confirm; and, for crops, collages and copies set into a larger picture, a
local-feature check against the `PDQ_NEIGHBOURS` nearest hashes, the `VOTE_NEIGHBOURS`
references with the most descriptor votes (`descriptor_index`), and every flat reference (too
few keypoints to vote; the dense fallback checks them) up to `FLAT_LIMIT`. Each candidate is
verified (`copy_match.match`) and the verified ones are returned by score, highest first — never
by the order they were registered in, so a finding cites the original the query resembles most. A
flat reference's matches, PDQ's included, are `for_review`: an operator's case, not a finding
that blocks.

`service/image_index.py` keeps one per database; `evals/image_real_eval.py` builds its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shopwarden.core.images.copy_match import PDQ_CONFIRM, ImageFeatures, Match, for_review, match, pdq_match
from shopwarden.core.images.descriptor_index import DescriptorIndex
from shopwarden.core.images.hash_index import HashIndex
from shopwarden.core.images.pdq import MATCH_DISTANCE, PdqHash

PDQ_COPIES = 64  # whole-image copies reported per query image
PDQ_NEIGHBOURS = 8
VOTE_NEIGHBOURS = 8
FLAT_LIMIT = 256


@dataclass(frozen=True, slots=True)
class Reference:
    """What the index keeps of a reference without its keypoints: its hash and size."""

    pdq: PdqHash
    width: int
    height: int


def ranked(found: list[tuple[str, Match]]) -> list[tuple[str, Match]]:
    """Verified matches, most confident first; ties by key (stable across runs)."""
    return sorted(found, key=lambda km: (-km[1].confidence, km[0]))


class CopyIndex:
    """References by key: PDQ hashes (faiss), descriptor votes (faiss HNSW) and the flat ones."""

    def __init__(self) -> None:
        self.hashes = HashIndex()
        self.votes = DescriptorIndex()
        self.refs: dict[str, Reference] = {}
        self.flat: set[str] = set()  # references only the dense fallback can match

    def __len__(self) -> int:
        return len(self.refs)

    def __contains__(self, key: str) -> bool:
        return key in self.refs

    def add_hash(self, key: str, pdq: PdqHash, width: int, height: int) -> None:
        """A reference's hash and size (known before its keypoints are computed)."""
        if key not in self.refs:
            self.refs[key] = Reference(pdq, width, height)
            self.hashes.add(key, pdq)

    def describe(self, key: str, found: ImageFeatures) -> None:
        """A reference's keypoints into the vote index (once)."""
        self.add_hash(key, found.pdq, found.width, found.height)
        if key in self.votes:
            return
        self.votes.add(key, found.local)
        if found.dense is not None:
            self.flat.add(key)

    def candidates(self, query: ImageFeatures) -> tuple[list[tuple[str, Match]], list[str]]:
        """PDQ matches, and the references still worth a local-feature (or dense) check."""
        near = self.hashes.nearest(query.variants, PDQ_COPIES)
        found, confirm = [], []
        for key, distance in near:
            if distance <= MATCH_DISTANCE:
                ref = self.refs[key]
                m = pdq_match(query, ref.pdq, (ref.width, ref.height))
                if m is not None and (m.distance or 0) <= PDQ_CONFIRM:
                    found.append((key, m))
                elif m is not None:
                    confirm.append(key)  # a farther PDQ match: `match` asks the local check
        done = {key for key, _ in found}
        local = confirm + [key for key, _ in near if key not in done and key not in confirm][:PDQ_NEIGHBOURS]
        local += [key for key, _ in self.votes.candidates(query.local, VOTE_NEIGHBOURS)]
        local += sorted(self.flat)[:FLAT_LIMIT]
        return found, [key for key in dict.fromkeys(local) if key not in done and key in self.refs]

    def search(self, query: ImageFeatures, features_of: Callable[[str], ImageFeatures]) -> list[tuple[str, Match]]:
        """Every reference `query` copies, with the match, most confident first. `features_of`
        gives a candidate's full description (a cache, or the stored bytes described again)."""
        found, local = self.candidates(query)
        found = [(key, for_review(m) if key in self.flat else m) for key, m in found]  # PDQ's, flat ones to review
        for key in local:
            m = match(query, features_of(key))
            if m is not None:
                found.append((key, m))
        return ranked(found)
