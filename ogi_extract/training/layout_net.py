"""The layout network (torch): a small U-Net, or a plain FCN (no skips) for comparison.

Separators are thin, so the decoder brings back full resolution through skip connections;
`width` sets the channels of the first level (doubling per level, `depth` levels down).
"""

from __future__ import annotations

import io

import torch
from torch import nn

from ogi_extract.models.layout import CHANNELS


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class LayoutNet(nn.Module):
    def __init__(self, width: int = 8, depth: int = 4, skips: bool = True):
        super().__init__()
        self.skips = skips
        chans = [width * 2**i for i in range(depth)]
        self.down = nn.ModuleList([_block(1, chans[0])] + [_block(a, b) for a, b in zip(chans, chans[1:])])
        self.up = nn.ModuleList([nn.ConvTranspose2d(b, a, 2, stride=2) for a, b in zip(chans, chans[1:])])
        self.fuse = nn.ModuleList([_block(2 * a if skips else a, a) for a in chans[:-1]])
        self.head = nn.Conv2d(chans[0], len(CHANNELS), 1)

    @property
    def stride(self) -> int:
        return 2 ** (len(self.down) - 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feats = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else nn.functional.max_pool2d(x, 2))
            feats.append(x)
        for i in reversed(range(len(self.up))):
            x = self.up[i](x)
            x = self.fuse[i](torch.cat([x, feats[i]], 1) if self.skips else x)
        return self.head(x)


def build(config: dict) -> LayoutNet:
    return LayoutNet(int(config["width"]), int(config["depth"]), bool(config.get("skips", True)))


def to_onnx(net: LayoutNet) -> bytes:
    """The network as ONNX bytes, any input height and width (multiples of its stride)."""
    net.eval()
    buf = io.BytesIO()
    dummy = torch.zeros(1, 1, 128, 96)
    torch.onnx.export(net, (dummy,), buf, input_names=["image"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"image": {2: "h", 3: "w"}, "logits": {2: "h", 3: "w"}}, dynamo=False)
    return buf.getvalue()


def state_bytes(net: LayoutNet) -> bytes:
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    return buf.getvalue()
