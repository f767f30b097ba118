"""A Word report -> one page of text blocks and cell grids, read from the document, not rendered.

`.docx` through python-docx: paragraphs and tables in body order, merged cells (gridSpan,
vMerge) resolved to spans. `.doc`/`.wps` (OLE2) are converted to `.docx` by LibreOffice
headless when `soffice` is on PATH; otherwise a typed error says LibreOffice is needed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import lxml.etree
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl

from ogi_extract.errors import CorruptFileError, InputError, NeedsLibreOfficeError
from ogi_extract.inference.readers.markup import (
    Block,
    GridCell,
    MarkupTable,
    markup_page,
)
from ogi_extract.settings import Settings
from ogi_extract.types import Page

CONVERT_TIMEOUT_S = 120
_TEXT, _P, _TBL, _SDT, _SDT_CONTENT = (qn(t) for t in ("w:t", "w:p", "w:tbl", "w:sdt", "w:sdtContent"))


def read_docx(name: str, data: bytes) -> list[Page]:
    """The report in a .docx, as one markup page."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, PackageNotFoundError, lxml.etree.XMLSyntaxError) as e:
        raise CorruptFileError(name, f"Word: {type(e).__name__}: {e}") from None
    return [markup_page(0, _blocks(document.element.body))]


def _blocks(parent: lxml.etree._Element) -> list[Block]:
    """Paragraphs and tables in body order, also inside content controls (w:sdt)."""
    blocks: list[Block] = []
    for child in parent.iterchildren(_P, _TBL, _SDT):
        if child.tag == _P:
            blocks.append("".join(t.text or "" for t in child.iter(_TEXT)))
        elif child.tag == _TBL:
            blocks += _table_blocks(child)
        elif (content := child.find(_SDT_CONTENT)) is not None:
            blocks += _blocks(content)
    return blocks


def _table_blocks(tbl: CT_Tbl) -> list[Block]:
    """A table's grid; a one-column table (a text box drawn as a table) as its paragraphs.

    Columns come from w:gridBefore and each cell's w:gridSpan; a w:vMerge continuation cell
    lengthens the cell that starts at its column above it.
    """
    cells: list[GridCell] = []
    above: dict[int, GridCell] = {}  # grid column -> the last cell starting there
    for r, tr in enumerate(tbl.tr_lst):
        col = tr.grid_before
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue" and col in above:
                above[col].row_span = r - above[col].row + 1
            else:
                cell = GridCell(r, col, "".join(t.text or "" for t in tc.iter(_TEXT)), 1, span)
                cells.append(cell)
                above[col] = cell
            col += span
    grid = MarkupTable(cells)
    if grid.n_cols >= 2 and grid.n_rows >= 2:
        return [grid]
    return [c.text for c in cells]


def read_legacy_word(name: str, data: bytes, settings: Settings) -> list[Page]:
    """A .doc, .wps or RTF file, converted to .docx by LibreOffice headless, then read as one."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NeedsLibreOfficeError(name, "install LibreOffice (soffice on PATH) or save the file as .docx")
    # LibreOffice finds the format from the content; the name only has to have some extension
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "docx", "--outdir", tmp, str(src)],
                capture_output=True, timeout=min(CONVERT_TIMEOUT_S, settings.timeout_s), check=False,
            )
        except subprocess.TimeoutExpired:
            raise InputError(name, f"LibreOffice conversion over {CONVERT_TIMEOUT_S} s") from None
        out = Path(tmp) / "report.docx"
        if not out.is_file():
            raise CorruptFileError(name, "LibreOffice could not convert it to .docx")
        return read_docx(name, out.read_bytes())
