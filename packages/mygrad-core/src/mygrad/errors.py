"""The exceptions mygrad raises for problems of its own (NumPy's errors are NumPy's)."""

__all__ = ["DisconnectedView", "InvalidBackprop", "InvalidGradient", "MyGradException"]


class MyGradException(Exception):
    """Base class of mygrad's own exceptions."""


class InvalidGradient(MyGradException):
    """An operation's backward pass produced something that is not a gradient (not an array or a number)."""


class InvalidBackprop(MyGradException):
    """Backpropagation was asked to run through part of a graph that is no longer there (already cleared)."""


class DisconnectedView(MyGradException):
    """A view's link to its base was broken, so its gradient can no longer be read from the base's."""
