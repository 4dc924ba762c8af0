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
    """Operation label -> how many operation nodes have it (operations are the filled nodes)."""
    counts: dict[str, int] = {}
    for label, attrs in source_nodes(source).values():
        if "style=filled" in attrs:
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


def node_centres(svg: bytes) -> dict[str, tuple[float, float]]:
    """node id -> the centre of its shape in the SVG `dot` drew (x to the right, y downwards)."""
    centres = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        shape = next(e for e in group if e.tag in (f"{SVG}ellipse", f"{SVG}polygon"))
        if shape.tag == f"{SVG}ellipse":
            centre = (float(shape.get("cx")), float(shape.get("cy")))
        else:  # a box: the middle of its corners (the first is repeated at the end)
            corners = [tuple(map(float, point.split(","))) for point in shape.get("points").split()[:-1]]
            centre = (sum(x for x, _ in corners) / len(corners), sum(y for _, y in corners) / len(corners))
        centres[group.find(f"{SVG}title").text] = centre
    return centres


def svg_size(svg: bytes) -> tuple[float, float]:
    """The drawing's width and height, in points."""
    root = ET.fromstring(svg)
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


# SVG's named colours that `dot` writes, besides "#rrggbb"
_NAMED = {"black": "#000000", "white": "#ffffff"}


def node_colours(svg: bytes) -> dict[str, tuple[str, str, list[str]]]:
    """node id -> (fill, outline, the fill of each line of text) as drawn, "#rrggbb" (lower case).

    A shape with no fill shows the page's white background; text with no fill is black (SVG's default)."""
    colours = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        shape = next(e for e in group if e.tag in (f"{SVG}ellipse", f"{SVG}polygon", f"{SVG}path"))
        fill = shape.get("fill", "none")
        fill = "white" if fill == "none" else fill
        texts = [t.get("fill", "black") for t in group.iter(f"{SVG}text")]
        colours[group.find(f"{SVG}title").text] = (
            _hex(fill),
            _hex(shape.get("stroke", "black")),
            [_hex(t) for t in texts],
        )
    return colours


def _hex(colour: str) -> str:
    colour = _NAMED.get(colour, colour).lower()
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    return colour


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two "#rrggbb" colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
