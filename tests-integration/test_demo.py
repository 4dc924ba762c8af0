"""The demo (demo/train_shapes.py) in --quick mode: it trains, reports its progress and draws its graph."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "demo" / "train_shapes.py"


def test_quick_demo_trains_reports_and_draws(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(DEMO), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert len(epochs) == 2, done.stdout
    pattern = r"epoch \d+/2  loss [\d.]+  train acc [\d.]+%  test acc [\d.]+%  [\d,]+ examples/s"
    assert all(re.fullmatch(pattern, line) for line in epochs), epochs
    assert any(re.fullmatch(r"final test accuracy: [\d.]+% .*", line) for line in lines), done.stdout

    graph = out / ("graph.svg" if shutil.which("dot") else "graph.gv")
    assert graph.is_file(), (sorted(p.name for p in out.iterdir()), done.stdout)
    assert f"wrote {graph}" in done.stdout
    if graph.suffix == ".svg":
        assert "<svg" in graph.read_text()
    else:
        assert "Graphviz" in done.stdout  # it says how to install dot

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "matplotlib is not installed" in done.stdout
    else:
        assert (out / "training.png").is_file()
