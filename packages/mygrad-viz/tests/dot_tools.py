"""Reading diagrams back: from the DOT source text, and from what Graphviz's `dot` makes of it (SVG)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

_NODE_LINE = re.compile(r'^\t(\w+) \[label="((?:[^"\\]|\\.)*)"(.*)\]$')
_EDGE_LINE = re.compile(r"^\t(\w+) -> (\w+)$")


def require_dot() -> str:
    dot = shutil.which("dot")
    assert dot is not None, (
        "Graphviz's `dot` is needed by these tests (they render for real): `apt-get install graphviz`"
    )
    return dot


def source_nodes(source: str) -> dict[str, tuple[str, str]]:
    """node id -> (label as written in the DOT source, the other attributes) from build_graph's source."""
    nodes = {}
    for line in source.splitlines():
        m = _NODE_LINE.match(line)
        if m:
            nodes[m.group(1)] = (m.group(2), m.group(3).strip())
    return nodes


def source_edges(source: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in map(_EDGE_LINE.match, source.splitlines()) if m]


def labelled_edges(source: str) -> set[tuple[str, str]]:
    """Edges as (tail label, head label) pairs, from the DOT source."""
    nodes = source_nodes(source)
    return {(nodes[t][0], nodes[h][0]) for t, h in source_edges(source)}


def op_counts(source: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label, attrs in source_nodes(source).values():
        if "fillcolor=red" in attrs:
            counts[label] = counts.get(label, 0) + 1
    return counts


def svg_of(source: str) -> bytes:
    """Lay ``source`` out with `dot` (which fails on a syntax error) and return the SVG."""
    done = subprocess.run(
        [require_dot(), "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert not done.stderr.strip(), done.stderr.decode(errors="replace")  # no syntax warnings either
    return done.stdout


def svg_graph(svg: bytes) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    """What `dot` understood: node id -> the lines of text drawn in it, and the edges (tail id, head id)."""
    root = ET.fromstring(svg)
    nodes: dict[str, list[str]] = {}
    edges: set[tuple[str, str]] = set()
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = group.find(f"{SVG}title")
        if kind == "node":
            # dot writes runs of spaces with non-breaking ones, to keep them
            nodes[title.text] = [(t.text or "").replace("\xa0", " ") for t in group.iter(f"{SVG}text")]
        elif kind == "edge":
            tail, head = title.text.split("->")
            edges.add((tail, head))
    return nodes, edges


def parsed(source: str) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    return svg_graph(svg_of(source))
