"""Per-rule precision and recall of every registered detector on labelled creator content (CR-6),
three sets, Chinese and English:

- `content_eval.jsonl` (90 items): written by hand from CR-6 with hard negatives (第一次, 最近,
  "not the best", 100%纯棉, a cream that is "moisturising" against one that 治疗湿疹). Its author
  wrote the detectors and tuned them on it, so it flatters them.
- `content_heldout.jsonl` (86 items): written by the same author and committed before the
  detectors first ran on it; never tuned on. Its first run is the honest figure (ABS P 0.913
  R 1.0, EFF 1.0/1.0, REL 0.875/1.0); its three misses (不敢说是最好的, 最多放三个月, a pan
  spoken of only as 锅) are left in place. The head-noun rule of CR-6-REL, added after the
  probe below showed the same miss (这个杯子), now covers the third; the other two stay.
- `content_probe.jsonl` (63 items): written after the detectors in phrasings they were not
  designed for (LIVE speech, full-width ＮＯ．１, 能治, "helps with", 这个杯子), committed before
  they ran on it. First run: ABS P 0.933 R 0.933, EFF 1.0/0.75, REL 0.667/1.0, DY-PR R 0.5.
  General fixes came from it (full-width forms, 治 glued to a modal, "helps with", a
  compound's head noun, "battery at 100%"), so it is development data now; the spoken price
  (六十九块) is price_mentions' gap and stays.

The floors are regression floors under the measured figures, not targets; run with `-s` to
see the rows each rule gets wrong. Each row lists every rule it should raise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import content_eval
from shopwarden.core.detect.evaluate import count

DATA = Path(__file__).parents[1] / "data"
FLOORS = {
    "content_eval.jsonl": {"CR-6-ABS": (0.95, 0.95), "CR-6-EFF": (0.95, 0.95), "CR-6-REL": (0.95, 0.95)},
    "content_heldout.jsonl": {"CR-6-ABS": (0.9, 0.95), "CR-6-EFF": (0.95, 0.95), "CR-6-REL": (0.85, 0.95)},
    "content_probe.jsonl": {"CR-6-ABS": (0.9, 0.9), "CR-6-EFF": (0.95, 0.95), "CR-6-REL": (0.95, 0.95)},
}
SIZES = {"content_eval.jsonl": 80, "content_heldout.jsonl": 80, "content_probe.jsonl": 60}


@pytest.fixture(scope="module", params=list(FLOORS))
def results(request):
    return request.param, content_eval.scanned(DATA, request.param)


def test_each_set_has_enough_items_in_both_languages(results):
    name, rows = results
    assert len(rows) >= SIZES[name]
    texts = [" ".join(r["content"].values()) for r, _ in rows]
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts) >= 40
    assert sum(t.isascii() for t in texts) >= 15


def test_rules_hold_their_floors(results):  # rule CR-6
    name, rows = results
    for rule, (p_floor, r_floor) in FLOORS[name].items():
        c = count((rule in r["expected"], rule in found) for r, found in rows)
        wrong = [r["id"] for r, found in rows if (rule in r["expected"]) != (rule in found)]
        print(f"{name} {rule}: P {c.precision:.3f} R {c.recall:.3f} wrong {wrong}")
        assert c.precision >= p_floor and c.recall >= r_floor, (rule, wrong)


def test_the_detectors_beat_the_substring_baseline_on_held_out_claims():  # rule CR-6
    rows = content_eval.scanned(DATA, "content_heldout.jsonl")
    naive = content_eval.baselines()
    for rule in ("CR-6-ABS", "CR-6-EFF", "CR-6-REL"):
        mine = count((rule in r["expected"], rule in found) for r, found in rows)
        base = count((rule in r["expected"], naive[rule](r)) for r, _ in rows)
        assert mine.precision > base.precision, rule


def test_the_tables_render():
    tables = content_eval.content_tables(DATA)
    assert [t.title.split(" ")[0] for t in tables] == ["content_eval.jsonl", "content_heldout.jsonl", "content_probe.jsonl"]
