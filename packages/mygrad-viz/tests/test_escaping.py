"""Names and operation names cannot break the DOT source or add to it: `dot` reads back exactly the nodes,
edges and label text that were meant."""

from __future__ import annotations

import pytest
from dot_tools import parsed, source_edges, source_nodes
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.computational_graph import build_graph, snapshot_graph
from mygrad.operation_base import Operation

NASTY = [
    'a"b',
    '"',
    '\\"',
    'x"]; evil [label="pwned"]; x -> evil; "',
    '"];\nevil [label="x',
    "}",
    "{x}",
    "} digraph { a -> b",
    "<b>bold</b>",
    "<<table><tr><td>x</td></tr></table>>",
    "<",
    ">",
    "back\\",
    "\\",
    "\\\\",
    "\\N \\G \\E \\T \\H \\L \\l \\r \\n",
    "line one\nline two",
    "crlf\r\nend",
    "&amp; &lt; &#60; &",
    "graph",
    "node",
    "edge",
    "strict",
    "subgraph",
    "digraph",
    "-> --",
    "/* comment */",
    "// comment",
    "# hash",
    "a;b,c=d[e]",
    "é ü 漢字 🙂",
    "  two  spaces ",
    "",
]


def shown_lines(text: str) -> list[str]:
    """The lines of text `dot` draws for a label made from ``text`` (it skips empty lines)."""
    return [line for line in text.splitlines() if line]


def chain_named(names: list[str]):
    """``y = x * 1.0 * 1.0 ...``, one multiplication per name; the i-th result is named ``names[i]``."""
    x = mg.tensor([1.0])
    tensors = []
    y = x
    for _ in names:
        y = y * 1.0
        tensors.append(y)
    return y, dict(zip(names, tensors))


def node_keys(y, named: dict) -> dict[str, str]:
    """name -> the id of its node in the DOT source ("t" and the tensor's place in the walk)."""
    tensors = snapshot_graph(y).tensors
    return {
        name: f"t{next(i for i, t in enumerate(tensors) if t is tensor)}" for name, tensor in named.items()
    }


def check_reads_back(diagram) -> dict[str, list[str]]:
    """`dot` parses the source without a word, and sees its nodes and edges, no more and no less."""
    source = diagram.source
    nodes, edges = parsed(source)
    assert set(nodes) == set(source_nodes(source))
    assert edges == set(source_edges(source))
    return nodes


@pytest.mark.parametrize("name", NASTY)
def test_a_nasty_name_is_shown_as_it_is(name):
    y, names = chain_named([name])
    nodes = check_reads_back(build_graph(y, names=names))
    assert len(nodes) == 4  # x, the constant 1.0, Multiply and y
    assert nodes[node_keys(y, names)[name]] == shown_lines(name)


def test_all_nasty_names_in_one_graph():
    y, names = chain_named(NASTY)
    diagram = build_graph(y, names=names, dims=True, dtypes=True, sum_stats=True)
    nodes = check_reads_back(diagram)
    assert len(nodes) == 3 * len(NASTY) + 1
    for name, key in node_keys(y, names).items():
        assert nodes[key][: len(shown_lines(name))] == shown_lines(name)
        assert nodes[key][len(shown_lines(name)) :] == ["Dims: (1,)", "Dtype: float64"] + [
            f"{stat}: 1.0" for stat in ("Min", "Median", "Mean", "Max")
        ]


def test_control_characters_are_shown_as_codes():
    y, names = chain_named(["nul\x00x", "tab\there", "bell\x07", "rtl\u202eoverride", "nbsp\xa0ok"])
    nodes = check_reads_back(build_graph(y, names=names))
    texts = {lines[0] for lines in nodes.values() if lines}
    assert {"nul\\x00x", "tab\\x09here", "bell\\x07", "rtl\\u202eoverride", "nbsp ok"} <= texts


def test_operation_names_are_escaped_too():
    evil = 'Evil"]; injected [label="x"]; <b>'
    cls = type(evil, (Operation,), {"__call__": _call, "backward_var": _backward_var})
    y = mg.execute_op(cls, mg.tensor([1.0, 2.0]))
    nodes = check_reads_back(build_graph(y))
    assert len(nodes) == 3
    assert [evil] in nodes.values()


def _call(self, x):
    self.variables = (x,)
    return x.data * 1


def _backward_var(self, grad, index, **kwargs):
    return grad


def test_values_in_labels_are_escaped():
    # Without names, labels are reprs, which hold no quotes; with names, 0-d values. Both must read back.
    s = mg.tensor(-0.5)
    v = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = v * s
    for diagram in (build_graph(out), build_graph(out, names={}, sum_stats=True, dims=True, dtypes=True)):
        assert len(check_reads_back(diagram)) == 4


LABEL_CHARS = st.characters(categories=["L", "N", "P", "S", "Zs"]) | st.sampled_from(
    list('"\\{}<>&;[]= \n-#/*')
)


@given(st.lists(st.text(LABEL_CHARS, max_size=12), min_size=1, max_size=4, unique=True))
def test_any_names_read_back_exactly(names):
    y, named = chain_named(names)
    nodes = check_reads_back(build_graph(y, names=named))
    for name, key in node_keys(y, named).items():
        assert [line.replace("\xa0", " ") for line in nodes[key]] == [
            line.replace("\xa0", " ") for line in shown_lines(name)
        ]


@given(st.lists(st.text(max_size=12), min_size=1, max_size=4, unique=True))
def test_any_text_at_all_keeps_the_structure(names):
    y, named = chain_named(names)
    check_reads_back(build_graph(y, names=named, dims=True, dtypes=True))
