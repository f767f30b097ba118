"""Agency and year on issuers the field rules were not written against.

Thirty issuers of every kind the reports come from (county, city and district governments, 办公厅,
局/厅/委员会, 管委会, 开发区, 新区, 中心, 街道, 乡镇), none of them among the names in
tests/test_fields.py, printed in the generator's title forms and in a title wrapped inside the
issuer's name broken after its place over three lines, rendered as digital PDFs (and `--scanned N` of them as mild scans)
and read by the real pipeline. Prints the share right, and every miss.

Run: `.venv/bin/python benchmarks/issuers.py [--scanned 10]`
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import numpy as np

from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.training.synth import corpus
from ogi_extract.training.synth.generate import random_report, write_doc

ISSUERS = [
    "嘉兴市南湖区人民政府", "云南省人民政府办公厅", "湖北省自然资源厅", "温州市生态环境局", "青岛市发展和改革委员会",
    "义乌市人民政府", "昆明市官渡区人民政府办公室", "西安市公安局", "呼和浩特市卫生健康委员会", "宁陵县人民政府",
    "哈尔滨新区管理委员会", "天津经济技术开发区管委会", "武汉东湖新技术开发区管理委员会", "西咸新区管委会",
    "广州南沙新区管理委员会", "赣江新区管理委员会", "长春新区管理委员会", "浙江舟山群岛新区",
    "黄河三角洲农业高新技术产业示范区管理委员会", "横琴粤澳深度合作区执行委员会",
    "长沙市不动产登记中心", "宁夏回族自治区政务服务中心", "海口市美兰区白龙街道办事处", "成都市锦江区春熙路街道",
    "珠海市香洲区拱北街道办事处", "德清县武康街道", "慈溪市周巷镇人民政府", "昆山市千灯镇", "建德市大同镇人民政府",
    "宁陵县石桥乡人民政府",
]


def titles(rng: np.random.Generator, issuer: str, year: int) -> list[str]:
    """The generator's title forms (a line too long for the page wraps where it runs out), or three
    lines with the issuer's name broken after its place (嘉兴市 / 南湖区人民政府2023年度 / 政府信息公开…)."""
    place = re.match(r".+?(?:自治区|省|市|县)", issuer)
    if place and place.end() < len(issuer) - 1 and rng.random() < 0.3:
        return [place.group(), f"{issuer[place.end():]}{year}年度", "政府信息公开工作年度报告"]
    return corpus.title(rng, issuer, year)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scanned", type=int, default=0, help="also read the first N as mild scans")
    ap.add_argument("--seed", type=int, default=31)
    args = ap.parse_args()
    pipeline, rng = Pipeline(), np.random.default_rng(args.seed)
    rows: dict[str, list[bool]] = {"digital": [], "scanned": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i, issuer in enumerate(ISSUERS):
            report, _ = random_report(rng, f"issuer_{i}")
            report.agency, report.title = issuer, titles(rng, issuer, report.year)
            kinds = ["digital"] + (["scanned"] if i < args.scanned else [])
            for kind in kinds:
                pdf = write_doc(report, Path(tmp) / kind, kind=kind, degradation="mild", seed=i)
                result = pipeline(pdf)
                right = result.agency == issuer and result.year == report.year
                rows[kind].append(right)
                if not right:
                    print(f"  miss ({kind}): title {report.title} -> agency {result.agency!r}, year {result.year} "
                          f"(truth {report.year})")
    for kind, hits in rows.items():
        if hits:
            print(f"{kind}: agency and year right for {sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.3f}")


if __name__ == "__main__":
    main()
