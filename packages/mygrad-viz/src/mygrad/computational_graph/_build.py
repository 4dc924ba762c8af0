"""``build_graph``: a Graphviz diagram of the graph recorded by ``_walk``."""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from mygrad import Tensor
from mygrad.computational_graph._walk import GraphSnapshot, check_terminal, walk

__all__ = ["GraphvizNotFoundError", "build_graph"]

# Formats that ``save=path`` renders with ``dot``, by file suffix; ".gv" and ".dot" save the source alone.
RENDERED_SUFFIXES = frozenset({"svg", "png", "pdf", "jpg", "jpeg", "gif", "ps", "eps"})
SOURCE_SUFFIXES = frozenset({"gv", "dot"})
DEFAULT_SAVE = "computational_graph.pdf"

CONSTANT_MARK = "*Constant*"
INTERMEDIATE = "Intermediate Tensor"
# Operations: a light red fill under black text (contrast 10.9:1, above WCAG's 7:1 "AAA" level; black on
# pure red is only 5.25:1 and hard to read), outlined in a dark red that stands out on white (6.7:1).
OP_FILL = "#f4a6a6"
OP_OUTLINE = "#b22222"
OP_ATTRS = f' style=filled fillcolor="{OP_FILL}" color="{OP_OUTLINE}" fontcolor=black'
ELIDED_ATTRS = " shape=box style=dashed"
ELIDED_KEY = "elided"
SPINE_ATTR = " group=spine"

# The directions the diagram may run in: Graphviz's `rankdir` values, inputs first.
RANKDIRS = {"TB": "top to bottom", "LR": "left to right"}
STAT_DIGITS = 4  # significant digits of the values and statistics in the labels

# From this many nodes on, the diagram is laid out compactly (see `_compact`).
LARGE_GRAPH = 60

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH. The `graphviz` Python package only writes the "
    "diagram's source; drawing it needs the Graphviz programs, installed separately:\n"
    "    Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "    conda:          conda install -c conda-forge graphviz\n"
    "    macOS:          brew install graphviz\n"
    "    others:         https://graphviz.org/download/\n"
    "Without it, build_graph still returns the Digraph, and save='graph.gv' writes its source."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` program, which is not installed (or not on PATH).

    A :class:`graphviz.ExecutableNotFound`, hence also a :class:`RuntimeError`, whose message says how to
    install Graphviz.

    Parameters
    ----------
    message : str, optional
        The error's message; by default, how to install Graphviz.

    Examples
    --------
    >>> from mygrad.computational_graph import GraphvizNotFoundError
    >>> issubclass(GraphvizNotFoundError, RuntimeError)
    True
    >>> str(GraphvizNotFoundError()).startswith("Graphviz's `dot` program was not found on PATH.")
    True
    """

    def __init__(self, message: str = INSTALL_HINT) -> None:
        RuntimeError.__init__(self, message)


def build_graph(
    fin: Tensor | GraphSnapshot,
    names: Mapping[str, Any] | None = None,
    *,
    render: bool = True,
    save: bool | str | os.PathLike[str] = False,
    dims: bool = False,
    dtypes: bool = False,
    sum_stats: bool = False,
    grads: bool = False,
    max_nodes: int | None = None,
    rankdir: str = "TB",
) -> graphviz.Digraph | None:
    r"""Draw the computational graph that produced ``fin``, with Graphviz.

    Tensors are drawn as ellipses and operations as ellipses filled in light red, labelled with the
    operation's class name; arrows go from each input tensor to the operation, and from the operation to
    its result.

    Parameters
    ----------
    fin : mygrad.Tensor or GraphSnapshot
        The last tensor of the computation (e.g. a loss); everything that led to it is drawn. Or a snapshot
        of a graph taken with :func:`snapshot_graph` before ``backward()`` cleared it.
    names : Mapping[str, Tensor | numpy.ndarray], optional
        Labels for the nodes, typically ``names=locals()``. A tensor of the graph that is a value of the
        mapping is labelled with its key; a tensor whose ``.data`` is an array of the mapping (a NumPy array
        used as an operand) is labelled with the key and ``*Constant*``. When ``names`` is given, the other
        tensors are labelled with their value if 0-d (to 4 significant digits), ``*Constant*`` if
        constant, else ``Intermediate Tensor``. Without ``names`` every tensor is labelled with its ``repr``.
    render : bool, default True
        Return the :class:`graphviz.Digraph` (a notebook displays it as a picture); False: return None.
    save : bool or str or os.PathLike, default False
        True: write ``computational_graph.pdf`` in the current directory. A path: write the diagram there,
        in the format its suffix names: ``.svg``, ``.png``, ``.pdf`` (also ``.jpg``, ``.gif``, ``.ps``,
        ``.eps``), or ``.gv``/``.dot`` for the Graphviz source alone (which needs no Graphviz programs).
    dims : bool, default False
        Add each tensor's shape (not for 0-d tensors).
    dtypes : bool, default False
        Add each tensor's dtype.
    sum_stats : bool, default False
        Add the minimum, median, mean and maximum of each tensor's data (not for 0-d tensors), rounded to 4
        significant digits.
    grads : bool, default False
        Add the shape and the minimum, median, mean and maximum of each tensor's gradient (rounded to 4
        significant digits), for the tensors that have one. Since ``backward()`` clears the graph, draw a
        :func:`snapshot_graph` taken before it.
    max_nodes : int, optional
        Draw at most this many nodes (tensors and operations): the half nearest the end of the
        computation and the half nearest its inputs, with one dashed box standing for all the nodes in
        between. By default every node is drawn.
    rankdir : {"TB", "LR"}, default "TB"
        The direction the diagram runs in, from the inputs to ``fin``: ``"TB"`` top to bottom (a column,
        as in MyGrad 2), ``"LR"`` left to right (a row: a long computation fits a wide screen or page
        better). The names are Graphviz's ``rankdir`` values.

    Returns
    -------
    graphviz.Digraph or None
        The diagram if ``render`` is true, else None.

    Raises
    ------
    TypeError
        If an argument has the wrong type (e.g. ``fin`` is not a Tensor, or a flag is not a bool).
    ValueError
        If ``fin``'s graph was cleared by ``backward()``; if ``save`` names an unknown format; if
        ``max_nodes`` is less than 1; if ``rankdir`` is neither ``"TB"`` nor ``"LR"``.
    GraphvizNotFoundError
        If ``save`` asks for a picture and Graphviz's ``dot`` program is not installed (a RuntimeError,
        whose message says how to install Graphviz).

    Notes
    -----
    ``backward()`` clears the computational graph (every tensor it backpropagates through loses its
    ``creator``), so build the diagram before calling it::

        diagram = build_graph(loss, names=locals())  # the graph is still there
        loss.backward()                              # ... and now it is gone

    Calling ``build_graph`` on a tensor whose graph was cleared raises a ValueError that says so. To show
    the gradients, record the graph with :func:`snapshot_graph` before ``backward()`` and draw the
    snapshot::

        kept = snapshot_graph(loss)
        loss.backward()
        build_graph(kept, names=locals(), grads=True)

    Rendering (``save`` to a picture format, or displaying the Digraph in a notebook) needs the Graphviz
    programs as well as the ``graphviz`` Python package (Debian: ``apt-get install graphviz``; conda:
    ``conda install -c conda-forge graphviz``; macOS: ``brew install graphviz``). Labels are escaped:
    names and values are shown as they are and cannot change the structure of the DOT source.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.computational_graph import build_graph
    >>> x = mg.tensor(2)
    >>> y = mg.tensor(3)
    >>> f = x * y
    >>> g = f + x - 2
    >>> diagram = build_graph(g, names=locals())
    >>> [op for op in ("Multiply", "Add", "Subtract") if op in diagram.source]
    ['Multiply', 'Add', 'Subtract']

    A long computation reads better from left to right, and the statistics of its tensors are rounded:

    >>> w = mg.tensor([0.1234567, -2.0, 3.5])
    >>> loss = (mg.tanh(w) ** 2).sum()
    >>> wide = build_graph(loss, names=locals(), sum_stats=True, rankdir="LR")
    >>> wide.graph_attr["rankdir"]
    'LR'
    >>> "Min: -2.0" in wide.source, "Median: 0.1235" in wide.source
    (True, True)
    """
    snapshot: GraphSnapshot | None = None
    if isinstance(fin, GraphSnapshot):
        snapshot = fin
    else:
        check_terminal(fin, "build_graph")
    if names is not None and not isinstance(names, Mapping):
        raise TypeError(
            "build_graph: `names` must be a mapping of names to tensors or arrays (e.g. `names=locals()`) "
            f"or None, got {type(names).__name__}"
        )
    flags = {"render": render, "dims": dims, "dtypes": dtypes, "sum_stats": sum_stats, "grads": grads}
    for flag, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"build_graph: `{flag}` must be True or False, got {value!r}")
    if max_nodes is not None:
        if isinstance(max_nodes, (bool, np.bool_)) or not isinstance(max_nodes, (int, np.integer)):
            raise TypeError(f"build_graph: `max_nodes` must be an int or None, got {max_nodes!r}")
        if max_nodes < 1:
            raise ValueError(f"build_graph: `max_nodes` must be at least 1, got {max_nodes}")
    if not isinstance(rankdir, str):
        raise TypeError(f'build_graph: `rankdir` must be "TB" or "LR" (a str), got {rankdir!r}')
    if rankdir not in RANKDIRS:
        known = ", ".join(f"{key!r} ({meaning})" for key, meaning in RANKDIRS.items())
        raise ValueError(f"build_graph: `rankdir` must be one of {known}, got {rankdir!r}")
    target = _save_target(save)

    if snapshot is None:
        assert not isinstance(fin, GraphSnapshot)
        snapshot = walk(fin)
    labeller = _Labeller(
        names, dims=bool(dims), dtypes=bool(dtypes), sum_stats=bool(sum_stats), grads=bool(grads)
    )
    graph = _draw(snapshot, labeller, None if max_nodes is None else int(max_nodes))
    graph.graph_attr["rankdir"] = rankdir

    if target is not None:
        path, fmt = target
        if fmt is None:
            path.write_text(graph.source, encoding="utf-8")
        else:
            path.write_bytes(pipe(graph, fmt))
    return graph if render else None


def pipe(graph: graphviz.Digraph, fmt: str) -> bytes:
    """Render ``graph`` in format ``fmt`` with ``dot``; say how to install Graphviz if it is missing."""
    try:
        return graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as err:
        raise GraphvizNotFoundError() from err


def _save_target(save: Any) -> tuple[Path, str | None] | None:
    """Where ``save`` asks to write the diagram, and in which format (None: the DOT source)."""
    if isinstance(save, (bool, np.bool_)):
        return (Path(DEFAULT_SAVE), "pdf") if save else None
    if not isinstance(save, (str, os.PathLike)):
        raise TypeError(
            f"build_graph: `save` must be True, False or a file path (str or os.PathLike), got {save!r}"
        )
    path = Path(save)
    suffix = path.suffix.lower().lstrip(".")
    if suffix in SOURCE_SUFFIXES:
        return path, None
    if suffix in RENDERED_SUFFIXES:
        return path, suffix
    known = ", ".join(f".{s}" for s in sorted(RENDERED_SUFFIXES | SOURCE_SUFFIXES))
    raise ValueError(
        f"build_graph: cannot tell the format to save in from the file name {str(save)!r}: its suffix must "
        f"be one of {known}"
    )


# ----------------------------------------------------------------------------------------------- labels


def escape_line(text: str) -> str:
    """One line of a label as DOT source text, to be shown as it is.

    Backslashes are taken literally (graphviz's escaping), ``&`` too (Graphviz would read ``&lt;`` or
    ``&amp;`` in a label as a character entity), and characters that have no business in a label
    (control characters, for one) are shown as Python-style escape codes."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else _code(ch) for ch in text)
    return graphviz.escape(text).replace("&", "&amp;")


def _code(ch: str) -> str:
    if unicodedata.category(ch) == "Zs":  # non-breaking and other spaces are harmless
        return ch
    point = ord(ch)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def make_label(lines: list[str]) -> str:
    """A multi-line label: each line escaped, joined by DOT's centred line break, never an HTML label."""
    parts = []
    for line in lines:
        parts.extend(escape_line(part) for part in line.splitlines() or [""])
    return graphviz.nohtml("\\n".join(parts))


def quoted(label: str) -> str:
    """``label`` (made by `make_label`) as a DOT double-quoted string.

    `make_label` ran every piece of text through ``graphviz.escape``, which doubles each backslash, so no
    double quote in ``label`` is escaped yet: escaping each one keeps the string closed until its end."""
    return '"' + label.replace('"', '\\"') + '"'


def rounded(value: Any) -> str:
    """A value or statistic for a label: a floating-point value to `STAT_DIGITS` significant digits
    (``1.0``, ``0.1235``, ``1.235e+05``, ``nan``), anything else (integers, booleans) as it is."""
    if not isinstance(value, (float, np.floating)):
        return str(value)
    text = f"{value:.{STAT_DIGITS}g}"
    return text + ".0" if text.lstrip("-").isdigit() else text  # still reads as a float


def _stats(prefix: str, values: np.ndarray) -> list[str]:
    if values.size == 0:
        return [f"{prefix}Min/Median/Mean/Max: none (empty)"]
    with np.errstate(all="ignore"):
        return [
            f"{prefix}Min: {rounded(np.amin(values))}",
            f"{prefix}Median: {rounded(np.median(values))}",
            f"{prefix}Mean: {rounded(np.mean(values))}",
            f"{prefix}Max: {rounded(np.amax(values))}",
        ]


class _Labeller:
    """The label rules (MyGrad 2's, plus gradients)."""

    def __init__(self, names: Mapping[str, Any] | None, **options: bool) -> None:
        self.names_given = names is not None
        self.options = options
        # id of a named tensor (or array) -> its name; a public-looking name wins over one starting with "_"
        # (notebooks keep results under `_`, `_1`, ...), otherwise the first name wins.
        self.tensor_names: dict[int, str] = {}
        self.array_names: dict[int, str] = {}
        self._keep: list[Any] = []  # the named objects, so that their ids stay theirs
        for key, value in (names or {}).items():
            if not isinstance(key, str):
                raise TypeError(f"build_graph: the keys of `names` must be strings, got {key!r}")
            if isinstance(value, Tensor):
                table = self.tensor_names
            elif isinstance(value, np.ndarray):
                table = self.array_names
            else:
                continue
            old = table.get(id(value))
            if old is None or (old.startswith("_") and not key.startswith("_")):
                table[id(value)] = key
                self._keep.append(value)

    def array_name(self, tensor: Tensor) -> str | None:
        """The name of ``tensor``'s data array, if it is named (and the tensor itself is not)."""
        if not self.array_names or id(tensor) in self.tensor_names:
            return None
        return self.array_names.get(id(tensor.data))

    def tensor(self, tensor: Tensor) -> str:
        opts = self.options
        data = tensor.data
        ndim = data.ndim
        name = self.tensor_names.get(id(tensor))
        if name is not None:
            lines = [name]
        elif (array_name := self.array_name(tensor)) is not None:
            lines = [array_name, CONSTANT_MARK]
        elif not self.names_given:
            lines = [repr(tensor)]
        elif ndim == 0:
            lines = [rounded(data[()])]
        elif tensor.constant:
            lines = [CONSTANT_MARK]
        else:
            lines = [INTERMEDIATE]
        if ndim and opts["dims"]:
            lines.append(f"Dims: {tensor.shape}")
        if opts["dtypes"]:
            lines.append(f"Dtype: {tensor.dtype}")
        if ndim and opts["sum_stats"]:
            lines += _stats("", data)
        if opts["grads"]:
            grad = tensor.grad
            if grad is not None:
                grad = np.asarray(grad)
                if grad.ndim == 0:
                    lines.append(f"Grad: {rounded(grad[()])}")
                else:
                    lines.append(f"Grad shape: {grad.shape}")
                    lines += _stats("Grad ", grad)
        return make_label(lines)


# ---------------------------------------------------------------------------------------------- drawing


def _draw(snapshot: GraphSnapshot, labeller: _Labeller, max_nodes: int | None) -> graphviz.Digraph:
    tensors = snapshot.tensors
    n_tensors = len(tensors)
    depths = snapshot.depths

    # One node per tensor, except that tensors labelled by the same named array share one node.
    keys: list[str] = []
    first_tensor: dict[str, int] = {}  # node key -> the tensor it shows
    node_depth: dict[str, int] = {}
    array_keys: dict[int, str] = {}
    for i, tensor in enumerate(tensors):
        key = f"t{i}"
        if labeller.array_names and labeller.array_name(tensor) is not None:
            key = array_keys.setdefault(id(tensor.data), f"a{len(array_keys)}")
        keys.append(key)
        if key not in first_tensor:
            first_tensor[key] = i
            node_depth[key] = depths[i]
        else:
            node_depth[key] = max(node_depth[key], depths[i])
    op_keys = [f"op{j}" for j in range(len(snapshot.op_names))]
    for j, key in enumerate(op_keys):
        node_depth[key] = depths[n_tensors + j]

    # Nodes from the inputs down to the end of the computation (ties: in the order the walk met them).
    order = sorted(node_depth, key=node_depth.__getitem__, reverse=True)  # stable for ties
    elided: set[str] = set()
    if max_nodes is not None and len(order) > max_nodes:
        near_end = math.ceil(max_nodes / 2)  # fin is always among them
        elided = set(order[max_nodes - near_end : len(order) - near_end])

    graph = graphviz.Digraph(strict=True)
    graph.node_attr["fontsize"] = "12"
    if len(order) - len(elided) >= LARGE_GRAPH:
        _compact(graph)
    # The DOT lines are written here rather than by `graph.node`/`graph.edge`, which cost ~15 us a call (a
    # graph of 10^5 operations has 3 * 10^5 nodes and as many edges). Keys are plain identifiers; labels
    # are escaped by `make_label` and quoted by `quoted`.
    body = graph.body
    op_names = snapshot.op_names
    spine = _spine(snapshot, keys, op_keys)
    op_lines = {name: f" [label={quoted(make_label([name]))}{OP_ATTRS}" for name in set(op_names)}
    marker_done = False
    for key in order:
        if key in elided:
            if not marker_done:
                marker_done = True
                label = make_label([f"... {len(elided):,} more nodes ...", f"(max_nodes={max_nodes})"])
                body.append(f"\t{ELIDED_KEY} [label={quoted(label)}{ELIDED_ATTRS}]\n")
        else:
            group = SPINE_ATTR if key in spine else ""
            if key[0] == "o":
                body.append(f"\t{key}{op_lines[op_names[int(key[2:])]]}{group}]\n")
            else:
                label = labeller.tensor(tensors[first_tensor[key]])
                body.append(f"\t{key} [label={quoted(label)}{group}]\n")

    # Edges in the order the walk met them, once each; those to or from elided nodes go to the marker.
    pairs = [(keys[ti], op_keys[oj]) for ti, oj in snapshot.inputs]
    pairs += [(op_keys[oj], keys[ti]) for oj, ti in snapshot.outputs]
    if elided:
        pairs = [(ELIDED_KEY if t in elided else t, ELIDED_KEY if h in elided else h) for t, h in pairs]
    body.extend(f"\t{tail} -> {head}\n" for tail, head in dict.fromkeys(pairs) if tail != head)
    return graph


def _spine(snapshot: GraphSnapshot, keys: list[str], op_keys: list[str]) -> set[str]:
    """The nodes of the main path, from ``fin`` up through each operation's first input that was itself
    computed (or its first input, at the start). Graphviz keeps the nodes of one ``group`` in a straight
    line, so that a deep graph runs down a vertical spine instead of drifting sideways at every layer."""
    producer: dict[int, int] = {}
    for oj, ti in snapshot.outputs:
        producer.setdefault(ti, oj)
    inputs: dict[int, list[int]] = {}
    for ti, oj in snapshot.inputs:
        inputs.setdefault(oj, []).append(ti)
    spine = {keys[0]}
    ti = 0
    while ti in producer:
        oj = producer[ti]
        if op_keys[oj] in spine:  # a loop (in-place operations can make one)
            break
        spine.add(op_keys[oj])
        operands = inputs.get(oj, [])
        computed = [v for v in operands if v in producer]
        if not operands:
            break
        ti = computed[0] if computed else operands[0]
        spine.add(keys[ti])
    return spine


def _compact(graph: graphviz.Digraph) -> None:
    """Settings that keep a graph of hundreds of nodes legible."""
    graph.graph_attr.update(ranksep="0.3", nodesep="0.2")
