"""Ruling lines of a digital PDF page read from its vector graphics, not from pixels.

A digital report draws its table rules as stroked lines, stroked cell rectangles or thin filled
rectangles; reading them from the page's path objects is exact and costs a few milliseconds,
where finding them in a 200 dpi rendering costs a quarter of a second a page. A page that also
holds a picture (a table pasted in as an image, a scan with a text layer) gives `None`: its rules
may be in the pixels, so the image path must look.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ogi_extract.types import BBox

PdfBox = tuple[float, float, float, float]  # (left, bottom, right, top) in PDF user space
MAX_RULE_PT = 3.0  # a filled rectangle thinner than this is a rule, not shading
MIN_IMAGE_SHARE = 0.02  # a picture covering more of the page than this may hold a table
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def vector_rules(page: pdfium.PdfPage, to_px: Callable[[PdfBox], BBox]) -> list[BBox] | None:
    """Horizontal and vertical rule pieces as thin pixel boxes, or None when the page holds a picture."""
    width, height = page.get_size()
    out: list[BBox] = []
    for obj, matrix in _objects(page.raw, _IDENTITY):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = _bounds(obj)
            if (right - left) * (top - bottom) > MIN_IMAGE_SHARE * width * height:
                return None
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out += [to_px(box) for box in _path_rules(obj, matrix)]
    return out


def _objects(parent: ctypes.c_void_p, matrix: Matrix, form: bool = False) -> Iterator[tuple[object, Matrix]]:
    """Every object of a page (or form XObject) with the matrix that maps its form's space to the page."""
    count = pdfium_c.FPDFFormObj_CountObjects(parent) if form else pdfium_c.FPDFPage_CountObjects(parent)
    for i in range(max(count, 0)):
        obj = pdfium_c.FPDFFormObj_GetObject(parent, i) if form else pdfium_c.FPDFPage_GetObject(parent, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _objects(obj, _compose(_matrix(obj), matrix), form=True)
        else:
            yield obj, matrix


def _path_rules(obj: object, outer: Matrix) -> list[PdfBox]:
    """Axis-parallel straight pieces of a visible path, as boxes in page space."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
    m = _compose(_matrix(obj), outer)
    points = _points(obj, m)
    if not points:
        return []
    if fill.value and not stroke.value:  # a filled shape is a rule only when it is thin and dark
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        thin = min(box[2] - box[0], box[3] - box[1]) <= MAX_RULE_PT
        return [box] if thin and not _white(obj, fill=True) else []
    if not stroke.value or _white(obj, fill=False):
        return []
    out = []
    for (x0, y0, _), (x1, y1, moved) in zip(points, points[1:]):
        if moved or (x0, y0) == (x1, y1):
            continue  # a move (or nothing), not a drawn piece
        if abs(y1 - y0) < 0.5 or abs(x1 - x0) < 0.5:  # axis-parallel: a rule piece
            out.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return out


def _points(obj: object, m: Matrix) -> list[tuple[float, float, bool]]:
    """The path's points in page space, each flagged when it starts a subpath; closes drawn back."""
    out: list[tuple[float, float, bool]] = []
    first: tuple[float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(max(pdfium_c.FPDFPath_CountSegments(obj), 0)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px, py = m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5]
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            out.append((px, py, True))  # curves are no rules: restart the run after one
        else:
            out.append((px, py, kind == pdfium_c.FPDF_SEGMENT_MOVETO))
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            first = (px, py)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and first is not None:
            out.append((first[0], first[1], False))
    return out


def _white(obj: object, fill: bool) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    get = pdfium_c.FPDFPageObj_GetFillColor if fill else pdfium_c.FPDFPageObj_GetStrokeColor
    if not get(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 230


def _matrix(obj: object) -> Matrix:
    fm = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
        return _IDENTITY
    return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _bounds(obj: object) -> PdfBox:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    return (left.value, bottom.value, right.value, top.value)
