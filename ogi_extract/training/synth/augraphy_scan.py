"""Scan degradation by augraphy (optional extra `synth`): richer paper and ink than `degrade`, 2-11 s a page.

Only paper, ink and photometric effects: no augraphy step moves ink, so the map is the identity
and ground-truth boxes stay where they were. augraphy draws from Python's and numpy's global
generators; seeding them from `rng` makes a page repeatable as far as augraphy allows.
"""

from __future__ import annotations

import cv2
import numpy as np

IDENTITY = np.float32([[1, 0, 0], [0, 1, 0]])


def augraphy_degrade(image: np.ndarray, rng: np.random.Generator, dpi: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A grey page (H x W uint8) at `dpi` -> (scanned-looking grey page of the same size, identity 2x3 map)."""
    pipeline = _pipeline(int(rng.integers(1, 2**31)), dpi)
    out = pipeline(image)
    if out.ndim == 3:
        out = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    if out.shape != image.shape:  # no effect here resizes, but a page must keep its size whatever augraphy does
        out = cv2.resize(out, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_AREA)
    return out.astype(np.uint8), IDENTITY.copy()


def _pipeline(seed: int, dpi: int):
    import augraphy as ag  # lazily: the package works without the extra

    px = dpi / 200  # kernel sizes are chosen for 200 dpi
    odd = lambda n: max(1, int(round(n * px)) | 1)  # noqa: E731
    return ag.AugraphyPipeline(
        ink_phase=[
            ag.InkBleed(intensity_range=(0.1, 0.3), kernel_size=(odd(3), odd(3)), severity=(0.2, 0.4), p=0.5),
            ag.Letterpress(n_samples=(100, 300), n_clusters=(100, 300), value_range=(180, 255), p=0.3),
            ag.LowInkRandomLines(count_range=(3, 8), use_consistent_lines=False, noise_probability=0.05, p=0.3),
        ],
        paper_phase=[
            ag.NoiseTexturize(sigma_range=(2, 6), turbulence_range=(2, 4), p=0.6),
            ag.BrightnessTexturize(texturize_range=(0.9, 0.99), deviation=0.03, p=0.5),
        ],
        post_phase=[
            ag.DirtyDrum(line_width_range=(1, 3), line_concentration=0.05, noise_intensity=0.3, p=0.2),
            ag.SubtleNoise(subtle_range=8, p=0.7),
            ag.Jpeg(quality_range=(40, 85), p=0.6),
        ],
        random_seed=seed,
    )
