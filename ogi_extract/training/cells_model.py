"""The numeric-cell CRNN in torch, and its export to the ONNX folder the runtime loads.

Convolutions shrink a 32 px high crop to one row of feature columns (a step every 4 px), a
bidirectional LSTM reads them left to right and back, a linear layer gives per-step class
scores for CTC. Small on purpose (~0.2 M parameters): it runs on every value cell of a scan.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from torch import nn

from ogi_extract.models.cells.recognizer import KIND, VERSION, CellRecognizer

# class 0 is the CTC blank; "" reads as an empty cell
CHARSET = ["", *"0123456789", ".", ",", "-", "+", "%", "〇", "○", "—", "件", "项", "万", "元", "个", "条"]
HEIGHT = 32


def _block(cin: int, cout: int, pool: tuple[int, int] | None) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]
    return layers + ([nn.MaxPool2d(pool, pool)] if pool else [])


class CRNN(nn.Module):
    def __init__(self, n_classes: int = len(CHARSET)):
        super().__init__()
        c = [16, 32, 48, 64]
        self.features = nn.Sequential(
            *_block(1, c[0], (2, 2)), *_block(c[0], c[1], (2, 2)),  # 8 x W/4
            *_block(c[1], c[2], None), *_block(c[2], c[2], (2, 1)),  # 4 x W/4
            *_block(c[2], c[3], (2, 1)),  # 2 x W/4
            nn.Conv2d(c[3], 128, (2, 1)), nn.ReLU(inplace=True),  # 1 x W/4
        )
        self.rnn = nn.LSTM(128, 64, bidirectional=True, batch_first=True)
        self.head = nn.Linear(128, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """N x 1 x 32 x W -> N x W/4 x C log-probabilities."""
        f = self.features(x).squeeze(2).permute(0, 2, 1)
        return self.head(self.rnn(f)[0]).log_softmax(-1)


class _Softmax(nn.Module):
    """What ships: probabilities, not log-probabilities (the beam search sums them)."""

    def __init__(self, net: CRNN):
        super().__init__()
        self.net = net

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.net(image).exp()


def export(net: CRNN, info: dict) -> CellRecognizer:
    """The trained net as an ONNX CellRecognizer (dynamic batch and width), its config recording `info`."""
    net = net.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(_Softmax(net), torch.zeros(1, 1, HEIGHT, 96), buf, dynamo=False, opset_version=17,
                          input_names=["image"], output_names=["probs"],
                          dynamic_axes={"image": {0: "n", 3: "w"}, "probs": {0: "n", 1: "t"}})
    config = {"kind": KIND, "version": VERSION, "height": HEIGHT, "charset": CHARSET, "training": info}
    return CellRecognizer(buf.getvalue(), config)


def load_torch(folder: Path) -> CRNN:
    """A torch CRNN from a saved folder's `weights.pt` (training checkpoints; --base)."""
    net = CRNN()
    net.load_state_dict(torch.load(Path(folder) / "weights.pt", map_location="cpu"))
    return net
