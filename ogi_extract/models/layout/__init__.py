"""Table layout: ruling-line lattices (OpenCV) and the word-geometry fallback."""

from ogi_extract.models.layout.grid import (
    GridCell,
    Lattice,
    find_lattices,
    lattices_from_words,
    split_unruled,
    text_lines,
    with_word_columns,
)

__all__ = [
    "GridCell", "Lattice", "find_lattices", "lattices_from_words", "split_unruled", "text_lines", "with_word_columns",
]
