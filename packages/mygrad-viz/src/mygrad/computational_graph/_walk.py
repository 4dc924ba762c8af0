"""Collecting a computational graph into plain lists, through mygrad's public attributes only.

The walk reads ``tensor.creator`` and ``creator.variables`` and nothing else of the engine. It is a
breadth-first loop (no recursion), so the depth of the graph is limited by memory, not by Python's
recursion limit, and it visits each tensor and each operation once, so a graph that loops back on itself
through public attributes (which in-place operations can produce) still ends.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from mygrad import Tensor

__all__ = ["GraphSnapshot", "check_terminal", "snapshot_graph", "walk"]


class GraphSnapshot:
    """The structure of a computational graph, recorded so that it outlives ``backward()``.

    ``backward()`` disconnects every tensor of a graph from the operation that created it, so the graph can
    no longer be walked afterwards. A snapshot, taken before, remembers which tensors fed which operations.
    It holds the tensors themselves (so their data, and their ``.grad`` once backward has run) but not the
    operation objects, only their names: keeping a snapshot does not keep the graph alive, and the memory
    guard releases the graph's arrays as usual after ``backward()``.

    Make one with :func:`snapshot_graph` and draw it with ``build_graph(snapshot, grads=True)``.

    Attributes
    ----------
    tensors : tuple[mygrad.Tensor, ...]
        Every tensor of the graph; ``tensors[0]`` is the terminal tensor the snapshot was taken from.
    op_names : tuple[str, ...]
        The class name of each operation of the graph.
    inputs : tuple[tuple[int, int], ...]
        ``(tensor_index, op_index)``: the tensor is an input of the operation.
    outputs : tuple[tuple[int, int], ...]
        ``(op_index, tensor_index)``: the operation produced the tensor.
    depths : tuple[int, ...]
        For each tensor, then for each operation: the length of the longest path from it to the terminal
        tensor (0 for the terminal), so that every node is deeper than the nodes it feeds.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.computational_graph import snapshot_graph
    >>> x = mg.tensor([1.0, 2.0])
    >>> loss = (x * x).sum()
    >>> snapshot = snapshot_graph(loss)
    >>> snapshot.op_names
    ('Sum', 'Multiply')
    >>> snapshot.tensors[0] is loss, snapshot.tensors[-1] is x
    (True, True)
    >>> snapshot.outputs  # Sum (op 0) made tensor 0, Multiply (op 1) made tensor 1
    ((0, 0), (1, 1))
    >>> snapshot.inputs  # tensor 1 feeds Sum; x (tensor 2) feeds Multiply twice
    ((1, 0), (2, 1), (2, 1))
    >>> loss.backward()  # clears the graph, but not the snapshot
    >>> loss.creator is None, snapshot.tensors[-1].grad
    (True, array([2., 4.]))
    """

    __slots__ = ("tensors", "op_names", "inputs", "outputs", "depths")

    def __init__(
        self,
        tensors: tuple[Tensor, ...],
        op_names: tuple[str, ...],
        inputs: tuple[tuple[int, int], ...],
        outputs: tuple[tuple[int, int], ...],
        depths: tuple[int, ...],
    ) -> None:
        self.tensors = tensors
        self.op_names = op_names
        self.inputs = inputs
        self.outputs = outputs
        self.depths = depths

    def __len__(self) -> int:
        """The number of nodes (tensors and operations) of the graph."""
        return len(self.tensors) + len(self.op_names)

    def __repr__(self) -> str:
        return f"<GraphSnapshot: {len(self.tensors)} tensors, {len(self.op_names)} operations>"


def walk(fin: Tensor) -> GraphSnapshot:
    """Record the graph that ends at ``fin`` (breadth first, from ``fin`` towards the inputs)."""
    tensors: list[Tensor] = [fin]
    tensor_index: dict[int, int] = {id(fin): 0}
    op_names: list[str] = []
    op_index: dict[int, int] = {}
    ops_seen: list[Any] = []  # keeps every operation alive during the walk, so that its id() stays unique
    inputs: list[tuple[int, int]] = []
    outputs: list[tuple[int, int]] = []

    queue = deque([0])
    while queue:
        ti = queue.popleft()
        op = tensors[ti].creator
        if op is None:
            continue
        oi = op_index.get(id(op))
        outputs.append((len(op_names) if oi is None else oi, ti))
        if oi is not None:  # an operation reached again, from another of its results
            continue
        oi = len(op_names)
        op_index[id(op)] = oi
        ops_seen.append(op)
        op_names.append(type(op).__name__)
        for var in getattr(op, "variables", ()):
            if not isinstance(var, Tensor):
                continue
            vi = tensor_index.get(id(var))
            if vi is None:
                vi = len(tensors)
                tensor_index[id(var)] = vi
                tensors.append(var)
                queue.append(vi)
            inputs.append((vi, oi))

    depths = _depths(len(tensors), len(op_names), inputs, outputs)
    return GraphSnapshot(tuple(tensors), tuple(op_names), tuple(inputs), tuple(outputs), depths)


def _depths(
    n_tensors: int, n_ops: int, inputs: list[tuple[int, int]], outputs: list[tuple[int, int]]
) -> tuple[int, ...]:
    """Longest distance from each node to the terminal (node 0), visiting a node once all the nodes it
    feeds are done (Kahn's algorithm, backwards). Nodes are numbered tensors first, then operations.

    A graph that in-place operations made loop on itself (seen through public attributes) has nodes that
    never become ready: the lowest-numbered of them is then taken as it is, which breaks its loop."""
    n = n_tensors + n_ops
    feeds = [0] * n  # number of edges out of each node
    fed_by: list[list[int]] = [[] for _ in range(n)]
    for ti, oj in inputs:
        feeds[ti] += 1
        fed_by[n_tensors + oj].append(ti)
    for oj, ti in outputs:
        feeds[n_tensors + oj] += 1
        fed_by[ti].append(n_tensors + oj)

    depth = [0] * n
    done = [False] * n
    ready = [0]
    next_unfinished = 0
    while True:
        while ready:
            node = ready.pop()
            done[node] = True
            below = depth[node] + 1
            for source in fed_by[node]:
                if depth[source] < below:
                    depth[source] = below
                feeds[source] -= 1
                if feeds[source] == 0:
                    ready.append(source)
        while next_unfinished < n and done[next_unfinished]:
            next_unfinished += 1
        if next_unfinished == n:
            return tuple(depth)
        # Only nodes on loops (or fed by them) are left: take one as if everything it feeds were done.
        feeds[next_unfinished] = -1
        depth[next_unfinished] = max(depth[next_unfinished], 1)  # only the terminal is at depth 0
        ready.append(next_unfinished)


def snapshot_graph(fin: Tensor) -> GraphSnapshot:
    """Record the structure of ``fin``'s computational graph, to draw it after ``backward()``.

    ``backward()`` clears the graph it backpropagates through, and ``build_graph`` needs the graph. Take a
    snapshot before calling ``backward()``, then pass the snapshot to ``build_graph`` in place of the
    tensor, with ``grads=True`` to show the gradients that backward computed.

    Parameters
    ----------
    fin : mygrad.Tensor
        The terminal tensor of the graph (e.g. a loss).

    Returns
    -------
    GraphSnapshot

    Raises
    ------
    TypeError
        If ``fin`` is not a Tensor.
    ValueError
        If ``fin``'s graph was already cleared by ``backward()``.

    Examples
    --------
    >>> import mygrad as mg
    >>> from mygrad.computational_graph import build_graph, snapshot_graph
    >>> x = mg.tensor([1.0, 2.0])
    >>> loss = (x * x).sum()
    >>> kept = snapshot_graph(loss)
    >>> loss.backward()
    >>> diagram = build_graph(kept, names={"x": x, "loss": loss}, grads=True)
    >>> "Grad" in diagram.source
    True
    """
    check_terminal(fin, "snapshot_graph")
    return walk(fin)


def check_terminal(fin: Any, caller: str) -> None:
    """Refuse anything but a Tensor whose graph can still be walked, saying why."""
    if not isinstance(fin, Tensor):
        raise TypeError(
            f"{caller}: `fin` must be a mygrad.Tensor (the last tensor of the computation to draw)"
            f"{' or a GraphSnapshot' if caller == 'build_graph' else ''}, got {type(fin).__name__}"
        )
    if fin.creator is None and fin.grad is not None:
        raise ValueError(
            f"{caller}: this tensor has a gradient but no creator, which is what `backward()` leaves: "
            "backward clears the computational graph it backpropagates through (every tensor of it loses its "
            "creator), so there is no graph left to draw. Call build_graph before backward():\n"
            "    diagram = build_graph(loss, names=locals())\n"
            "    loss.backward()\n"
            "To draw the gradients as well, record the graph before backward() and draw the record:\n"
            "    kept = snapshot_graph(loss)\n"
            "    loss.backward()\n"
            "    diagram = build_graph(kept, names=locals(), grads=True)"
        )
