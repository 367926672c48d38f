"""Extract the enum values and integer fields of the Jobs and Pipelines API from the pinned
databricks-sdk into mlops_iac/provider_facts/api_enums.json (read at synth time without importing the SDK,
which is large). A test fails when the committed file differs from what the installed SDK gives.

Usage: python -m mlops_iac.provider_facts.extract_enums

The SDK's dataclasses (`databricks.sdk.service.jobs.JobSettings`, `pipelines.PipelineSpec` and
everything they reach, including `compute.ClusterSpec`) are generated from the API's own
specification and name fields as the API does, so a spec written in the API shape maps onto them
path by path. Paths use '*' for list items: ("tasks", "*", "condition_task", "op").
"""
from __future__ import annotations

import dataclasses
import enum
import json
import typing
from pathlib import Path as FilePath
from typing import Any, Iterator

OUTPUT = FilePath(__file__).with_name("api_enums.json")

Path = tuple[str, ...]


def _roots() -> dict[str, type]:
    from databricks.sdk.service import jobs, pipelines
    return {"databricks_job": jobs.JobSettings, "databricks_pipeline": pipelines.PipelineSpec}


def _leaves(cls: type, path: Path, stack: tuple[type, ...]) -> Iterator[tuple[Path, Any]]:
    """(path, leaf type) for every field reachable from a dataclass; recursion (for_each_task
    holds a task) stops at a class already on the way down."""
    for name, hint in typing.get_type_hints(cls).items():
        yield from _walk(hint, path + (name,), stack + (cls,))


def _walk(hint: Any, path: Path, stack: tuple[type, ...]) -> Iterator[tuple[Path, Any]]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        for arg in args:
            if arg is not type(None):
                yield from _walk(arg, path, stack)
    elif origin in (list, tuple, set):
        yield from _walk(args[0], path + ("*",), stack)
    elif origin is dict:
        return  # free maps (tags, spark_conf): strings, no enums
    elif dataclasses.is_dataclass(hint):
        if hint not in stack:
            yield from _leaves(hint, path, stack)
    else:
        yield path, hint


def extract() -> dict[str, Any]:
    """Per resource: dotted API path -> enum values (and the SDK enum class), integer paths."""
    from databricks.sdk.version import __version__
    out: dict[str, Any] = {"source": f"databricks-sdk {__version__}"}
    for resource, root in sorted(_roots().items()):
        leaves = list(_leaves(root, (), ()))
        out[resource] = {
            "enums": {".".join(path): {"enum": f"{hint.__module__.rsplit('.', 1)[-1]}.{hint.__name__}",
                                       "values": [member.value for member in hint]}
                      for path, hint in sorted(leaves, key=lambda pair: pair[0])
                      if isinstance(hint, type) and issubclass(hint, enum.Enum)},
            "integers": sorted(".".join(path) for path, hint in leaves if hint is int),
        }
    return out


def render() -> str:
    return json.dumps(extract(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover
    OUTPUT.write_text(render())
    print(f"wrote {OUTPUT.name}")
