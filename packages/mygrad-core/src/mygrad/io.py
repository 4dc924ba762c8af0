"""Saving and loading tensors: a ``.npz`` archive with the data, the gradient (if any) and the constant flag."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, BinaryIO

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
        The tensor to save.

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
    arrays: dict[str, Any] = {"data": tensor.data, "constant": np.asarray(tensor.constant)}
    if tensor.grad is not None:
        arrays["grad"] = tensor.grad
    np.savez(file, **arrays)


def load(file: str | Path | BinaryIO) -> Tensor:
    """Load a tensor saved by :func:`save`: its data, gradient and constant flag (no graph).

    Only ``.npz`` archives are read, and never with pickling: a file that holds pickled objects is refused.

    Parameters
    ----------
    file : str, pathlib.Path or file object
        The ``.npz`` file (or an open binary file positioned at its start).

    Returns
    -------
    Tensor
        A new leaf tensor (outside any graph), a constant as saved. A gradient in the archive comes with it as
        MyGrad 2 loaded it, by backpropagating it: floating data with a gradient is loaded differentiable (not a
        constant) with its gradient, and integer data, a constant, without one.

    Raises
    ------
    ValueError
        If the file is not a tensor saved by :func:`save` (not a ``.npz`` archive, truncated or damaged, without
        a ``data`` array, holding object arrays, or with a gradient that does not match the data).
    OSError
        If the file cannot be opened or read (e.g. ``FileNotFoundError``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0], constant=True)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "x.npz"
    ...     mg.save(path, x)
    ...     y = mg.load(path)
    >>> y, y.constant, y.grad
    (Tensor([1., 2.]), True, None)
    """
    source = _describe(file)
    try:
        loaded = np.load(file, allow_pickle=False)
    except (ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(
            f"{source} is not a tensor saved by mygrad.save: it is not a .npz archive, or it is truncated or "
            "damaged (mygrad.load reads .npz archives only, and never unpickles)"
        ) from exc
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError(
            f"{source} is not a tensor saved by mygrad.save: it holds a single array ({type(loaded).__name__}), "
            "not a .npz archive with a 'data' array"
        )
    with loaded as archive:
        if "data" not in archive.files:
            raise ValueError(
                f"{source} is not a tensor saved by mygrad.save: the archive has no 'data' array "
                f"(it holds {sorted(archive.files)})"
            )
        arrays = {}
        for key in ("data", "grad", "constant"):
            if key in archive.files:
                try:
                    arrays[key] = archive[key]
                except (ValueError, EOFError, zipfile.BadZipFile) as exc:
                    raise ValueError(f"{source}: the archive's {key!r} array cannot be read ({exc})") from exc
                if not isinstance(arrays[key], np.ndarray):  # a member that is not a .npy file: raw bytes
                    raise ValueError(f"{source}: the archive's {key!r} entry is not a NumPy array")
    data = arrays["data"]
    constant = None
    if "constant" in arrays:
        flag = arrays["constant"]
        if flag.shape != () or flag.dtype != np.bool_:
            raise ValueError(
                f"{source}: the archive's 'constant' entry must be a boolean scalar, got an array of dtype "
                f"{flag.dtype} and shape {flag.shape}"
            )
        constant = bool(flag)
    grad = arrays.get("grad")
    if grad is not None and (grad.shape != data.shape or grad.dtype != data.dtype):
        raise ValueError(
            f"{source}: the archive's gradient (shape {grad.shape}, dtype {grad.dtype}) does not match its data "
            f"(shape {data.shape}, dtype {data.dtype})"
        )
    if grad is not None and data.dtype.kind == "f":
        constant = False  # it was differentiated: as MyGrad 2, which backpropagated the gradient into it
    tensor = Tensor(data, constant=constant, copy=False)
    if not tensor.constant:  # a constant is never differentiated: it has no gradient (as MyGrad 2 loads it)
        tensor._grad = grad
    return tensor


def _describe(file: Any) -> str:
    """How an error message names ``file``: its path, or the file object's name or type."""
    if isinstance(file, (str, Path)):
        return repr(str(file))
    name = getattr(file, "name", None)
    return repr(name) if isinstance(name, str) else f"the {type(file).__name__} object"
