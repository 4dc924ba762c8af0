"""Saving and loading tensors: a ``.npz`` archive with the data, the gradient (if any) and the constant flag."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np

from mygrad._core.tensor import Tensor

__all__ = ["load", "save"]


def save(file: str | Path | BinaryIO, tensor: Tensor) -> None:
    """Save a tensor's data, gradient and constant flag to a ``.npz`` file (or an open binary file).

    Parameters
    ----------
    file : str, pathlib.Path or file object
        NumPy appends ``.npz`` to a path that lacks it.
    tensor : Tensor

    Examples
    --------
    >>> import io
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> (x * x).sum().backward()
    >>> buffer = io.BytesIO()
    >>> mg.save(buffer, x)
    >>> _ = buffer.seek(0)
    >>> y = mg.load(buffer)
    >>> y, y.grad
    (Tensor([1., 2.]), array([2., 4.]))
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"mygrad.save requires a Tensor, got {type(tensor).__name__}")
    arrays = {"data": tensor.data, "constant": np.asarray(tensor.constant)}
    if tensor.grad is not None:
        arrays["grad"] = tensor.grad
    np.savez(file, **arrays)


def load(file: str | Path | BinaryIO) -> Tensor:
    """Load a tensor saved by :func:`save`: its data, gradient and constant flag (no graph).

    Parameters
    ----------
    file : str, pathlib.Path or file object

    Returns
    -------
    Tensor
    """
    with np.load(file) as archive:
        constant = bool(archive["constant"]) if "constant" in archive else None
        tensor = Tensor(archive["data"], constant=constant)
        if "grad" in archive:
            tensor._grad = np.asarray(archive["grad"])
    return tensor
