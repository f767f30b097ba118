"""Model folders: config.json (what the model is, how it was trained) beside its weights file."""

from __future__ import annotations

import json
from pathlib import Path

from ogi_extract.errors import ModelNotFoundError


def read_config(folder: str | Path, kind: str, version: int, weights: str, config: str = "config.json") -> dict:
    """The folder's config, after checking that it holds a `kind` model of `version` with its weights."""
    folder = Path(folder)
    if not (folder / config).is_file() or not (folder / weights).is_file():
        raise ModelNotFoundError(str(folder), f"needs {config} and {weights}")
    data = json.loads((folder / config).read_text(encoding="utf-8"))
    if data.get("kind") != kind or data.get("version") != version:
        raise ModelNotFoundError(str(folder), f"not a {kind} v{version}")
    return data
