"""Long images (长图) and strips: cut into page-sized tiles on rules or blank bands, any aspect ratio read."""

import itertools
import json

import numpy as np
import pytest
from conftest import DATA
from PIL import Image

from ogi_extract import predict
from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.inference.readers.longimage import tile_image
from ogi_extract.training.synth.render import rasterize

ZHENHAI = "001_c76baea7d958f164"


def _ruled(height: int, width: int, rules: list[int]) -> np.ndarray:
    image = np.full((height, width, 3), 255, np.uint8)
    for y in rules:
        image[y:y + 3, 100:width - 100] = 0
    for x in (100, width // 2, width - 103):  # column rules between the row rules
        image[rules[0]:rules[-1] + 3, x:x + 3] = 0
    image[::97, 140:150] = 0  # text-like ink in every band, so only the rules are clean cuts
    return image


def test_a_long_ruled_image_is_cut_on_table_rules_which_both_tiles_keep():
    rules = list(range(200, 5800, 130))
    image = _ruled(6000, 1000, rules)
    tiles = tile_image(image, 200)
    assert len(tiles) >= 4 and all(t.shape[1] == 1000 for t in tiles)
    assert all(t.shape[0] <= 1500 + 2 * 30 for t in tiles)  # about a page each (1.5 x the width, + margins)
    for a, b in itertools.pairwise(tiles):
        assert (a[:, 200:800] == 0).all(axis=1)[-40:].any() and (b[:, 200:800] == 0).all(axis=1)[:40].any()  # the shared rule closes both
    rows = sum(t.shape[0] for t in tiles)
    assert 6000 <= rows - 2 * 30 * len(tiles) <= 6000 + 3 * len(tiles)  # nothing lost, only the rules repeated (+ margins)


def test_a_page_shaped_image_or_a_short_table_crop_is_not_cut():
    page = np.full((2339, 1654, 3), 255, np.uint8)
    assert tile_image(page, 200)[0] is page
    crop = np.full((209, 1290, 3), 255, np.uint8)  # 6:1 but shorter than a page
    assert len(tile_image(crop, 200)) == 1 and tile_image(crop, 200)[0].shape == crop.shape


@pytest.mark.parametrize("size", [(6000, 20), (20, 6000), (1, 6000), (6000, 1)])
def test_blank_strips_of_any_aspect_ratio_give_a_result(tmp_path, size):
    path = tmp_path / "strip.png"
    Image.fromarray(np.full((size[1], size[0], 3), 255, np.uint8)).save(path)
    result = predict(path)  # was ResizeImgError / internal error for 6000x20 and 20x6000
    assert result.error is None and result.metrics == {}
    assert any("long image" in w for w in result.warnings)


def test_a_table_cut_between_tiles_is_joined_like_across_pdf_pages(tmp_path):
    """Pages 2-3 of a scanned report as one long image, placed so a tile boundary falls inside table 三."""
    pdf = DATA / "scanned" / f"{ZHENHAI}.pdf"
    pages = rasterize(pdf, 200)
    path = tmp_path / "long.png"
    Image.fromarray(np.vstack([np.full((1300, pages[1].shape[1]), 255, np.uint8), pages[1], pages[2]])).save(
        path, dpi=(200, 200))
    pipeline = Pipeline()
    doc = pipeline.read(path)
    assert len(doc.pages) >= 2
    split = [t for p in doc.pages for t in p.tables if t.section.startswith("三、")]
    assert len(split) == 2 and not split[0].continued and split[1].continued
    result = pipeline.interpret(doc, 0.0)
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["metrics"]
    expected = {k: v for k, v in truth.items() if not k.startswith("art20.")}  # table 二 is on page 1
    assert {k: v for k, v in result.values.items() if not k.startswith("art20.")} == expected
