"""mygrad.typing: precise aliases for type checkers, and at run time objects that work where MyGrad 2's did.

MyGrad 2.5.0's ``ArrayLike``, ``DTypeLikeReals`` and ``Shape`` are classes at run time (placeholders: nothing
is an instance), ``DTypeLike`` and ``Mask`` type variables, ``Real`` and ``Index`` unions: code written for it
passes them to ``isinstance`` and registers hypothesis strategies for them (for a type variable, hypothesis
allows it only before Python 3.12: mygrad's are classes).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mygrad as mg
import mygrad.typing as mt

CLASSES = [mt.ArrayLike, mt.DTypeLike, mt.DTypeLikeReals, mt.Mask, mt.Shape]


@pytest.mark.parametrize("alias", CLASSES, ids=lambda a: a.__name__)
def test_mygrad_2s_placeholder_classes_work_with_isinstance(alias):
    assert isinstance(alias, type)
    for value in (mg.tensor([1.0]), np.ones(2), [1.0], (2, 3), "float32", float):
        assert isinstance(value, alias) is False  # as in MyGrad 2: they describe values to type checkers only


@pytest.mark.parametrize("alias", CLASSES, ids=lambda a: a.__name__)
def test_hypothesis_strategies_can_be_registered_for_them(alias):
    st.register_type_strategy(alias, st.just(f"drawn for {alias}"))  # only these tests draw from them

    @settings(max_examples=3)
    @given(st.from_type(alias))
    def draws(value):
        assert value == f"drawn for {alias}"

    draws()


def test_real_and_index_are_unions_that_isinstance_answers():
    assert isinstance(3, mt.Real) and isinstance(2.5, mt.Real) and not isinstance("3", mt.Real)
    for index in (3, None, slice(1), ..., np.array([0]), mg.tensor([0]), [0, 1], (0, slice(None))):
        assert isinstance(index, mt.Index)
    assert not isinstance(2.5, mt.Index)


def test_type_checkers_see_the_aliases():
    # the module run as type checkers read it (TYPE_CHECKING true), in a fresh interpreter
    code = (
        "import typing, runpy, mygrad.typing\n"
        "typing.TYPE_CHECKING = True\n"
        "t = runpy.run_path(mygrad.typing.__file__)\n"
        "print(t['Shape'] == tuple[int, ...], typing.get_origin(t['ArrayLike']) is typing.Union,\n"
        "      t['DTypeLike'] is __import__('numpy').typing.DTypeLike)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "True"]
