"""Helpers for writing operations."""

__all__ = ["SkipGradient"]


class SkipGradient(Exception):
    """Raise from ``Operation.backward_var`` to say the variable gets no gradient from this operation."""
