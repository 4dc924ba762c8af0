"""mygrad.computational_graph: diagrams of mygrad's computational graphs, drawn with Graphviz.

>>> import mygrad as mg
>>> from mygrad.computational_graph import build_graph
>>> w = mg.tensor([0.5, -1.0])
>>> loss = mg.sum(w**2)
>>> diagram = build_graph(loss, names={"w": w, "loss": loss})  # a graphviz.Digraph: a notebook shows it

Rendering needs Graphviz's ``dot`` program besides the ``graphviz`` Python package (Debian:
``apt-get install graphviz``); without it, saving a picture raises :class:`GraphvizNotFoundError`.
``backward()`` clears the graph: draw it before, or draw a :func:`snapshot_graph` taken before.
"""

from mygrad.computational_graph._build import GraphvizNotFoundError, build_graph
from mygrad.computational_graph._version import __version__
from mygrad.computational_graph._walk import GraphSnapshot, snapshot_graph

__all__ = ["GraphSnapshot", "GraphvizNotFoundError", "build_graph", "snapshot_graph"]

# Public names say where to import them from (in reprs, tracebacks and `help`), not the private module
# that defines them: `except mygrad.computational_graph.GraphvizNotFoundError` is what a user writes.
for _public in (GraphSnapshot, GraphvizNotFoundError, build_graph, snapshot_graph):
    _public.__module__ = __name__
del _public
