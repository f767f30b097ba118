"""RapidOCR (onnxruntime, PP-OCR det/rec models shipped inside the wheel; no network)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import rapidocr
from rapidocr import RapidOCR
from rapidocr.cal_rec_boxes import CalRecBoxes
from rapidocr.ch_ppocr_det.utils import DetPreProcess

from ogi_extract.models.ctc import beam, merged
from ogi_extract.models.ocr.base import cpu_threads
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Word
from ogi_extract.wordsplit import split_words

# Tuned for upright report pages on few CPU cores (measured on the real PDFs rasterized at
# 200 dpi: 3.1 instead of 5.9 CPU-seconds a page, and fewer misread characters): no angle
# classifier (it flipped some lines), detection on the page scaled to at most 1280 px on its
# long side (960 dropped digits), and recognition crops padded only to their batch's widest,
# not to 320 px (a table page is mostly short cells: this alone nearly halved its work).
DEFAULT_PARAMS: dict[str, Any] = {
    "Global.log_level": "critical",
    "Det.model_path": str(Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_det_small.onnx"),  # in the wheel
    "Cls.model_path": str(Path(rapidocr.__file__).parent / "models" / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),  # turn()
    "Global.use_cls": False,
    "Global.return_word_box": True,
    "Global.return_single_char_box": True,
    "Global.max_side_len": 4000,
    "Det.limit_type": "max",
    "Det.limit_side_len": 1280,
    "Det.box_thresh": 0.3,  # 0.5 lost a lone "1" in a table cell
    "Rec.rec_batch_num": 6,
    "Rec.rec_img_shape": [3, 48, 64],
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}
# A page's wide body lines are recognized squeezed to 0.6 of their width (never below 4 line heights):
# a square CJK glyph still spans about three of the recognizer's output steps, and recognition
# costs in proportion to width. Lines taller than body text (titles, whose bold strokes merge when
# squeezed: 公开 read 公斤 on a fax) and short ones (numbers) keep every pixel.
SQUEEZE, SQUEEZE_ABOVE, BODY_HEIGHT = 0.6, 4.0, 1.25


def squeezed(crops: list[np.ndarray]) -> list[np.ndarray]:
    """The crops of one page's lines, wide body-size lines narrowed for recognition. A crop read alone (a
    table cell re-read from its ink) is its own body height, so it too is narrowed when wide: reading
    such cells whole was tried and read one more seed-4242 fax value wrong."""
    if not crops:
        return crops
    body = BODY_HEIGHT * float(np.median([c.shape[0] for c in crops]))
    out = []
    for crop in crops:
        height, width = crop.shape[:2]
        target = max(round(SQUEEZE * width), round(SQUEEZE_ABOVE * height))
        out.append(crop if target >= width or height > body else
                   cv2.resize(crop, (target, height), interpolation=cv2.INTER_AREA))
    return out


class _SqueezingRapidOCR(RapidOCR):
    """RapidOCR recognizing a page's wide body lines squeezed; detection boxes and character boxes are
    the unsqueezed ones (rapidocr places characters in proportion to the crop's width)."""

    def recognize_txt(self, img: list[np.ndarray]) -> Any:
        return super().recognize_txt(squeezed(img))


class RapidEngine:
    name = "rapidocr"

    def __init__(self, settings: Settings | None = None, params: dict[str, Any] | None = None):
        settings = settings or Settings()
        threads = cpu_threads(settings)
        self._ocr = _SqueezingRapidOCR(params={**DEFAULT_PARAMS, "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                     **(params or {})})
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self._ocr.cal_rec_boxes = CharBoxes()
        det = self._ocr._load_det_model()
        det.get_preprocess = lambda: TabledDetPreProcess(det.limit_side_len, det.limit_type, det.mean, det.std)
        if settings.detector_runtime == "openvino":  # rapidocr builds its own session; the same model then runs here
            det.session = OpenVinoSession(str(self._ocr.cfg.Det.model_path), threads)

    def read(self, image: np.ndarray) -> list[Word]:
        out = self._ocr(cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if not out.txts:
            return []
        words: list[Word] = []
        for text, score, quad, chars in zip(out.txts, out.scores, out.boxes, out.word_results):
            if chars and all(len(c) == 3 and c[2] is not None for c in chars):
                words += split_words([(t, quad_box(q)) for t, _, q in chars], "ocr", [float(s) for _, s, _ in chars])
            else:  # no per-char boxes for this line: keep it whole
                words.append(Word(text, quad_box(quad), float(score), "ocr"))
        return words

    def recognize(self, image: np.ndarray) -> tuple[str, float]:
        """Recognition alone: for a cell whose digit the detector missed."""
        out = self._ocr.recognize_txt([cv2.cvtColor(image, cv2.COLOR_RGB2BGR)])
        return (str(out.txts[0]), float(out.scores[0])) if out.txts else ("", 0.0)

    def readings(self, image: np.ndarray, k: int = 5) -> list[tuple[str, float]]:
        """The recognizer's k likeliest readings of one line (CTC prefix beam over its per-step probabilities)."""
        rec = self._ocr._load_rec_model()
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        _, height, width = rec.rec_image_shape
        x = rec.resize_norm_img(bgr, max(width / height, bgr.shape[1] / max(1, bgr.shape[0])))[None]
        probs = rec.session(x.astype(np.float32))[0]
        return merged(beam(probs, ["", *rec.postprocess_op.character[1:]], 2 * k))[:k]

    def turn(self, image: np.ndarray) -> int:
        """Quarter turns counterclockwise that bring a page upright. The axis is the one along which the
        detector finds more text lines (boxes three times as wide as tall); up or down, what PP-OCR's line
        classifier says of most of the widest lines. About half a page's OCR (0.5 s on 2 cores), where
        reading every turn cost three pages' (and a noisy fax page that reads poorly looks turned)."""
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        det = self._ocr._load_det_model()  # scales the page to Det.limit_side_len itself, as when reading it
        turns = [np.ascontiguousarray(np.rot90(bgr, k)) for k in (0, 1)]
        lines = [_text_lines(det(img).boxes) for img in turns]
        axis = int(_lines_area(lines[1]) > _lines_area(lines[0]))
        widest = sorted(lines[axis], key=lambda b: -float(np.ptp(b[:, 0])))[:TURN_LINES]
        if not widest:
            return 0
        crops = self._ocr.crop_text_regions(turns[axis], widest)
        labels = self._ocr._load_cls_model()(crops).cls_res
        upside_down = sum(score if "180" in label else -score for label, score in labels) > 0
        return axis + 2 * upside_down


TURN_LINES = 24  # the widest lines the classifier is asked about


def _text_lines(boxes: np.ndarray | None) -> list[np.ndarray]:
    return [b for b in boxes if np.ptp(b[:, 0]) >= 3 * np.ptp(b[:, 1])] if boxes is not None else []


def _lines_area(lines: list[np.ndarray]) -> float:
    return sum(float(np.ptp(b[:, 0]) * np.ptp(b[:, 1])) for b in lines)


class TabledDetPreProcess(DetPreProcess):
    """The detector's input normalized through a table of the 256 values a uint8 pixel can take, each
    computed as rapidocr computes it: the same float32 input in a sixth of the time (rapidocr's float64
    arithmetic over every pixel had been 4% of a scanned page's time)."""

    def __call__(self, img: np.ndarray) -> np.ndarray | None:
        resized = self.resize(img)
        if resized is None:
            return None
        levels = np.arange(256, dtype=np.uint8).reshape(1, 256, 1).repeat(resized.shape[2], axis=2)
        table = self.normalize(levels)[0].astype(np.float32)  # (256, channels)
        return np.stack([np.take(table[:, c], resized[..., c]) for c in range(resized.shape[2])])[None]


class CharBoxes(CalRecBoxes):
    """rapidocr's character boxes with its corner ordering done on four integer points in plain Python:
    the same corners, where two dozen numpy calls a character had been 2.5% of a scanned page's time."""

    @staticmethod
    def order_points(ori_box: list[list[int]]) -> list[list[int]]:
        points = [(int(x), int(y)) for x, y in ori_box]
        if len(points) != 4:
            return CalRecBoxes.order_points(ori_box)
        xs, ys = [x for x, _ in points], [y for _, y in points]
        cx, cy = sum(xs) / 4, sum(ys) / 4

        def first(among: list[tuple[int, int]], axis: int, pick: Any) -> list[int]:  # rapidocr keeps the first tie
            best = pick(p[axis] for p in among)
            return list(next(p for p in among if p[axis] == best))

        if cx in xs and cy in ys:  # a diamond
            return [first(points, 0, min), first(points, 1, min), first(points, 0, max), first(points, 1, max)]
        if all(x == cx for x in xs):
            return [list(p) for p in sorted(points, key=lambda p: p[1])]
        if cx in xs:  # top pair, then bottom pair
            top, bottom = [p for p in points if p[1] < cy], [p for p in points if p[1] > cy]
            return [first(top, 0, min), first(top, 0, max), first(bottom, 0, max), first(bottom, 0, min)]
        left, right = [p for p in points if p[0] < cx], [p for p in points if p[0] > cx]
        return [first(left, 1, min), first(right, 1, min), first(right, 1, max), first(left, 1, max)]


class OpenVinoSession:
    """The text detector's ONNX model run by OpenVINO: 0.14 instead of 0.49 s a page on 2 cores
    (onnxruntime's kernels are slow on this model), in f32 so that every CPU reads alike (on a
    CPU with bf16 units OpenVINO would otherwise round the maps to bf16)."""

    def __init__(self, model_path: str, threads: int):
        import openvino

        config = {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": str(threads)}
        self._request = openvino.Core().compile_model(model_path, "CPU", config).create_infer_request()

    def __call__(self, image: np.ndarray) -> np.ndarray:
        self._request.infer([image])
        return self._request.get_output_tensor().data.copy()


def quad_box(quad: Any) -> BBox:
    """Axis-aligned box of a 4-point polygon."""
    pts = np.asarray(quad, dtype=float)
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
