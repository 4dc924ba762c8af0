"""Helpers for writing operations."""

__all__ = ["SkipGradient"]


class SkipGradient(Exception):
    """Raise from ``Operation.backward_var`` to say the variable gets no gradient from this operation.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad._utils import SkipGradient
    >>> from mygrad.operation_base import Operation
    >>> class ScaleBy(Operation):  # x * s, differentiated with respect to x only
    ...     def __call__(self, x, s):
    ...         self.variables = (x, s)
    ...         return x.data * s.data
    ...     def backward_var(self, grad, index, **kwargs):
    ...         if index == 1:
    ...             raise SkipGradient
    ...         return grad * self.variables[1].data
    >>> x, s = mg.tensor([1.0, 2.0]), mg.tensor(3.0)
    >>> mg.execute_op(ScaleBy, x, s).backward()
    >>> x.grad, s.grad
    (array([3., 3.]), None)
    """
