"""`predict --review DIR`: one static page per report (images beside it) and an index.

No network and no server: open DIR/index.html in any browser. Page images are downscaled JPEGs
in a folder beside each report page, loaded lazily, so a 40-page report opens at once; outlines
are an SVG over each image in the pixel frame of the result's boxes (`Result.dpi`).
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from PIL import Image

from ..errors import OgiError
from ..inference.load import load_document
from ..inference.result import Result
from ..settings import Settings
from .marks import page_marks

MAX_WIDTH = 1100  # px of the stored page image; boxes stay in the result's frame (the SVG viewBox)


def safe_stem(file: str) -> str:
    """A file's stem fit for a file name or an id: word characters, CJK and '-' only."""
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "_", Path(file).stem)[:60] or "report"


class ReviewWriter:
    """Write a report's page as each result arrives; `close()` writes the index."""

    def __init__(self, out_dir: Path, settings: Settings | None = None, low_confidence: float = 0.8):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.settings = settings or Settings()
        self.low = low_confidence
        self.env = Environment(loader=PackageLoader("ogi_extract.review", "templates"),
                               autoescape=select_autoescape(["html"]))
        self.rows: list[dict] = []

    def _images(self, result: Result, folder: Path) -> list[dict]:
        """Page images (JPEG files beside the page) with the size of the frame their boxes use."""
        if result.error or not Path(result.file).is_file():
            return []
        try:
            doc = load_document(result.file, self.settings)
        except OgiError:
            return []
        folder.mkdir(exist_ok=True)
        pages = []
        for page in doc.pages:
            scale = (result.dpi or page.dpi) / page.dpi  # result boxes may come from another dpi
            img = Image.fromarray(page.image)
            width, height = img.size
            img.thumbnail((MAX_WIDTH, MAX_WIDTH * 4))
            name = f"page-{page.index + 1:03d}.jpg"
            img.save(folder / name, "JPEG", quality=70, optimize=True)
            pages.append({"number": page.index + 1, "src": f"{folder.name}/{name}",
                          "width": width * scale, "height": height * scale})
        return pages

    def add(self, result: Result) -> Path:
        slug = f"{len(self.rows):03d}_{safe_stem(result.file)}"
        marks, entries = page_marks(result, self.low)
        images = self._images(result, self.out / slug)
        looks = sum(bool(e.flags) for e in entries)
        html = self.env.get_template("report.html").render(
            result=result, images=images, marks=marks, entries=entries, looks=looks, low=self.low)
        path = self.out / f"{slug}.html"
        path.write_text(html, encoding="utf-8")
        self.rows.append({"href": path.name, "file": result.file, "agency": result.agency, "year": result.year,
                          "format": result.format, "values": len(result.metrics), "looks": looks,
                          "breaks": len(result.breaks), "error": result.error.reason if result.error else ""})
        return path

    def close(self) -> Path:
        path = self.out / "index.html"
        path.write_text(self.env.get_template("index.html").render(rows=self.rows), encoding="utf-8")
        return path
