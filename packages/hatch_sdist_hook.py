"""Hatchling build hook shared by the three distributions' sdists: leave out the repository's .gitignore.

Hatchling copies the nearest .gitignore above a project into its sdist. Here that is the monorepo's own
(virtual environments, caches, docs output), which describes none of the distribution's files.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SdistHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        forced = build_data["force_include"]
        for source in [source for source, target in forced.items() if target == ".gitignore"]:
            del forced[source]
