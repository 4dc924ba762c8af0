"""The benchmark workloads, in the order of the report."""

from __future__ import annotations

from workloads import conv, deep_graph, einsum, elementwise, gru, hinge, mlp, pool
from workloads._common import NotAvailable, Workload, set_memory_guard


def all_workloads(quick: bool) -> list[Workload]:
    modules = (elementwise, deep_graph, hinge, mlp, conv, pool, gru, einsum)
    found = [w for module in modules for w in module.workloads(quick)]
    order = ["op-overhead", "deep-graph", "hinge-indexing", "elementwise-large"]
    return sorted(found, key=lambda w: order.index(w.name) if w.name in order else len(order))


__all__ = ["NotAvailable", "Workload", "all_workloads", "set_memory_guard"]
