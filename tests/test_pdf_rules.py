"""A digital PDF's table rules read from its vector graphics give the lattices that the image path
finds in its rendering, on the real published reports and a generated one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ogi_extract.inference.layout import find_lattices, lattices_from_rules
from ogi_extract.inference.load import load_document
from ogi_extract.settings import Settings

DATA = Path(__file__).parent / "data"
SETTINGS = Settings(dpi=120)


@pytest.mark.parametrize("pdf", [
    DATA / "real" / "hongze_qzf_2023.pdf",
    DATA / "real" / "huaian_szf_2024.pdf",
    DATA / "digital" / "000_9883ccc3c4a509fd.pdf",
])
def test_vector_rules_give_the_rendered_lattices(pdf: Path) -> None:
    doc = load_document(pdf, SETTINGS)
    compared = 0
    for page in doc.pages:
        assert page.rules is not None  # digital pages without pictures
        # A one-row "lattice" in pixels is a boxed line of text, not a table (the vector path need not see it).
        from_image = [lat for lat in find_lattices(page.image, page.dpi) if lat.n_rows > 1]
        from_rules = [lat for lat in lattices_from_rules(page.rules, page.size, page.dpi) if lat.n_rows > 1]
        assert len(from_rules) == len(from_image), f"page {page.index + 1}"
        tol = 2 * page.dpi / 72  # two points
        for a, b in zip(from_rules, from_image):
            assert (a.n_rows, a.n_cols) == (b.n_rows, b.n_cols), f"page {page.index + 1}"
            assert np.abs(np.subtract(a.rows, b.rows)).max() <= tol
            assert np.abs(np.subtract(a.cols, b.cols)).max() <= tol
            assert [(c.row, c.col, c.row_span, c.col_span) for c in a.cells] == \
                [(c.row, c.col, c.row_span, c.col_span) for c in b.cells]
            compared += 1
    assert compared >= 2


def test_a_scanned_page_has_no_vector_rules() -> None:
    doc = load_document(DATA / "scanned" / "000_9883ccc3c4a509fd.pdf", SETTINGS)
    assert all(page.rules is None for page in doc.pages)


def test_a_giant_page_box_gets_a_coarser_rule_raster_not_gigabytes() -> None:
    """A 14400 pt page renders at ~17 dpi; its rule masks once took 3 GB at 1.5 px/pt."""
    import tracemalloc

    size, dpi = (3464, 3464), 17.3  # page pixels of a 14400 pt square page under the 12 MP cap
    xs, ys = [400, 1400, 2400], [400, 900, 1400, 1900]
    rules = [(x, ys[0], x + 1, ys[-1]) for x in xs] + [(xs[0], y, xs[-1], y + 1) for y in ys]
    tracemalloc.start()
    [lattice] = lattices_from_rules(rules, size, dpi)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 200e6
    assert np.allclose(lattice.cols, xs, atol=3) and np.allclose(lattice.rows, ys, atol=3)
