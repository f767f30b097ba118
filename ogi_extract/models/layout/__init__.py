"""Learned table layout: a small U-Net that maps a page image to separator and region maps.

    LayoutModel.default().predict(image) -> LayoutMaps

The shipped model (default/) runs with onnxruntime (no torch at prediction time); it is rebuilt by
    ogi-extract train layout --config configs/layout.yaml --out ogi_extract/models/layout/default
"""

from ogi_extract.models.layout.model import CHANNELS, LayoutMaps, LayoutModel, page_scale, to_gray

__all__ = ["CHANNELS", "LayoutMaps", "LayoutModel", "page_scale", "to_gray"]
