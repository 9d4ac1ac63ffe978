"""CR-6-REL content that never speaks of the product it anchors: the contract and cases.

rule CR-6: non-original or low-quality content — an anchored product the content never speaks of.
"""

from __future__ import annotations

from content_fixtures import content, pack_context
from contract import DetectorContract

from shopwarden.core.detect.content.unrelated_product import UnrelatedProduct, product_words

REL = UnrelatedProduct()
TRAVEL = ("这次去云南玩了七天，大理的洱海真的很美，丽江古城晚上人特别多，吃了很多米线和鲜花饼，"
          "下次还想去香格里拉看看雪山，大家有什么推荐的地方吗")  # fmt: skip
ABOUT_CUP = ("这个保温杯我用了一个月，早上灌的开水到下午还烫嘴，杯身是不锈钢的，拿在手里很有质感，"
             "上班通勤放包里也不漏水，容量够我喝一上午")  # fmt: skip


class TestUnrelatedProductContract(DetectorContract):
    detector = REL


def test_travel_talk_anchoring_a_cup_goes_to_review():  # rule CR-6
    (finding,) = REL.detect(content("cup", transcript=TRAVEL), pack_context())
    assert finding.rule == "CR-6-REL" and finding.score < 0.9
    assert finding.evidence[0].field == "transcript" and finding.evidence[0].text == TRAVEL


def test_content_about_its_product_is_fine():  # rule CR-6
    assert REL.detect(content("cup", transcript=ABOUT_CUP), pack_context()) == []


def test_any_anchored_product_spoken_of_is_enough():
    assert REL.detect(content("pan", "cup", transcript=ABOUT_CUP), pack_context()) == []


def test_english_content_about_its_product():
    text = ("I apply two drops of this vitamin C serum every morning before sunscreen, it sinks in fast, "
            "smells a little citrusy and after three weeks my skin looks brighter")  # fmt: skip
    assert REL.detect(content("serum", transcript=text), pack_context()) == []


def test_short_content_and_live_segments_are_not_judged():
    assert REL.detect(content("cup", transcript="链接在小黄车"), pack_context()) == []
    assert REL.detect(content("cup", kind="live", segment=True, transcript=TRAVEL), pack_context()) == []


def test_product_words_drop_generic_ones():
    words = product_words({"title": "新款 正品 316不锈钢保温杯 包邮", "category": "home/kitchen"})
    assert {"保温杯", "不锈钢"} <= words and not {"新款", "正品", "包邮"} & words


def test_speech_names_the_product_by_its_head_noun():  # rule CR-6
    text = ("周末用这口锅做了糖醋排骨，糖色炒完一冲就掉，底部受热很均匀，"
            "分量不算轻但是女生也拿得动，做完饭擦一擦就收起来了")  # fmt: skip
    assert REL.detect(content("pan", transcript=text), pack_context()) == []
