"""What a tensor's graph holds."""

from __future__ import annotations

from mygrad._core.tensor import Tensor

__all__ = ["operation_names"]


def operation_names(tensor: Tensor) -> set[str]:
    """The names of the operations in the graph that produced ``tensor`` (the classes' names), e.g. to check
    that a function records the operations it should, or that a recorded backward pass is differentiable.

    Parameters
    ----------
    tensor : Tensor
        The end of the graph (its operations are those not yet cleared by ``backward``).

    Returns
    -------
    set of str

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.testing import operation_names
    >>> x = mg.tensor([1.0, 2.0])
    >>> sorted(operation_names(mg.exp(x * 2).sum()))
    ['Exp', 'Multiply', 'Sum']
    >>> operation_names(x)
    set()
    """
    names, seen, stack = set(), set(), [tensor]
    while stack:
        op = stack.pop().creator
        if op is None or id(op) in seen:
            continue
        seen.add(id(op))
        names.add(type(op).__name__)
        stack.extend(op.variables)
    return names
