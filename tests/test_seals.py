"""Seals printed over a real report's application matrix (huaian 2024, page 4 at 200 dpi)."""

import json
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from ogi_extract import predict
from ogi_extract.inference.seals import seal_rings, without_seals
from ogi_extract.training.score import same_value

DATA = Path(__file__).parent / "data"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # the generator's (Debian fonts-wqy-zenhei)
SEAL = (900, 1500, 111)  # over the value cells of rows (二)部分公开 to 1.属于国家秘密; 28 mm across


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    pdf = pdfium.PdfDocument(str(DATA / "real" / "huaian_szf_2024.pdf"))
    try:
        return cv2.cvtColor(pdf[3].render(scale=200 / 72, grayscale=True).to_numpy(), cv2.COLOR_GRAY2RGB)
    finally:
        pdf.close()


def _sealed(page: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """A round seal as the generator prints one: a ring, a star and its text (red, or red scanned grey: 112)."""
    out = page.copy()
    x, y, r = SEAL
    cv2.circle(out, (x, y), r, colour, 6, lineType=cv2.LINE_AA)
    star = [(x + 33 * np.cos(np.pi / 2 + k * 4 * np.pi / 5), y - 22 - 33 * np.sin(np.pi / 2 + k * 4 * np.pi / 5))
            for k in range(5)]
    cv2.fillPoly(out, [np.array(star, np.int32)], colour)
    image = Image.fromarray(out)
    font = ImageFont.truetype(FONT, 21)  # 7.5 pt at 200 dpi
    ImageDraw.Draw(image).text((x, y + 55), "政府信息公开专用章", fill=colour, font=font, anchor="mm")
    return np.array(image)


def test_a_grey_seal_ring_is_found_and_nothing_else_is(page):
    grey = cv2.cvtColor(_sealed(page, (112, 112, 112)), cv2.COLOR_RGB2GRAY)
    rings = seal_rings(grey, 200)
    assert len(rings) == 1
    assert np.allclose(rings[0], SEAL, atol=6)
    assert seal_rings(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), 200) == []  # rules, text and 〇 are no seal


def test_a_red_seal_is_wiped_whole_from_a_colour_scan_and_other_red_stays(page):
    sealed = _sealed(page, (230, 64, 64))
    cv2.rectangle(sealed, (100, 100), (500, 140), (230, 64, 64), -1)  # a red masthead (红头) is no seal
    wiped, rings = without_seals(sealed, 200)
    assert rings == []  # its text went with its red ink
    red = wiped[..., 0].astype(int) - np.maximum(wiped[..., 1], wiped[..., 2]) > 60
    assert red.sum() == 400 * 40 + 400 + 40 + 1 and red[100:141, 100:501].all()
    x, y, r = SEAL
    outside = np.hypot(*np.meshgrid(np.arange(page.shape[1]) - x, np.arange(page.shape[0]) - y)) > r + 10
    assert np.array_equal(wiped[outside], sealed[outside])  # the rest of the page as it was


def test_values_under_a_grey_seal_are_read_as_printed(page, tmp_path):
    """Without the ring wiped its arcs read as rules, and the seal's text went into the value cells under
    it: values came out wrong. (The page
    alone, without the report's title, may be read as another form: only the matrix is compared.)"""
    path = tmp_path / "sealed.png"
    Image.fromarray(_sealed(page, (112, 112, 112))).save(path, dpi=(200, 200))
    truth = json.loads((DATA / "real" / "truth" / "huaian_szf_2024.json").read_text(encoding="utf-8"))["metrics"]
    read = {k: v.value for k, v in predict(path).metrics.items() if k.startswith("applications.")}
    assert len(read) >= 80
    assert [k for k, v in read.items() if not same_value(truth.get(k), v)] == []
