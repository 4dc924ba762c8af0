"""Helpers for writing layers: the sliding-window view that convolution and pooling are built on."""

from mygrad import sliding_window_view

__all__ = ["sliding_window_view"]
