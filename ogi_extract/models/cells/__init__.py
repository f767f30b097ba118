"""Numeric-cell recognizer: a table value cell's crop -> its readings with probabilities.

    CellRecognizer.default().read([crop, ...]) -> [[(text, probability), ...], ...]

A small CRNN (convolutions, a bidirectional LSTM, CTC) trained here on value cells of generated
reports at every degradation level; shipped as ONNX (default/: config.json + model.onnx) and run
with onnxruntime. Rebuilt by
    ogi-extract train cells --config configs/cells.yaml --out ogi_extract/models/cells/default
"""

from ogi_extract.models.cells.recognizer import CellRecognizer, prepare

__all__ = ["CellRecognizer", "prepare"]
