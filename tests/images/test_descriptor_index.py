"""The descriptor-vote index proposes the reference a crop or collage was cut from, among many
look-alikes (core/images/descriptor_index.py; DY-IP copied images at scale)."""

from __future__ import annotations

from evals import image_eval as ev
from shopwarden.core.images.descriptor_index import DescriptorIndex
from shopwarden.core.images.local_match import local_features


def test_votes_rank_the_source_first_among_look_alikes():
    refs = {f"drawn-{i}": ev._draw_product(400 + i, 480) for i in range(24)} | {f"scene-{i}": ev._filler(700 + i, 480) for i in range(8)}
    index = DescriptorIndex()
    for key, image in refs.items():
        index.add(key, local_features(image))
    assert len(index) == len(refs) and "drawn-3" in index
    for key in ("drawn-3", "drawn-17", "scene-5"):
        for query in (ev.crop(refs[key], 0.3), ev.collage(refs[key], 1), ev.crop(refs[key], 0.2)[:, ::-1].copy()):
            ranked = index.candidates(local_features(query, mirrored=True), 8)
            assert ranked and ranked[0][0] == key, (key, ranked[:3])


def test_an_unrelated_query_gets_far_fewer_votes_than_a_copy():
    refs = [ev._draw_product(500 + i, 480) for i in range(12)]
    index = DescriptorIndex()
    for i, image in enumerate(refs):
        index.add(f"drawn-{i}", local_features(image))
    copy = index.candidates(local_features(ev.crop(refs[4], 0.3), mirrored=True), 1)[0][1]
    stranger = index.candidates(local_features(ev._filler(999, 480), mirrored=True), 1)
    assert not stranger or stranger[0][1] < copy / 4, (stranger, copy)
    assert DescriptorIndex().candidates(local_features(ev._filler(1, 200), mirrored=True), 8) == []
