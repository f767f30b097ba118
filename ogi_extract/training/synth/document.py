"""A report as structured content (title, headings, paragraphs, ruled tables), before layout.

The same model serves the five seed reports (`annotations/seeds/*.json`) and the random
generator: tables carry, per value cell, the canonical metric id and value it prints, so
rendering a report yields its labels for free. Serialised with pydantic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field

Number = int | float
Align = Literal["left", "center", "right"]


class Cell(BaseModel):
    row: int
    col: int
    text: str = ""  # as printed; "\n" forces a line break
    row_span: int = 1
    col_span: int = 1
    metric_id: str | None = None  # a value cell that prints a canonical metric
    value: Number | None = None  # its value (None: printed empty)
    header: bool = False  # header cells may be shaded
    align: Align = "center"


class Table(BaseModel):
    kind: Literal["table"] = "table"
    n_rows: int
    n_cols: int
    widths: list[float]  # relative column widths
    cells: list[Cell]
    landscape: bool = False  # printed on its own landscape page(s)
    header_rows: int = 0  # rows a continuation page may repeat (Style.repeat_header)

    def metrics(self) -> dict[str, Number | None]:
        return {c.metric_id: c.value for c in self.cells if c.metric_id}


class Heading(BaseModel):
    kind: Literal["heading"] = "heading"
    text: str
    level: int = 1  # 1: 一、…  2: （一）…


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    align: Align = "left"
    indent: bool = True  # first-line indent of two characters
    bold: bool = False


Block = Annotated[Heading | Paragraph | Table, Field(discriminator="kind")]


class Style(BaseModel):
    """Visual choices of one report; the generator draws them at random."""

    font: str = "wqy-zenhei"  # a key of render.FONTS
    heading_font: str | None = None  # titles and headings (None: the body font, faux bold)
    size: float = 11.0  # body text, points
    title_size: float = 18.0
    heading_size: float = 13.0
    table_size: float = 9.5
    leading: float = 1.6  # line height / font size
    margin: float = 64.0  # points
    line_width: float = 0.7  # table rules
    outer_width: float = 0.7  # table frame
    shade: float | None = None  # grey level of header cells (None: no shading)
    cell_pad: float = 3.0
    page_numbers: bool = True
    repeat_header: bool = False  # a table broken across pages repeats its header rows
    orphan_header: bool = False  # every table breaks right after its header rows: the header alone at a page's foot
    # Layout variety (drawn only for layout-model training data; defaults print as before):
    rules: Literal["grid", "dashed", "open"] = "grid"  # inner rules: all, broken (dashed), none (header rule only)
    inner_gray: float = 0.0  # grey level of the inner rules (faint grey under a black frame)
    band_shade: float | None = None  # grey of full-width section rows inside tables
    seal: tuple[float, float] | None = None  # a red seal over each table, at this (x, y) share of its box


class Report(BaseModel):
    doc_id: str
    agency: str
    year: int
    format: Literal["ogi2008", "ogi2019", "ogi2021", "other"]
    source: Literal["synth", "seed"] = "synth"
    title: list[str]  # title lines, centred
    blocks: list[Block]
    style: Style = Style()

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def metrics(self) -> dict[str, Number | None]:
        """The labels: every metric the report prints, in reading order."""
        out: dict[str, Number | None] = {}
        for t in self.tables:
            out.update(t.metrics())
        return out

    def truth(self) -> dict:
        return {"doc_id": self.doc_id, "agency": self.agency, "year": self.year, "format": self.format,
                "metrics": self.metrics()}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=1, exclude_defaults=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Report:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))


def number_text(value: Number | None) -> str:
    """How a value prints: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
