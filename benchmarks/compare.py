"""Put two result files of ``benchmarks/run.py`` side by side: ours and the reference, as multiples of the floor.

Usage::

    python benchmarks/compare.py                                   # results/mygrad.json vs results/mygrad-2.5.0.json
    python benchmarks/compare.py OURS.json REFERENCE.json [--markdown]

Each run measured its own floor (the same NumPy code) in its own environment, so the two "x floor" columns are
comparable even though the absolute times come from different processes; the header says whether the two
environments (NumPy, Python, CPU, quick or full sizes) match.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        sys.exit(f"compare.py: no results at {path} (run benchmarks/run.py first)")


def _ratio(result: dict[str, Any] | None) -> str:
    if result is None:
        return "-"
    if result["status"] != "ok":
        return result["status"]
    q1, q3 = result["ratio_quartiles"]
    return f"{result['ratio']:.2f} [{q1:.2f}-{q3:.2f}]"


def _mem(result: dict[str, Any] | None) -> str:
    if result is None or result["status"] != "ok" or result.get("mem_ratio") is None:
        return "-"
    return f"{result['mem_ratio']:.2f}"


def _peak(result: dict[str, Any] | None) -> str:
    if result is None or result["status"] != "ok":
        return "-"
    n = result["mygrad"]["peak_bytes"]
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def _verdict(result: dict[str, Any] | None) -> str:
    if result is None or result["status"] != "ok" or result["target"] is None:
        return ""
    verdict = "yes" if result["ratio"] <= result["target"] else "no"
    if result.get("mem_target") is not None and result.get("mem_ratio") is not None:
        verdict += ", mem " + ("yes" if result["mem_ratio"] <= result["mem_target"] else "no")
    return verdict


def _speedup(ours: dict[str, Any] | None, ref: dict[str, Any] | None) -> str:
    """How many times faster ours is than the reference, as the ratio of the two floor multiples."""
    if ours is None or ref is None or ours["status"] != "ok" or ref["status"] != "ok":
        return "-"
    return f"{ref['ratio'] / ours['ratio']:.2f}"


def rows(ours: dict[str, Any], ref: dict[str, Any]) -> list[list[str]]:
    ours_by_name = {r["name"]: r for r in ours["workloads"]}
    ref_by_name = {r["name"]: r for r in ref["workloads"]}
    names = list(ours_by_name) + [n for n in ref_by_name if n not in ours_by_name]
    table = [["workload", "size", "target", f"{ours['label']} x floor", f"{ref['label']} x floor",
              "speedup", "meets target", "peak mem (ours / ref)", "mem x floor (ours / ref)"]]  # fmt: skip
    for name in names:
        o, r = ours_by_name.get(name), ref_by_name.get(name)
        any_result = o or r
        target = any_result["target"]
        table.append([
            name,
            any_result["what"],
            f"<= {target:g}" if target is not None else "",
            _ratio(o),
            _ratio(r),
            _speedup(o, r),
            _verdict(o),
            f"{_peak(o)} / {_peak(r)}",
            f"{_mem(o)} / {_mem(r)}",
        ])  # fmt: skip
    return table


def render(table: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in table]
        lines.insert(1, "|" + "|".join("---" for _ in table[0]) + "|")
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def describe(report: dict[str, Any]) -> str:
    env, settings = report["environment"], report["settings"]
    return (
        f"{report['label']}: mygrad {env['mygrad_version']}, numpy {env['numpy_version']}, "
        f"Python {env['python_version']}, {env['cpu']['model']} ({env['cpu']['usable_cpus']} usable CPUs), "
        f"BLAS {env['blas_threads']['numpy_blas']} pinned to 1 thread, "
        f"{'quick' if settings['quick'] else 'full'} sizes, {settings['repeats']} samples, "
        f"{'memory guard ' + settings['guard'] + ', ' if settings.get('guard') else ''}"
        f"{env['timestamp']}"
    )


def mismatches(ours: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    notes = []
    for key in ("numpy_version", "python_version"):
        if ours["environment"][key] != ref["environment"][key]:
            notes.append(f"{key} differs: {ours['environment'][key]} vs {ref['environment'][key]}")
    if ours["environment"]["cpu"]["model"] != ref["environment"]["cpu"]["model"]:
        notes.append("the two runs were on different CPUs")
    if ours["settings"]["quick"] != ref["settings"]["quick"]:
        notes.append("one run is --quick and the other is not: the sizes differ")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours", nargs="?", type=Path, default=RESULTS_DIR / "mygrad.json")
    parser.add_argument("reference", nargs="?", type=Path, default=RESULTS_DIR / "mygrad-2.5.0.json")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    ours, ref = _load(args.ours), _load(args.reference)
    print(describe(ours))
    print(describe(ref))
    for note in mismatches(ours, ref):
        print(f"note: {note}")
    print()
    print(render(rows(ours, ref), args.markdown))
    print(
        '\n"x floor": time per iteration over that of hand-written NumPy forward + backward, measured in the '
        "same process\n(median of interleaved samples, [quartiles]); speedup = reference x floor / ours x floor; "
        "peak mem: tracemalloc over one step; mem x floor: over the floor's peak."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
