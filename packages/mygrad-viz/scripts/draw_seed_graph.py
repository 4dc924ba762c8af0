"""Draw the computational graph of the seed example as the SVG that the README shows.

Run from anywhere (needs mygrad-viz installed and Graphviz's `dot` on PATH)::

    python packages/mygrad-viz/scripts/draw_seed_graph.py [OUTPUT.svg]

By default it writes docs/_static/seed_graph.svg at the root of the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mygrad as mg
from mygrad.computational_graph import build_graph

DEFAULT_OUTPUT = Path(__file__).resolve().parents[3] / "docs" / "_static" / "seed_graph.svg"


def draw(output: Path) -> None:
    # The example of the README (and of MyGrad's introduction), as it is written there.
    x = mg.tensor(2.0)
    y = mg.tensor(3.0)
    f = x * y
    g = f + x - 2
    build_graph(g, names=locals(), save=output)


def main(argv: list[str]) -> None:
    if len(argv) > 1:
        raise SystemExit("usage: draw_seed_graph.py [OUTPUT.svg]")
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    draw(output)
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1:])
