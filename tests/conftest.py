import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def truth(kind: str, stem: str) -> dict:
    return json.loads((DATA / kind / "truth" / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
