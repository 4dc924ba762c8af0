"""mygrad's universal functions: the abstract type ``ufunc`` and the decorator for making new ones."""

from mygrad._ops.registry import ufunc
from mygrad.ufuncs._ufunc_creators import ufunc_creator

__all__ = ["ufunc", "ufunc_creator"]
