"""PaddleOCR 3.x pipeline on onnxruntime (no paddlepaddle), from local model folders.

PaddleOCR would download its models; here it is given folders it can load offline, each an
`inference.onnx` with the `inference.yml` naming the model, its pre/post-processing and (for
recognition) its character list. `settings.paddle_models` may point at such a pair
(`<dir>/det`, `<dir>/rec`); by default they are built once from the PP-OCR ONNX models shipped
inside the rapidocr wheel, so this backend needs nothing from the network.

Install with the `paddle` extra (`paddleocr==3.7.0`). It pins numpy<2.4 and brings
opencv-contrib-python, which shares the `cv2` module with opencv-python-headless: install it
in its own environment.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ogi_extract.errors import ModelNotFoundError
from ogi_extract.models.ocr.base import cpu_threads
from ogi_extract.settings import Settings
from ogi_extract.types import BBox, Word
from ogi_extract.wordsplit import split_words

DET_NAME, REC_NAME = "PP-OCRv6_small_det", "PP-OCRv6_small_rec"
WHEEL_FILES = {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"}
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ogi-extract" / "paddle-models"


def _det_config() -> dict[str, Any]:
    return {
        "Global": {"model_name": DET_NAME},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"DetResizeForTest": {"limit_side_len": 1280, "limit_type": "max"}},
            # the normalisation rapidocr's config.yaml uses for these det models
            {"NormalizeImage": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "scale": 1 / 255, "order": "hwc"}},
            {"ToCHWImage": None},
            {"KeepKeys": {"keep_keys": ["image", "shape"]}},
        ]},
        "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.3, "max_candidates": 1000,
                        "unclip_ratio": 1.6, "use_dilation": True, "score_mode": "fast"},
    }


def _rec_config(characters: list[str]) -> dict[str, Any]:
    return {
        "Global": {"model_name": REC_NAME},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"RecResizeImg": {"image_shape": [3, 48, 64]}},  # pad crops to their batch, not 320 px
            {"KeepKeys": {"keep_keys": ["image", "length"]}},
        ]},
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def model_folders(settings: Settings) -> tuple[Path, Path]:
    """(det, rec) folders: from `settings.paddle_models`, else built from the rapidocr wheel's ONNX files."""
    if settings.paddle_models is not None:
        folders = settings.paddle_models / "det", settings.paddle_models / "rec"
    else:
        folders = _build_from_rapidocr(CACHE / "PP-OCRv6_small")
    for folder in folders:
        if not all((folder / f).is_file() for f in ("inference.onnx", "inference.yml")):
            raise ModelNotFoundError(str(folder), "needs inference.onnx and inference.yml")
    return folders


def _build_from_rapidocr(root: Path) -> tuple[Path, Path]:
    """Write the folders (atomically, as worker processes may race); the yml is rewritten each
    time so a changed config here never meets a stale cache."""
    import onnxruntime as ort
    import rapidocr

    shipped = Path(rapidocr.__file__).parent / "models"
    for kind, filename in WHEEL_FILES.items():
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "inference.onnx").is_file():
            _atomic_write(folder / "inference.onnx", (shipped / filename).read_bytes())
        if kind == "det":
            config = _det_config()
        else:  # the recogniser carries its character list in the ONNX metadata
            meta = ort.InferenceSession(shipped / filename).get_modelmeta().custom_metadata_map
            config = _rec_config(meta["character"].split("\n"))
        _atomic_write(folder / "inference.yml", yaml.safe_dump(config, allow_unicode=True).encode("utf-8"))
    return root / "det", root / "rec"


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


class PaddleEngine:
    name = "paddleocr"

    def __init__(self, settings: Settings):
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")  # no network probe
        import paddlex  # noqa: F401  (sets its log level on import: import it before quieting it)
        from paddleocr import PaddleOCR

        for name in ("paddlex", "paddleocr"):
            logging.getLogger(name).setLevel(logging.ERROR)
        det, rec = model_folders(settings)
        self._ocr = PaddleOCR(
            text_detection_model_name=DET_NAME, text_detection_model_dir=str(det),
            text_recognition_model_name=REC_NAME, text_recognition_model_dir=str(rec),
            use_doc_orientation_classify=False, use_doc_unwarping=False, use_textline_orientation=False,
            text_det_limit_side_len=1280, text_det_limit_type="max", text_det_box_thresh=0.3, return_word_box=True,
            engine="onnxruntime", engine_config={"intra_op_num_threads": cpu_threads(settings)},
        )

    def read(self, image: np.ndarray) -> list[Word]:
        res = self._ocr.predict(np.ascontiguousarray(image[:, :, ::-1]))[0]  # the pipeline reads BGR
        words: list[Word] = []
        for score, pieces, boxes in zip(res["rec_scores"], res["text_word"], res["text_word_boxes"]):
            chars = [c for piece, box in zip(pieces, boxes) for c in _spread(piece, box)]
            words += split_words(chars, "ocr", [float(score)] * len(chars))
        return words


def _spread(piece: str, box: Any) -> list[tuple[str, BBox]]:
    """Per-char boxes for a piece (a CJK char or a run of digits/latin): its box cut evenly."""
    x0, y0, x1, y1 = (float(v) for v in box)
    step = (x1 - x0) / max(len(piece), 1)
    return [(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1)) for i, ch in enumerate(piece)]
