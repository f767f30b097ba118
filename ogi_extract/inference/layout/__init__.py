"""Rule-based table geometry used by the tables stage: ruling-line lattices (OpenCV) and the
word-geometry fallback. (Trained layout models live in `ogi_extract/models/layout/`.)

- `lattice`: the Lattice (boundaries, spanning cells, its upright frame), words placed in it (`place`), and `split_unruled`
- `rules`: ink masks of ruling lines (also the edges of shaded bands), page skew, rule pieces
- `ruled`: `find_lattices` (in a page image), `lattices_from_rules` (from a PDF's vector rules)
- `unruled`: `lattices_from_words`, `with_word_columns`, tables without (column) rules
- `textrules`: `with_text_rules`, row and column rules a scan lost put back where the text shows them
- `text`: value / unit / placeholder / numbering classes of cell text, `text_lines`
"""

from ogi_extract.inference.layout.lattice import GridCell, Lattice, split_unruled
from ogi_extract.inference.layout.ruled import find_lattices, lattices_from_rules
from ogi_extract.inference.layout.text import (
    UNITS,
    as_digits,
    is_number,
    is_placeholder,
    is_unit,
    is_value,
    level,
    text_lines,
)
from ogi_extract.inference.layout.unruled import lattices_from_words, with_word_columns

__all__ = [
    "UNITS",
    "as_digits",
    "GridCell",
    "Lattice",
    "find_lattices",
    "lattices_from_rules",
    "is_number",
    "is_placeholder",
    "is_unit",
    "is_value",
    "lattices_from_words",
    "level",
    "split_unruled",
    "text_lines",
    "with_word_columns",
]
