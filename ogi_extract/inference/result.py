"""The result of one file: report fields, metrics with provenance, checks, warnings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Number = int | float


class MetricValue(BaseModel):
    value: Number | None  # as printed, converted to the metric's unit; None for an empty cell
    raw: str  # the cell text as read
    label: str  # the row label as read
    page: int  # 1-based
    box: tuple[float, float, float, float] | None = None  # cell box in page pixels at `dpi`
    dpi: int | None = None
    confidence: float = Field(ge=0, le=1)  # label probability x reading confidence
    source: Literal["text_layer", "ocr", "markup", "cell-recognizer", "relation-corrected"]
    table: int | None = None  # HTML/Word: 1-based table number in the document (box is None then)
    cell: tuple[int, int] | None = None  # HTML/Word: (row, col), 0-based in that table's resolved grid
    original: str | None = None  # cell-recognizer, relation-corrected: the reading it replaced, and that reading's probability
    original_probability: float | None = None
    alternatives: list[tuple[Number | None, float]] = Field(default=[], exclude=True)  # readings with probabilities


class UnmappedRow(BaseModel):
    label: str
    parents: list[str] = []
    values: list[str]
    page: int
    probability: float  # how sure the classifier is that the row means no canonical metric


class RelationCheck(BaseModel):
    relation: str
    holds: bool | None  # None when a term is missing or empty
    lhs: Number | None = None
    rhs: Number | None = None
    missing: list[str] = []


class TableCell(BaseModel):
    """A detected table cell, for scoring layout and for drawing what was read."""

    page: int  # 1-based
    box: tuple[float, float, float, float]
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""


class ErrorInfo(BaseModel):
    type: str
    reason: str
    detail: str = ""


class Result(BaseModel):
    file: str
    agency: str | None = None
    year: int | None = None
    format: Literal["ogi2008", "ogi2019", "ogi2021", "other"] = "other"
    metrics: dict[str, MetricValue] = {}
    unmapped: list[UnmappedRow] = []
    relations: list[RelationCheck] = []
    warnings: list[str] = []
    timings: dict[str, float] = {}
    pages: int = 0
    dpi: int | None = None  # resolution of every box
    cells: list[TableCell] = []
    error: ErrorInfo | None = None

    @property
    def values(self) -> dict[str, Number | None]:
        return {k: m.value for k, m in self.metrics.items()}

    @property
    def breaks(self) -> list[RelationCheck]:
        return [r for r in self.relations if r.holds is False]

    def to_record(self) -> dict:
        """The JSONL line: flat values up front, everything else under `details`."""
        details = self.model_dump(include={"unmapped", "relations", "warnings", "timings", "pages", "dpi", "cells", "error"})
        details["metrics"] = {
            k: m.model_dump(exclude={"value"}) for k, m in self.metrics.items()
        }
        return {
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "metrics": self.values,
            "details": details,
        }
