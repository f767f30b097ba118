import pytest
from conftest import DATA, truth

from ogi_extract.inference.fields import detect_agency, detect_format, detect_year

SEEDS = sorted(p.stem for p in (DATA / "seeds").glob("*.txt"))


@pytest.mark.parametrize("stem", SEEDS)
def test_report_fields_from_seed_text(stem):
    text = (DATA / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    t = truth("seeds", stem)
    year = detect_year(lines)
    assert (detect_agency(lines), year, detect_format(text, year)) == (t["agency"], t["year"], t["format"])


@pytest.mark.parametrize("lines, agency", [
    (["四川省司法厅关于2021年度", "政府信息公开工作的年度报告", "一、总体情况"], "四川省司法厅"),
    (["—", "1", "—", "2019年南阳市市场监督管理局", "政府信息公开工作年度报告"], "南阳市市场监督管理局"),
    (["淮安市人民政府2024年政府信息公开工作年度报告"], "淮安市人民政府"),
])
def test_agency_from_titles_wrapped_over_two_lines(lines, agency):
    assert detect_agency(lines) == agency


# Title blocks as real reports print them (names of real issuers of each kind), one to three lines.
TITLES = [
    (["北京市海淀区人民政府2023年政府信息公开工作年度报告"], "北京市海淀区人民政府"),
    (["淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告"], "淮安市洪泽区人民政府"),
    (["淮安市", "洪泽区人民政府2024年政府信息公开工作年度报告"], "淮安市洪泽区人民政府"),
    (["苏州市", "吴中区人民政府2022年度", "政府信息公开工作年度报告"], "苏州市吴中区人民政府"),
    (["沭阳县", "人民政府2021年度", "政府信息公开工作年度报告"], "沭阳县人民政府"),
    (["沛县2023年政府信息公开工作年度报告"], "沛县"),
    (["四川省人民政府办公厅", "2023年政府信息公开工作年度报告"], "四川省人民政府办公厅"),
    (["宁波市镇海区人民政府办公室关于2023年度政府信息公开工作的年度报告"], "宁波市镇海区人民政府办公室"),
    (["江苏省卫生健康委员会2023年政府信息公开工作年度报告"], "江苏省卫生健康委员会"),
    (["国家税务总局宁波市税务局", "2023年政府信息公开工作年度报告"], "国家税务总局宁波市税务局"),
    (["南京市公共资源交易中心", "2023年度政府信息公开工作年度报告"], "南京市公共资源交易中心"),
    (["广州经济技术开发区管理委员会2022年政府信息公开工作年度报告"], "广州经济技术开发区管理委员会"),
    (["苏州工业园区管理委员会", "2023年政府信息公开工作年度报告"], "苏州工业园区管理委员会"),
    (["兰州新区管委会2023年政府信息公开工作年度报告"], "兰州新区管委会"),
    (["重庆两江新区", "2023年政府信息公开工作年度报告"], "重庆两江新区"),
    (["平潭综合实验区", "2022年政府信息公开工作年度报告"], "平潭综合实验区"),
    (["福建省平潭综合实验区管理委员会", "2023年政府信息公开", "工作年度报告"], "福建省平潭综合实验区管理委员会"),
    (["贵安新区", "管理委员会2023年度政府信息公开工作年度报告"], "贵安新区管理委员会"),
    (["成都高新技术产业开发区管理委", "员会2023年度政府信息公开工作年度报告"], "成都高新技术产业开发区管理委员会"),
    (["中国（上海）自由贸易试验区临港新片区管理委员会", "2023年政府信息公开工作年度报告"],
     "中国（上海）自由贸易试验区临港新片区管理委员会"),
    (["深圳市前海深港现代服务业合作区管理局", "2023年政府信息公开工作年度报告"], "深圳市前海深港现代服务业合作区管理局"),
    (["杭州市余杭区五常街道办事处2023年度政府信息公开工作年度报告"], "杭州市余杭区五常街道办事处"),
    (["朝阳区建外街道", "2023年政府信息公开工作年度报告"], "朝阳区建外街道"),
    (["德清县武康镇人民政府2023年政府信息公开工作年度报告"], "德清县武康镇人民政府"),
    (["长兴县煤山镇", "2022年政府信息公开工作年度报告"], "长兴县煤山镇"),
    (["安吉县杭垓镇人民政府关于2023年度", "政府信息公开工作的年度报告"], "安吉县杭垓镇人民政府"),
    (["2023年", "郑州市金水区人民政府", "政府信息公开工作年度报告"], "郑州市金水区人民政府"),
    (["《洛阳市人民政府2023年政府信息公开工作年度报告》"], "洛阳市人民政府"),
    (["—1—", "宝应县人民政府2023年政府信息公开工作年度报告"], "宝应县人民政府"),
    (["首页 > 政务公开 > 年度报告", "昆山市人民政府办公室2023年政府信息公开工作年度报告", "发布时间：2024-01-19"],
     "昆山市人民政府办公室"),
    (["宁夏回族自治区公安厅", "Department of Public Security", "2017年政府信息公开工作 年度报告"], "宁夏回族自治区公安厅"),
    (["四川省司法厅关于2021年度", "政府信息公开工作的年度报告", "一、总体情况"], "四川省司法厅"),
    (["—", "1", "—", "2019年南阳市市场监督管理局", "政府信息公开工作年度报告"], "南阳市市场监督管理局"),
]


@pytest.mark.parametrize("lines, agency", TITLES, ids=[t[1] for t in TITLES])
def test_agency_from_title_block_of_every_issuer_kind(lines, agency):
    assert detect_agency(lines + ["一、总体情况", "2023年，我区认真贯彻落实《中华人民共和国政府信息公开条例》。"]) == agency


BODY = ["一、总体情况", "2023年，在区委、区政府的正确领导下，我办深入贯彻落实《条例》，政府信息公开工作取得新进展。",
        "六、其他需要报告的事项", "下一步，我们将进一步加强政府信息公开工作，不断提升公开质量和实效。"]


@pytest.mark.parametrize("signature, agency", [
    (["贵阳综合保税区管理委员会", "2024年1月20日"], "贵阳综合保税区管理委员会"),
    (["杭州市西湖区北山街道办事处", "2024 年 1 月 18 日"], "杭州市西湖区北山街道办事处"),
    (["海口市龙华区龙泉镇人民政府 2024年1月31日"], "海口市龙华区龙泉镇人民政府"),
    (["特此报告。", "2024年1月20日"], None),  # no issuer signs: None, not the closing sentence
    ([], None),
])
def test_agency_from_signature_when_title_is_bare(signature, agency):
    assert detect_agency(["2023年度政府信息公开工作年度报告", *BODY, *signature]) == agency


def test_prose_is_never_an_agency():
    lines = ["政府信息公开工作年度报告", *BODY, "我局将按照上级要求认真做好政府信息公开工作的各项部署"]
    assert detect_agency(lines) is None


@pytest.mark.parametrize("lines, year", [
    (["洪泽区人民政府2023年政府信息公开工作年度报告", *BODY, "洪泽区人民政府", "2024年1月15日"], 2023),
    (["黄浦区外滩街道办事处政府信息公开工作年度报告", *BODY, "黄浦区外滩街道办事处", "2024年1月15日"], 2023),
    (["成都市郫都区人民政府", "2022年度政府信息公开", "工作年度报告", *BODY, "2023年3月1日"], 2022),
])
def test_covered_year_not_publication_year(lines, year):
    assert detect_year(lines) == year


def _document(*pages: list[str]):
    import numpy as np

    from ogi_extract.types import Document, Page, Word

    def page(i, lines):
        words = [Word(text, (50, 40 + 30 * k, 50 + 20 * len(text), 60 + 30 * k), source="text_layer")
                 for k, text in enumerate(lines)]
        return Page(index=i, raster=np.zeros((10, 10, 3), np.uint8), dpi=72, words=words)

    return Document(source="t.pdf", pages=[page(i, lines) for i, lines in enumerate(pages)])


def test_report_fields_reads_the_signature_on_the_last_page_and_warns_about_the_year():
    from ogi_extract.inference.fields import report_fields

    doc = _document(["政府信息公开工作年度报告", *BODY[:2]], [*BODY[2:], "汉中市经济技术开发区管委会", "2024年1月22日"])
    assert report_fields(doc)[:2] == ("汉中市经济技术开发区管委会", 2023)
    assert doc.warnings == ["year: not in the title; 2023 taken from the publication date"]


def test_report_fields_unsure_agency_is_null_with_a_warning():
    from ogi_extract.inference.fields import report_fields

    doc = _document(["2023年度政府信息公开工作年度报告", *BODY], ["我局将按照要求认真做好各项工作的部署安排"])
    assert report_fields(doc)[:2] == (None, 2023)
    assert any(w.startswith("agency:") for w in doc.warnings)


def test_format_keys_count_with_one_character_misread():
    """A fax of a 2019 report was read with 數 for 数 and 項 for 项 in its table headers; with 结 misread
    as well no key is printed exactly, yet the format is known from its long keys. Short keys must
    still be exact."""
    text = (DATA / "seeds" / "002_6d48f98caee9bd35.txt").read_text(encoding="utf-8")
    misread = text.replace("数量", "數量").replace("项目", "項目").replace("本年增/减", "本年增减").replace("审结", "审桔")
    assert detect_format(misread, 2019) == "ogi2019"
    assert detect_format("本年制发件敫 本年废止件敫 现行有效件敫", 2022) == "other"
