"""The nodes, edges and labels build_graph draws (checked on the DOT source, and on `dot`'s reading of it)."""

from __future__ import annotations

import numpy as np
import pytest
from dot_tools import labelled_edges, op_counts, parsed, source_edges, source_nodes

import mygrad as mg
from mygrad.computational_graph import GraphSnapshot, build_graph, snapshot_graph
from mygrad.computational_graph._build import OP_FILL


def labels(source: str) -> list[str]:
    return [label for label, _ in source_nodes(source).values()]


def label_of(source: str, first_line: str) -> str:
    (match,) = [label for label in labels(source) if label.split("\\n")[0] == first_line]
    return match


def seed_graph():
    x = mg.tensor(2)
    y = mg.tensor(3)
    f = x * y
    g = f + x - 2
    return x, y, f, g, build_graph(g, names=locals())


def test_seed_example_nodes_and_edges():
    *_, diagram = seed_graph()
    source = diagram.source
    assert source.startswith("strict digraph {")
    assert "node [fontsize=12]" in source
    assert op_counts(source) == {"Multiply": 1, "Add": 1, "Subtract": 1}
    assert sorted(labels(source)) == sorted(["x", "y", "f", "g", "8", "2", "Multiply", "Add", "Subtract"])
    assert labelled_edges(source) == {
        ("x", "Multiply"),
        ("y", "Multiply"),
        ("Multiply", "f"),
        ("f", "Add"),
        ("x", "Add"),
        ("Add", "8"),
        ("8", "Subtract"),
        ("2", "Subtract"),
        ("Subtract", "g"),
    }
    assert len(source_edges(source)) == 9
    for label, attrs in source_nodes(source).values():
        if label in ("Multiply", "Add", "Subtract"):
            assert "style=filled" in attrs and f'fillcolor="{OP_FILL}"' in attrs
        else:
            assert "fillcolor" not in attrs and "style" not in attrs


def test_seed_example_as_dot_reads_it():
    *_, diagram = seed_graph()
    nodes, edges = parsed(diagram.source)
    drawn = {node: lines[0] for node, lines in nodes.items()}
    assert sorted(drawn.values()) == sorted(["x", "y", "f", "g", "8", "2", "Multiply", "Add", "Subtract"])
    assert {(drawn[t], drawn[h]) for t, h in edges} == labelled_edges(diagram.source)


def test_without_names_tensors_are_labelled_with_their_repr():
    x, y, f, g, _ = seed_graph()
    source = build_graph(g).source
    assert sorted(labels(source)) == sorted(
        ["Tensor(2)", "Tensor(3)", "Tensor(6)", "Tensor(8)", "Tensor(2)", "Tensor(6)"]
        + ["Multiply", "Add", "Subtract"]
    )


def test_multiline_repr_becomes_label_lines():
    a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    source = build_graph(a * 2).source
    label = label_of(source, "Tensor([[2., 4.],")
    assert label.split("\\n")[1].strip() == "[6., 8.]])"


def test_label_rules_with_names():
    w = mg.tensor([1.0, 2.0])
    arr = np.array([3.0, 4.0])
    c = mg.tensor([1, 2])  # integers: a constant
    h = (w * arr + c) * mg.tensor(5.0) + arr  # `arr` used twice: one node
    source = build_graph(h, names={"w": w, "arr": arr}).source
    found = labels(source)
    assert found.count("arr\\n*Constant*") == 1
    assert found.count("*Constant*") == 1  # c, unnamed
    assert "5.0" in found  # unnamed 0-d: its value
    assert found.count("Intermediate Tensor") == 4  # w * arr, + c, * 5, and h itself
    assert "Intermediary" not in source  # MyGrad 2's word
    assert "w" in found
    arr_edges = {head for tail, head in labelled_edges(source) if tail == "arr\\n*Constant*"}
    assert arr_edges == {"Multiply", "Add"}
    assert op_counts(source) == {"Multiply": 2, "Add": 2}


def test_names_ignore_other_objects_and_prefer_public_names():
    x = mg.tensor(1.0)
    y = x * 2
    names = {"_": y, "np": np, "number": 3, "y": y, "also_y": y, "x": x}
    source = build_graph(y, names=names).source
    assert sorted(labels(source)) == ["2", "Multiply", "x", "y"]
    assert "_1" in labels(build_graph(y, names={"_1": x}).source)  # an underscore name if there is no other
    assert "first" in labels(build_graph(y, names={"first": x, "second": x}).source)


def test_a_tensor_alone():
    x = mg.tensor([1.0, 2.0])
    source = build_graph(x, names={"x": x}).source
    assert labels(source) == ["x"]
    assert source_edges(source) == []


def test_dims_dtypes_and_stats():
    a = mg.tensor([[1.0, 2.0], [3.0, 10.0]])
    s = mg.tensor(2.0, dtype=np.float32)
    out = a * s
    source = build_graph(
        out, names={"a": a, "s": s, "out": out}, dims=True, dtypes=True, sum_stats=True
    ).source
    assert (
        label_of(source, "a")
        == "a\\nDims: (2, 2)\\nDtype: float64\\nMin: 1.0\\nMedian: 2.5\\nMean: 4.0\\nMax: 10.0"
    )
    assert label_of(source, "s") == "s\\nDtype: float32"  # 0-d: no shape, no statistics
    assert label_of(source, "out").startswith("out\\nDims: (2, 2)\\nDtype: float64\\nMin: 2.0")

    only_dims = build_graph(out, names={"a": a}, dims=True).source
    assert label_of(only_dims, "a") == "a\\nDims: (2, 2)"
    only_dtypes = build_graph(out, names={"a": a}, dtypes=True).source
    assert label_of(only_dtypes, "a") == "a\\nDtype: float64"
    only_stats = build_graph(out, names={"a": a}, sum_stats=True).source
    assert label_of(only_stats, "a") == "a\\nMin: 1.0\\nMedian: 2.5\\nMean: 4.0\\nMax: 10.0"
    plain = build_graph(out, names={"a": a}).source
    assert label_of(plain, "a") == "a"


def test_stats_are_rounded_to_four_significant_digits():
    a = mg.tensor([1 / 3, 2 / 3, 123456.789, -1e-7])
    i = mg.tensor([7, 123456789])  # integers are exact
    h = mg.tensor([0.1, 0.2], dtype=np.float16)  # 0.1 is 0.0999755859375 in float16; the mean too is float16
    out = (a.sum() + i.sum()) * h
    source = build_graph(out, names=locals(), sum_stats=True).source
    assert label_of(source, "a") == "a\\nMin: -1e-07\\nMedian: 0.5\\nMean: 3.086e+04\\nMax: 1.235e+05"
    assert label_of(source, "i") == "i\\nMin: 7\\nMedian: 6.173e+07\\nMean: 6.173e+07\\nMax: 123456789"
    assert label_of(source, "h") == "h\\nMin: 0.09998\\nMedian: 0.1499\\nMean: 0.1499\\nMax: 0.2"


def test_values_of_0d_tensors_are_rounded_too():
    x = mg.tensor(0.5)
    y = mg.tensor(1 / 3)
    z = mg.tensor(2.0, dtype=np.float32)
    out = np.sin(x) * y + z * 7
    source = build_graph(out, names={"x": x, "out": out}).source
    assert sorted(labels(source)) == sorted(
        ["x", "0.4794", "0.3333", "0.1598", "2.0", "7", "14.0", "out", "Sin", "Multiply", "Multiply", "Add"]
    )


def test_gradients_are_rounded_too():
    x = mg.tensor([1.0, 2.0, 3.0])
    w = mg.tensor(1 / 3)
    loss = (w * x / 7).sum()
    kept = snapshot_graph(loss)
    loss.backward()
    source = build_graph(kept, names=locals(), grads=True).source
    assert label_of(source, "w") == "w\\nGrad: 0.8571"  # 6 / 7
    assert label_of(source, "x") == (
        "x\\nGrad shape: (3,)\\nGrad Min: 0.04762\\nGrad Median: 0.04762\\nGrad Mean: 0.04762\\nGrad Max: 0.04762"
    )


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_rankdir_is_the_graph_s(rankdir):
    *_, g, _ = seed_graph()
    source = build_graph(g, rankdir=rankdir).source
    assert f"\tgraph [rankdir={rankdir}]\n" in source
    # the same nodes and edges either way
    assert labelled_edges(source) == labelled_edges(build_graph(g).source)


def test_the_default_direction_is_top_to_bottom_as_in_mygrad_2():
    *_, g, _ = seed_graph()
    assert build_graph(g).source == build_graph(g, rankdir="TB").source


def test_stats_of_empty_and_boolean_and_nan_data():
    e = mg.tensor(np.zeros((0, 3)))
    b = mg.tensor([True, False, True])
    n = mg.tensor([1.0, np.nan])
    out = (e.sum() + b.sum()) * n
    source = build_graph(out, names={"e": e, "b": b, "n": n}, sum_stats=True, dims=True).source
    assert label_of(source, "e") == "e\\nDims: (0, 3)\\nMin/Median/Mean/Max: none (empty)"
    assert label_of(source, "b").startswith("b\\nDims: (3,)\\nMin: False")
    assert "Mean: nan" in label_of(source, "n")


def test_grads_from_a_snapshot_taken_before_backward():
    x = mg.tensor([1.0, 2.0, 3.0])
    w = mg.tensor(2.0)
    loss = (w * x).sum()
    kept = snapshot_graph(loss)
    assert isinstance(kept, GraphSnapshot)
    assert len(kept) == 6 and "4 tensors, 2 operations" in repr(kept)
    before = build_graph(kept, names=locals(), grads=True).source
    assert "Grad" not in before  # nothing computed yet
    loss.backward()
    with pytest.raises(ValueError, match="backward"):
        build_graph(loss)
    source = build_graph(kept, names=locals(), grads=True).source
    assert (
        label_of(source, "x")
        == "x\\nGrad shape: (3,)\\nGrad Min: 2.0\\nGrad Median: 2.0\\nGrad Mean: 2.0\\nGrad Max: 2.0"
    )
    assert label_of(source, "w") == "w\\nGrad: 6.0"
    assert label_of(source, "loss") == "loss\\nGrad: 1.0"
    assert op_counts(source) == {"Multiply": 1, "Sum": 1}
    without = build_graph(kept, names=locals()).source
    assert "Grad" not in without


def test_grads_in_a_graph_still_alive():
    # Backpropagating from an intermediate clears the graph behind it only: the rest can still be drawn.
    x = mg.tensor(2.0)
    y = mg.tensor(3.0)
    f = x * y
    g = f + x - 2
    f.backward()
    source = build_graph(g, names=locals(), grads=True).source
    assert label_of(source, "f") == "f\\nGrad: 1.0"
    assert label_of(source, "x") == "x\\nGrad: 3.0"
    assert label_of(source, "g") == "g"
    assert op_counts(source) == {"Add": 1, "Subtract": 1}


def test_a_snapshot_draws_like_the_tensor_and_does_not_hold_the_graph():
    w = mg.tensor([1.0, 2.0])
    loss = (w * w).sum()
    assert (
        build_graph(snapshot_graph(loss), names=locals()).source == build_graph(loss, names=locals()).source
    )
    kept = snapshot_graph(loss)
    loss.backward()
    # The operations were freed with the graph, so the memory guard released w's data.
    w.data *= 0.5
    assert label_of(build_graph(kept, names=locals(), grads=True).source, "w").startswith(
        "w\\nGrad shape: (2,)"
    )


def chain(n: int, start: float = 0.0):
    y = mg.tensor(start)
    for _ in range(n):
        y = y + 1.0
    return y


def test_max_nodes_elides_the_middle():
    x = mg.tensor(0.0)
    y = x
    for _ in range(20):
        y = y * 1.5
    total = 1 + 20 * 3  # x, and per step an op, its result and the constant 1.5
    full = build_graph(y, names={"x": x, "y": y}).source
    assert len(source_nodes(full)) == total
    assert build_graph(y, names={"x": x, "y": y}, max_nodes=total).source == full
    for max_nodes in (1, 2, 7, 10, total - 1):
        source = build_graph(y, names={"x": x, "y": y}, max_nodes=max_nodes).source
        nodes = source_nodes(source)
        assert "elided" in nodes
        assert len(nodes) == max_nodes + 1
        marker = nodes["elided"][0]
        assert f"... {total - max_nodes:,} more nodes ...\\n(max_nodes={max_nodes})" == marker
        assert "shape=box" in nodes["elided"][1] and "style=dashed" in nodes["elided"][1]
        shown = [label for label, _ in nodes.values()]
        assert "y" in shown  # the end of the computation is always drawn
        if max_nodes >= 2:
            assert "x" in shown  # ... and, with room for it, its start
        ids = set(nodes)
        for tail, head in source_edges(source):
            assert tail in ids and head in ids and tail != head
        assert any("elided" in edge for edge in source_edges(source))
        dot_nodes, dot_edges = parsed(source)
        assert set(dot_nodes) == ids


def test_max_nodes_on_a_branching_graph_keeps_edges_consistent():
    rng = np.random.default_rng(0)
    x = mg.tensor(rng.normal(size=(4, 3)))
    h = x
    for _ in range(6):
        w = mg.tensor(rng.normal(size=(3, 3)))
        h = np.tanh(h @ w) * 0.5 + np.exp(-h) / 2
    loss = mg.mean(h**2)
    nodes, edges = parsed(build_graph(loss, names=locals(), max_nodes=30).source)
    assert len(nodes) == 31
    assert all(t in nodes and h in nodes for t, h in edges)


def test_op_names_come_from_the_operation_class():
    from mygrad.operation_base import Operation

    class Cube(Operation):
        def __call__(self, x):
            self.variables = (x,)
            return x.data**3

        def backward_var(self, grad, index, **kwargs):
            return 3 * grad * self.variables[0].data ** 2

    x = mg.tensor([1.0, 2.0])
    y = mg.execute_op(Cube, x)
    assert op_counts(build_graph(y).source) == {"Cube": 1}


def test_an_operation_on_itself_and_shared_inputs():
    x = mg.tensor([1.0, 2.0])
    y = x * x  # one edge (the graph is strict)
    z = y + y
    source = build_graph(z, names=locals()).source
    assert labelled_edges(source) == {("x", "Multiply"), ("Multiply", "y"), ("y", "Add"), ("Add", "z")}
    assert len(source_edges(source)) == 4


def test_graphs_changed_in_place_are_drawn_without_a_loop():
    # An in-place write files the tensor's old state under a stand-in: the operations that read the old
    # value (Multiply, and SetItem itself) read the stand-in, so the diagram has no loop through x.
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2
    x[0] = y[1]
    z = (x + y).sum()
    old = x.creator.variables[0]
    assert old is not x and y.creator.variables[0] is old
    diagram = build_graph(z, names={"x": x, "y": y, "z": z, "old": old})
    nodes, edges = parsed(diagram.source)
    assert op_counts(diagram.source) == {"Sum": 1, "Add": 1, "SetItem": 1, "GetItem": 1, "Multiply": 1}
    assert set(nodes) == set(source_nodes(diagram.source))
    assert {("old", "SetItem"), ("old", "Multiply"), ("SetItem", "x"), ("x", "Add")} <= labelled_edges(
        diagram.source
    )
    assert ("x", "SetItem") not in labelled_edges(diagram.source)


def test_nodes_are_listed_from_the_inputs_to_the_result():
    *_, diagram = seed_graph()
    order = labels(diagram.source)
    assert order[-1] == "g"
    assert order.index("x") < order.index("Multiply") < order.index("f") < order.index("Add")


def test_the_main_path_is_grouped_for_a_straight_layout():
    *_, diagram = seed_graph()
    grouped = {label for label, attrs in source_nodes(diagram.source).values() if "group=spine" in attrs}
    assert {"g", "Subtract", "8", "Add", "f", "Multiply"} <= grouped
    assert "2" not in grouped and "y" not in grouped


def test_large_graphs_are_laid_out_compactly():
    small = build_graph(chain(3)).source
    assert "ranksep" not in small
    big = build_graph(chain(30)).source
    assert "ranksep" in big and "nodesep" in big


def test_a_chain_of_a_hundred_thousand_operations():
    # Deeper than any recursion limit: the walk is a loop. (Timings are the benchmarks' business.)
    y = chain(100_000)
    source = build_graph(y, names={"y": y}).source
    assert source.count(" [label=") == 3 * 100_000 + 1  # the additions, their results and their constants
    assert source.count('[label="Add" ') == 100_000
    assert source.count(" -> ") == 3 * 100_000
    short = build_graph(y, max_nodes=40).source
    assert len(source_nodes(short)) == 41
    assert "Tensor(100000.)" in labels(short) and "Tensor(0.)" in labels(short)
