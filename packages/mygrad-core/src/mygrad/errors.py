"""The exceptions mygrad raises for problems of its own (NumPy's errors are NumPy's)."""

__all__ = ["DisconnectedView", "InvalidBackprop", "InvalidGradient", "MyGradException"]


class MyGradException(Exception):
    """Base class of mygrad's own exceptions.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.errors import MyGradException
    >>> x = mg.tensor(2.0)
    >>> y = x * 3
    >>> y.backward()
    >>> try:
    ...     y.backward()  # the graph was cleared by the first backward pass
    ... except MyGradException as error:
    ...     print(type(error).__name__)
    InvalidBackprop
    """


class InvalidGradient(MyGradException):
    """An operation's backward pass produced something that is not a gradient (not an array or a number).

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.operation_base import Operation
    >>> class Broken(Operation):
    ...     def __call__(self, x):
    ...         self.variables = (x,)
    ...         return 2 * x.data
    ...     def backward_var(self, grad, index, **kwargs):
    ...         return "not a gradient"
    >>> y = mg.execute_op(Broken, mg.tensor([1.0, 2.0]))
    >>> y.backward()
    Traceback (most recent call last):
      ...
    mygrad.errors.InvalidGradient: Broken.backward_var returned str for variable 0; a gradient must be ...
    """


class InvalidBackprop(MyGradException):
    """Backpropagation was asked to run through part of a graph that is no longer there (already cleared).

    Each backward pass clears the graph it ran through (as :meth:`~mygrad.Tensor.clear_graph` does), so a
    result can be backpropagated once; recompute it to backpropagate again.

    Examples
    --------
    >>> import mygrad as mg
    >>> x = mg.tensor(2.0)
    >>> a = x * 2
    >>> b, c = a + 1, a + 2  # two results that share `a`
    >>> b.backward()  # clears the graph behind b, a included
    >>> c.backward()
    Traceback (most recent call last):
      ...
    mygrad.errors.InvalidBackprop: Part of the computational graph containing this tensor, ...
    >>> c = x * 2 + 2  # recomputed: a new graph
    >>> c.backward()
    >>> x.grad
    array(2.)
    """


class DisconnectedView(MyGradException):
    """A view's link to its base was broken, so its gradient can no longer be read from the base's.

    MyGrad 2 raised it; mygrad keeps every view connected to its base (:doc:`/views`), so it never raises it.
    It remains, as a :class:`MyGradException`, so that code that catches it still runs.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.errors import DisconnectedView, MyGradException
    >>> issubclass(DisconnectedView, MyGradException)
    True
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> view = x[:2]
    >>> (view * 2).sum().backward()
    >>> view.grad  # read from x's gradient, through the view's link to x
    array([2., 2.])
    """
