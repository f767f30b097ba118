"""The metric contract (spec/metrics.yaml) as typed objects.

Extraction reasons about *rows*: a printed table row maps to one `RowSpec`
(its classifier target), and the row's value cells map to the spec's columns.
A metric id is `RowSpec.key` + "." + column key (or the key alone for the
single-value rows of ogi2008).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SPEC_PATH = Path(__file__).with_name("spec") / "metrics.yaml"
FORMATS = ("ogi2008", "ogi2019", "ogi2021")
UNMAPPED = "unmapped"
REVIEW_LITIGATION = "review_litigation"  # the 15-cell row of table 四 (ogi2019/2021)


@dataclass(frozen=True)
class Column:
    key: str  # "" for a single-value row
    label: str
    unit: str | None = None


@dataclass(frozen=True)
class RowSpec:
    """One printed row of an official table: a classifier target."""

    key: str
    label: str
    format: str
    columns: tuple[Column, ...]
    parent: str = ""  # the label of the row group it sits in, for context
    prefix: str | None = None  # metric-id prefix when it differs from the key ("" for table 四)

    def metric_id(self, column: Column) -> str:
        prefix = self.key if self.prefix is None else self.prefix
        return ".".join(p for p in (prefix, column.key) if p)

    @property
    def metric_ids(self) -> list[str]:
        return [self.metric_id(c) for c in self.columns]


@dataclass(frozen=True)
class Relation:
    """lhs = sum(rhs): a soft arithmetic check (勾稽关系)."""

    lhs: str
    rhs: tuple[str, ...]

    @property
    def text(self) -> str:
        rhs = " ".join(f"- {t[1:]}" if t.startswith("-") else f"+ {t}" for t in self.rhs)
        return f"{self.lhs} = {rhs.removeprefix('+ ')}"


@dataclass
class FormatSpec:
    name: str
    rows: list[RowSpec]
    relations: list[Relation]
    optional_rows: list[RowSpec] = field(default_factory=list)  # e.g. unsplit （六）其他处理 in ogi2021

    @property
    def all_rows(self) -> list[RowSpec]:
        return self.rows + self.optional_rows

    @property
    def metric_ids(self) -> list[str]:
        return [m for r in self.all_rows for m in r.metric_ids]

    def unit(self, metric_id: str) -> str | None:
        for row in self.all_rows:
            for col in row.columns:
                if row.metric_id(col) == metric_id:
                    return col.unit
        return None

    def row(self, key: str) -> RowSpec:
        return next(r for r in self.all_rows if r.key == key)


@dataclass
class Spec:
    formats: dict[str, FormatSpec]

    def __getitem__(self, name: str) -> FormatSpec:
        return self.formats[name]

    def targets(self) -> dict[str, RowSpec]:
        """Every row key of every format (keys shared by formats keep the latest spec)."""
        return {r.key: r for f in self.formats.values() for r in f.all_rows}


def _ogi2008(raw: dict) -> FormatSpec:
    unit_default = raw.get("unit_default")
    rows = [
        RowSpec(m["id"], m["label"], "ogi2008", (Column("", m["label"], m.get("unit", unit_default)),))
        for m in raw["metrics"]
    ]
    relations = []
    for text in raw["relations"]:
        lhs, rhs = text.split("=")
        relations.append(Relation(lhs.strip(), tuple(t.strip() for t in rhs.split("+"))))
    return FormatSpec("ogi2008", rows, relations)


_APPLICANTS = ("natural_person", "enterprise", "research_institution", "social_org", "legal_service", "other_org")
_RESULT_GROUPS = {  # row-key prefix -> printed group label (context for the classifier)
    "refused": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other.": "（六）其他处理",
}


def _group_of(row_key: str) -> str:
    if row_key in ("new", "carried_over", "carried_forward", "total"):
        return ""
    for prefix, label in _RESULT_GROUPS.items():
        if row_key.startswith(prefix):
            return label
    return "三、本年度办理结果"


def _template(name: str, art20: list[dict], app_rows: dict[str, str], raw2019: dict) -> FormatSpec:
    rows: list[RowSpec] = []
    for item in art20:
        units = item.get("units", {})
        cols = tuple(Column(k, v, units.get(k)) for k, v in item["columns"].items())
        rows.append(RowSpec(f"art20.{item['item']}", item["label"], name, cols))
    app_cols = tuple(Column(k, v) for k, v in raw2019["applications"]["columns"].items())
    for key, label in app_rows.items():
        rows.append(RowSpec(f"applications.{key}", label, name, app_cols, parent=_group_of(key)))
    review_cols = [Column(k, v) for k, v in raw2019["review"].items()]
    lit = raw2019["litigation"]
    lit_cols = [
        Column(f"{g}.{k}", f"{glabel}{v}") for g, glabel in lit["groups"].items() for k, v in lit["columns"].items()
    ]
    # Table 四 prints review and litigation side by side in one 15-cell row.
    review_row = RowSpec(REVIEW_LITIGATION, "行政复议 行政诉讼", name, tuple(
        [Column(f"review.{c.key}", f"行政复议{c.label}") for c in review_cols]
        + [Column(f"litigation.{c.key}", f"行政诉讼{c.label}") for c in lit_cols]
    ), prefix="")
    rows.append(review_row)
    return FormatSpec(name, rows, _template_relations(rows))


def _template_relations(rows: list[RowSpec]) -> list[Relation]:
    rel: list[Relation] = []
    app = [r for r in rows if r.key.startswith("applications.")]
    for r in app:
        rel.append(Relation(f"{r.key}.total", tuple(f"{r.key}.{c}" for c in _APPLICANTS)))
    results = [r.key for r in app if r.key not in
               ("applications.new", "applications.carried_over", "applications.total", "applications.carried_forward")]
    for col in _APPLICANTS + ("total",):
        rel.append(Relation(f"applications.total.{col}", tuple(f"{k}.{col}" for k in results)))
    for col in _APPLICANTS + ("total",):
        # new + carried_over = total + carried_forward, written as a sum on the left
        rel.append(Relation(f"applications.new.{col}", (
            f"applications.total.{col}", f"applications.carried_forward.{col}", f"-applications.carried_over.{col}")))
    parts = ("upheld", "corrected", "other", "pending")
    for g in ("review", "litigation.direct", "litigation.after_review"):
        rel.append(Relation(f"{g}.total", tuple(f"{g}.{p}" for p in parts)))
    return rel


@cache
def load_spec() -> Spec:
    text = SPEC_PATH.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    r19, r21 = raw["ogi2019"], raw["ogi2021"]
    s08 = _ogi2008(raw["ogi2008"])
    s19 = _template("ogi2019", r19["art20"], r19["applications"]["rows"], r19)
    rows21: dict[str, str] = {}
    for key, label in r19["applications"]["rows"].items():
        if key == "other":
            rows21.update(r21["applications"]["rows_replace"])
        else:
            rows21[key] = label
    s21 = _template("ogi2021", r21["art20"], rows21, r19)
    # An ogi2021 report may print （六）其他处理 unsplit; its relations then use `other`.
    app_cols = s21.row("applications.granted").columns
    s21.optional_rows = [RowSpec("applications.other", "（六）其他处理", "ogi2021", app_cols, parent="三、本年度办理结果")]
    return Spec({"ogi2008": s08, "ogi2019": s19, "ogi2021": s21})


def relation_terms(relation: Relation) -> list[tuple[int, str]]:
    """(sign, metric id) pairs of the right-hand side; '-id' subtracts."""
    return [(-1, t[1:]) if t.startswith("-") else (1, t) for t in relation.rhs]


def relations_for(fmt: FormatSpec, present: set[str]) -> list[Relation]:
    """The format's relations, with ogi2021's split `other.*` rows swapped for `other` when unsplit."""
    if "applications.other.total" not in present or fmt.name != "ogi2021":
        return fmt.relations
    out = []
    for rel in fmt.relations:
        rhs = [t for t in rel.rhs if not re.match(r"applications\.other\.(no_correction|unpaid_fees|other)\.", t)]
        if len(rhs) != len(rel.rhs):
            col = rel.lhs.rsplit(".", 1)[1]
            rhs.append(f"applications.other.{col}")
        if rel.lhs.startswith("applications.other.") and rel.lhs.count(".") == 3:
            continue
        out.append(Relation(rel.lhs, tuple(rhs)))
    out.append(Relation("applications.other.total", tuple(f"applications.other.{c}" for c in _APPLICANTS)))
    return out
