"""pluggy hook specifications through which installed distributions contribute plugins.

A distribution exposes an object (usually a module) under the ``brainscore`` entry-point group::

    [project.entry-points.brainscore]
    my_models = "my_package.brainscore_plugin"

and implements one or more of these hooks, decorated with :data:`hookimpl`.
"""

from __future__ import annotations

from typing import Any

import pluggy

from ..registry import Registry

__all__ = ["PROJECT_NAME", "BrainscoreHookSpecs", "hookimpl", "hookspec"]

PROJECT_NAME = "brainscore"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class BrainscoreHookSpecs:
    """The hooks a ``brainscore`` entry-point plugin may implement (each with any subset of the arguments)."""

    @hookspec
    def brainscore_register(
        self,
        models: Registry[Any],
        benchmarks: Registry[Any],
        metrics: Registry[Any],
        ceilings: Registry[Any],
        data: Registry[Any],
        stimulus_sets: Registry[Any],
        registries: dict[str, Registry[Any]],
    ) -> None:
        """Register identifiers; called once per plugin, at discovery. Register factories, never built objects,
        so listing stays fast::

            @hookimpl
            def brainscore_register(models):
                models["my-model"] = lazy("my_package.model", "build")

        :param models: the model registry (also ``benchmarks``, ``metrics``, ``ceilings``, ``data``,
            ``stimulus_sets``: name the ones you register into).
        :param registries: all registries by name (the keys above), for plugins written against that form.
        """

    @hookspec
    def brainscore_plugin_directories(self) -> list[str]:
        """Return extra plugin directories (same layout as ``example_plugins``) to discover.

        :return: paths of plugin directories, each imported like one given with ``--plugins``.
        """
        return []  # a specification: pluggy calls the implementations, never this body
