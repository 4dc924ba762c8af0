"""Small grayscale pictures of shapes, drawn with NumPy: the demo's data set, made on the spot."""

from __future__ import annotations

import numpy as np

CLASSES = ("circle", "square", "cross", "triangle")


def _draw(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """One ``size x size`` picture of ``kind`` at a random place and scale, in [0, 1] before noise."""
    half = rng.uniform(0.18, 0.34) * size  # half the shape's extent, in pixels
    cy, cx = rng.uniform(half + 0.5, size - half - 0.5, size=2)
    rows, cols = np.mgrid[0:size, 0:size] + 0.5
    dy, dx = rows - cy, cols - cx
    if kind == "circle":
        radius = np.hypot(dy, dx)
        mask = np.abs(radius - half * 0.85) < 0.9  # a ring
    elif kind == "square":
        edge = np.maximum(np.abs(dy), np.abs(dx))
        mask = np.abs(edge - half * 0.85) < 0.75  # an outline
    elif kind == "cross":
        thickness = max(0.8, half * 0.22)
        inside = (np.abs(dy) <= half) & (np.abs(dx) <= half)
        mask = inside & ((np.abs(dy) < thickness) | (np.abs(dx) < thickness))
    elif kind == "triangle":  # filled, pointing up: apex at the top, base at the bottom
        height = (dy + half) / (2 * half)  # 0 at the apex, 1 at the base
        mask = (height >= 0) & (height <= 1) & (np.abs(dx) <= height * half)
    else:
        raise ValueError(f"unknown shape {kind!r}")
    return mask.astype(np.float32) * rng.uniform(0.6, 1.0)


def make_shapes(
    n: int, *, size: int = 16, noise: float = 0.15, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` pictures, shape ``(n, 1, size, size)`` float32, and their labels (indices into CLASSES).

    The classes are balanced and shuffled; each picture gets Gaussian noise of standard deviation ``noise``.
    """
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(CLASSES))
    images = np.stack([_draw(CLASSES[label], size, rng) for label in labels])
    images += rng.normal(0.0, noise, size=images.shape).astype(np.float32)
    return images[:, None].astype(np.float32), labels.astype(np.int64)
