"""Words for random reports: agency names, titles, section headings, narrative mentioning numbers."""

from __future__ import annotations

import numpy as np

from ogi_extract.training.synth.document import Number, number_text

PLACES = {  # province -> (cities, counties/districts)
    "浙江省": (["宁波市", "杭州市", "温州市", "绍兴市", "金华市"], ["镇海区", "鄞州区", "余姚市", "安吉县", "德清县"]),
    "江苏省": (["淮安市", "南京市", "苏州市", "徐州市", "扬州市"], ["洪泽区", "江宁区", "昆山市", "沛县", "宝应县"]),
    "陕西省": (["宝鸡市", "西安市", "咸阳市", "汉中市"], ["陈仓区", "凤翔区", "眉县", "礼泉县"]),
    "福建省": (["三明市", "福州市", "厦门市", "泉州市"], ["将乐县", "永安市", "晋江市", "闽侯县"]),
    "四川省": (["成都市", "绵阳市", "宜宾市", "南充市"], ["郫都区", "江油市", "长宁县", "阆中市"]),
    "河南省": (["郑州市", "洛阳市", "开封市", "南阳市"], ["中牟县", "偃师区", "兰考县", "邓州市"]),
    "广东省": (["广州市", "深圳市", "佛山市", "湛江市"], ["番禺区", "南山区", "顺德区", "雷州市"]),
    "宁夏回族自治区": (["银川市", "石嘴山市", "固原市"], ["永宁县", "平罗县", "西吉县"]),
}
CITY_BODIES = ["人民政府", "人民政府办公室", "公安局", "教育局", "财政局", "民政局", "司法局", "自然资源和规划局",
               "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局", "卫生健康委员会",
               "市场监督管理局", "人力资源和社会保障局", "应急管理局", "审计局", "统计局", "文化广电旅游局"]
PROVINCE_BODIES = ["人民政府", "公安厅", "教育厅", "财政厅", "民政厅", "司法厅", "自然资源厅", "生态环境厅",
                   "交通运输厅", "水利厅", "卫生健康委员会", "市场监督管理局"]
TOWN_BODIES = ["人民政府", "公安分局", "教育局", "财政局", "民政局", "卫生健康局", "市场监督管理局", "镇人民政府"]


def agency(rng: np.random.Generator) -> str:
    province = str(rng.choice(list(PLACES)))
    cities, towns = PLACES[province]
    level = rng.choice(["province", "city", "county"], p=[0.15, 0.5, 0.35])
    if level == "province":
        return province + str(rng.choice(PROVINCE_BODIES))
    if level == "city":
        return str(rng.choice(cities)) + str(rng.choice(CITY_BODIES))
    body = str(rng.choice(TOWN_BODIES))
    town = str(rng.choice(towns))
    if body == "镇人民政府":
        return town + str(rng.choice(["城关", "新城", "东湖", "白马"])) + body
    return town + body


def title(rng: np.random.Generator, agency_name: str, year: int) -> list[str]:
    forms = [
        [f"{agency_name}{year}年政府信息公开工作年度报告"],
        [agency_name, f"{year}年度政府信息公开工作年度报告"],
        [f"{agency_name}关于{year}年度", "政府信息公开工作的年度报告"],
        [f"{year}年{agency_name}", "政府信息公开工作年度报告"],
        [f"{agency_name}{year}年政府信息公开工作年报"],
    ]
    return forms[int(rng.integers(len(forms)))]


HEADINGS = {
    "ogi2008": ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况",
                "五、因政府信息公开申请提起行政复议、行政诉讼的情况", "六、存在的主要问题及改进措施", "七、其他需要报告的事项"],
    "template": ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
}
NO_TABLE = {1: "本年度主动公开政府信息情况详见本机关政府信息公开专栏。",
            3: "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"}
FILLER = [
    "我单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，不断完善工作机制，持续推进政务公开标准化规范化建设。",
    "进一步健全政府信息公开工作领导小组，明确分管领导和专门科室，将政府信息公开工作纳入年度绩效考核体系。",
    "围绕群众关心关注的热点问题，及时发布权威信息，做好政策解读和舆情回应，增强政府公信力。",
    "严格执行政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开信息安全准确。",
    "持续优化政府网站政府信息公开专栏，规范栏目设置，及时更新政府信息公开指南和主动公开目录。",
    "工作中仍存在一些不足：信息公开的及时性和全面性有待提高，政策解读的形式还不够丰富，工作人员业务能力有待加强。",
    "下一步，我们将进一步加强业务培训，完善工作制度，拓展公开渠道，不断提升政府信息公开工作水平。",
    "本年度无其他需要报告的事项。",
]


def _n(values: dict[str, Number | None], *ids: str) -> str:
    total = sum(values.get(i) or 0 for i in ids)
    return number_text(total)


def facts(fmt: str, values: dict[str, Number | None], agency_name: str, year: int) -> list[str]:
    """Narrative sentences quoting the report's own numbers (as the text around real tables does)."""
    v = values
    if fmt == "ogi2008":
        return [
            f"{year}年，{agency_name}共主动公开政府信息{_n(v, 'proactive.total')}条，其中通过政府网站公开"
            f"{_n(v, 'proactive.website')}条，政务微博公开{_n(v, 'proactive.weibo')}条，政务微信公开"
            f"{_n(v, 'proactive.wechat')}条；召开新闻发布会{_n(v, 'response.press_conferences')}次。",
            f"全年共收到政府信息公开申请{_n(v, 'requests.received')}件，其中当面申请{_n(v, 'requests.in_person')}件、"
            f"网络申请{_n(v, 'requests.online')}件、信函申请{_n(v, 'requests.letter')}件，均已按规定答复。",
            f"{year}年，因政府信息公开申请引起行政复议{_n(v, 'review.total')}件、行政诉讼{_n(v, 'litigation.total')}件。",
        ]
    return [
        f"{year}年，{agency_name}新收政府信息公开申请{_n(v, 'applications.new.total')}件，上年结转"
        f"{_n(v, 'applications.carried_over.total')}件；其中予以公开{_n(v, 'applications.granted.total')}件，部分公开"
        f"{_n(v, 'applications.partially_granted.total')}件，结转下年度继续办理{_n(v, 'applications.carried_forward.total')}件。",
        f"全年作出行政许可决定{_n(v, 'art20.licensing.decisions')}件，行政处罚决定{_n(v, 'art20.penalty.decisions')}件。",
        f"因政府信息公开被申请行政复议{_n(v, 'review.total')}件，被提起行政诉讼"
        f"{_n(v, 'litigation.direct.total', 'litigation.after_review.total')}件。",
    ]
