"""DY-DV contact diversion: the contract, a table of cases with their evidence, and the pack's say.

rule DY-DV: other platforms' links, phone numbers, social accounts, shop addresses, payment
details, asking the buyer for these, steering the deal off-platform; except a declared
after-sales contact.
"""

from __future__ import annotations

import pytest
from contract import DetectorContract

from shopwarden.core.detect.base import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.policy.schema import DetectorSettings

DV = ContactDiversion()

# (text, expected evidence texts in order; empty: no finding)
CASES = [
    ("V信: abc_8888", ["V信: abc_8888"]),
    ("亲，加我微信 wxid_k8s92ldx 发你实拍图", ["微信 wxid_k8s92ldx"]),
    ("请加V❤信：meimei_0521", ["V❤信：meimei_0521"]),
    ("威信同号 15988886666", ["威信同号 15988886666"]),
    ("+V 18612345678 有惊喜", ["+V 18612345678"]),
    ("扣扣 2876543210 联系", ["扣扣 2876543210"]),
    ("加我🐧 1234567890", ["🐧 1234567890"]),
    ("电话：一三九一二三四五六七八", ["一三九一二三四五六七八"]),
    ("手机号 壹叁捌零零壹叁捌零零零 随时打", ["壹叁捌零零壹叁捌零零零"]),
    ("售前咨询 ①③⑧⓪⓪①③⑧⓪⓪⓪", ["①③⑧⓪⓪①③⑧⓪⓪⓪"]),
    ("call me 138OO138OOO", ["138OO138OOO"]),
    ("电话 138/0013/8000", ["138/0013/8000"]),
    ("1 3 8 - 0 0 1 3 - 8 0 0 0 随时联系", ["1 3 8 - 0 0 1 3 - 8 0 0 0"]),
    ("打这个电话 0２0-8７6５４３２１ 找王经理", ["0２0-8７6５４３２１"]),
    ("同款咨询 tel: +86 139-1234-5678", ["+86 139-1234-5678"]),
    ("138 0013 8000 / 139 1234 5678", ["138 0013 8000", "139 1234 5678"]),
    ("官网 luxshop点com 下单更优惠", ["luxshop点com"]),
    ("visit luxdeals dot com for the full catalogue", ["luxdeals dot com"]),
    ("详情请访问 www.cheap-bags.cn", ["www.cheap-bags.cn"]),
    ("发邮件到 sales at goodtrade dot com", ["sales at goodtrade dot com"]),
    ("邮箱：12345678#qq.com", ["12345678#qq.com"]),
    ("拍之前去拼多多搜我们店，便宜二十块", ["拼多多"]),
    ("￥Ab3dEf9hK1￥ 复制这条信息，打开手机淘宝即可看到", ["￥Ab3dEf9hK1￥"]),
    ("私下交易更划算，支付宝转账就行", ["私下交易", "支付宝转账"]),
    ("工行卡号 6212261202011584340 户名张三", ["6212261202011584340"]),
    ("方便留个手机号吗？", ["留个手机号"]),
    ("实体店地址：广州市白云区三元里大道88号，欢迎到店看货", ["实体店地址：广州市白云区三元里大道88号，欢迎到店看货"]),
    # look-alikes: quiet
    ("订单号 3718265902314587 已发货", []),
    ("快递单号：SF1402387746512 顺丰", []),
    ("型号：XJ-13800 适配华为", []),
    ("充电宝 13800mAh 大容量", []),
    ("价格 ¥138.00，满 199 减 20", []),
    ("生产日期 2024-03-15 保质期 12 个月", []),
    ("条形码 6901234567892", []),
    ("执行标准：GB/T 1234-2008 合格", []),
    ("尺码 S/M/L/XL，身高 160-175 可穿", []),
    ("V领雪纺衫 夏季新款", []),
    ("微笑服务,信誉第一", []),
    ("货号：13579246801", []),
    ("本店不接受私下交易，请在平台内下单", []),
    ("淘宝同款，质量很好", []),
    ("QQ糖 软糖 500g", []),
    ("产地：云南省昭通市威信县", []),
]


class TestContactDiversionContract(DetectorContract):
    detector = DV


@pytest.mark.parametrize(("text", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text, spans):
    findings = DV.detect(Subject.message(text), DetectContext())
    assert [e.text for f in findings for e in f.evidence] == spans
    assert all(f.rule == "DY-DV" for f in findings)


def test_evidence_points_into_each_listing_field():
    subject = Subject.listing(title="夏季连衣裙 V领", description="更多款式 加vx：lily_520", attributes="材质 棉")
    (finding,) = DV.detect(subject, DetectContext())
    assert [(e.field, e.text) for e in finding.evidence] == [("description", "vx：lily_520")]


def test_several_kinds_of_signal_score_higher_than_one():
    one = DV.detect(Subject.message("电话 13800138000"), DetectContext())[0].score
    two = DV.detect(Subject.message("电话 13800138000，官网 luxshop.com"), DetectContext())[0].score
    assert two > one


def test_explanation_names_the_contact_in_both_languages():
    (finding,) = DV.detect(Subject.message("V信: abc_8888"), DetectContext())
    assert "WeChat" in finding.explanation.en and "abc_8888" in finding.explanation.en
    assert "微信" in finding.explanation.zh
    assert finding.as_dict()["evidence"] == [{"field": "text", "start": 0, "end": 12, "text": "V信: abc_8888"}]


def _context(**thresholds) -> DetectContext:
    return DetectContext(detectors={"contact_diversion": DetectorSettings(thresholds=thresholds, source="test pack")})


def test_severity_follows_the_pack():
    subject = Subject.message("V信: abc_8888")
    assert DV.detect(subject, DetectContext())[0].severity == "general"
    assert DV.detect(subject, _context(**{"severity.general": 0.5, "severity.serious": 0.9}))[0].severity == "serious"
    assert DV.detect(subject, _context(**{"severity.general": 0.999}))[0].severity == "minor"


def test_min_score_from_the_pack_silences_weak_findings():
    subject = Subject.message("加我微信直接发货")  # steering without an id scores lower than a contact
    assert DV.detect(subject, DetectContext())
    assert DV.detect(subject, _context(min_score=0.9)) == []


def test_declared_after_sales_contact_is_exempt():
    subject = Subject.message("售后电话 138-0013-8000，微信 shop_help01")
    declared = ("+86 13800138000", "shop_help01")
    assert DV.detect(subject, DetectContext(declared_contacts=declared)) == []
    other = DV.detect(Subject.message("售后电话 13900139000"), DetectContext(declared_contacts=declared))
    assert other, "only the declared contact is exempt"


def test_pack_can_refuse_the_declared_exception():
    context = DetectContext(
        detectors={"contact_diversion": DetectorSettings(thresholds={"declared_exempt": 0}, source="test")},
        declared_contacts=("13800138000",),
    )
    assert DV.detect(Subject.message("售后电话 13800138000"), context)


def test_platform_domains_are_not_off_platform():
    subject = Subject.message("看这里 https://www.douyin.com/shop/123 和 luxshop.com")
    (finding,) = DV.detect(subject, DetectContext(allowed_domains=("douyin.com",)))
    assert [e.text for e in finding.evidence] == ["luxshop.com"]


def test_national_formats_follow_the_context_regions():
    subject = Subject.message("nomor saya 0812 3456 7890")
    assert DV.detect(subject, DetectContext()) == []
    assert DV.detect(subject, DetectContext(phone_regions=("CN", "ID")))


@pytest.mark.parametrize(
    "text",
    [
        " ".join("1234567890" * 400),  # one run of 4,000 single-digit groups
        "微信" * 3000,
        "a@" * 3000 + "b.com",
        ("淘宝" + "去" * 30) * 200,
        "点" * 5000 + "com",
    ],
    ids=["spaced-digits", "keywords", "at-signs", "platforms", "dots"],
)
def test_long_hostile_text_scans_in_bounded_time(text):
    import time

    started = time.perf_counter()
    DV.detect(Subject.listing(description=text), DetectContext())
    assert time.perf_counter() - started < 2.0
