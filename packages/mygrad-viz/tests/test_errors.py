"""Bad arguments and cleared graphs are refused with errors that say what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

import mygrad as mg
from mygrad.computational_graph import build_graph, snapshot_graph


@pytest.fixture
def g():
    x = mg.tensor(2.0)
    return x * 3.0 + 1.0


@pytest.mark.parametrize("fin", [np.array([1.0]), [1.0], 2.0, None, "g"])
def test_fin_must_be_a_tensor(fin):
    with pytest.raises(TypeError, match="`fin` must be a mygrad.Tensor"):
        build_graph(fin)
    with pytest.raises(TypeError, match="`fin` must be a mygrad.Tensor"):
        snapshot_graph(fin)


@pytest.mark.parametrize("names", [["x"], "x", 3, object()])
def test_names_must_be_a_mapping(g, names):
    with pytest.raises(TypeError, match="`names` must be a mapping"):
        build_graph(g, names=names)


def test_names_keys_must_be_strings(g):
    with pytest.raises(TypeError, match="keys of `names` must be strings"):
        build_graph(g, names={1: g})


@pytest.mark.parametrize("flag", ["render", "dims", "dtypes", "sum_stats", "grads"])
@pytest.mark.parametrize("value", [1, 0, "yes", None, [True]])
def test_flags_must_be_booleans(g, flag, value):
    with pytest.raises(TypeError, match=f"`{flag}` must be True or False"):
        build_graph(g, **{flag: value})


def test_numpy_booleans_are_booleans(g):
    assert build_graph(g, render=np.bool_(True), dims=np.True_) is not None


@pytest.mark.parametrize("save", [1, 1.5, None, b"g.svg", ["g.svg"]])
def test_save_must_be_a_bool_or_a_path(g, save):
    with pytest.raises(TypeError, match="`save` must be True, False or a file path"):
        build_graph(g, save=save)


@pytest.mark.parametrize("save", ["graph", "graph.txt", "graph.svg.bak", "", "graph."])
def test_save_needs_a_known_suffix(g, save, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"suffix must be one of .*\.svg"):
        build_graph(g, save=save)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("max_nodes", [0, -1])
def test_max_nodes_must_be_positive(g, max_nodes):
    with pytest.raises(ValueError, match="`max_nodes` must be at least 1"):
        build_graph(g, max_nodes=max_nodes)


@pytest.mark.parametrize("max_nodes", [2.0, True, "3", [3]])
def test_max_nodes_must_be_an_int(g, max_nodes):
    with pytest.raises(TypeError, match="`max_nodes` must be an int or None"):
        build_graph(g, max_nodes=max_nodes)


def test_max_nodes_may_be_a_numpy_int(g):
    assert "elided" in build_graph(g, max_nodes=np.int64(2)).source


@pytest.mark.parametrize("rankdir", ["lr", "BT", "RL", "left-right", "", "TB "])
def test_rankdir_must_be_tb_or_lr(g, rankdir):
    with pytest.raises(ValueError, match=r"`rankdir` must be one of 'TB' \(top to bottom\), 'LR'"):
        build_graph(g, rankdir=rankdir)


@pytest.mark.parametrize("rankdir", [None, 1, b"LR", ["LR"]])
def test_rankdir_must_be_a_string(g, rankdir):
    with pytest.raises(TypeError, match='`rankdir` must be "TB" or "LR"'):
        build_graph(g, rankdir=rankdir)


def test_a_bad_rankdir_saves_nothing(g, tmp_path):
    with pytest.raises(ValueError, match="rankdir"):
        build_graph(g, save=tmp_path / "g.gv", rankdir="down")
    assert list(tmp_path.iterdir()) == []


def test_options_are_keyword_only(g):
    with pytest.raises(TypeError):
        build_graph(g, None, True)


def test_a_graph_cleared_by_backward_is_refused_with_the_pattern_to_follow():
    x = mg.tensor([1.0, 2.0])
    loss = (x * x).sum()
    diagram = build_graph(loss, names=locals())  # before backward: fine
    loss.backward()
    assert "Multiply" in diagram.source  # the diagram made before stays valid
    with pytest.raises(ValueError) as info:
        build_graph(loss, names=locals())
    message = str(info.value)
    assert "backward()" in message and "clears" in message
    assert "before backward()" in message
    assert "snapshot_graph(loss)" in message
    with pytest.raises(ValueError, match="backward"):
        snapshot_graph(loss)


def test_a_leaf_without_gradient_is_drawn_alone():
    x = mg.tensor([1.0, 2.0])
    assert "Tensor([1., 2.])" in build_graph(x).source
