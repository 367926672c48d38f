"""Benchmark baseline: a plain cdktf Python app (typed L1 classes, eager imports) that synthesizes
the same resources as mlops-iac for the same estate.

What a straightforward cdktf Python app does: import both provider packages the normal way (each
package's ``__init__`` imports every submodule), then per resource ``Job(scope, id, name=...,
task=[JobTask(...)])`` with typed structs, one App with every stack, ``app.synth()``. The keyword
arguments come from an estate file written untimed by ts_input.py (``Converter(python=True)``); in a
hand-written app they are literals. Validates nothing and runs no guardrails.

Usage: python python_baseline.py <estate-python.json> <outdir> <timings.json>
"""
import importlib
import json
import sys
import time

STARTED = time.perf_counter()

import cdktf  # noqa: E402
import cdktf_cdktf_provider_azurerm  # noqa: E402,F401  eager: every submodule of the package
import cdktf_cdktf_provider_databricks  # noqa: E402,F401
from constructs import Construct  # noqa: E402

from probe import node_peak_rss_kib, python_peak_rss_kib  # noqa: E402

CLASSES: dict[str, type] = {}
TOKENS = {"number": cdktf.Token.as_number, "boolean": cdktf.Token.as_any, "list": cdktf.Token.as_list,
          "map": cdktf.Token.as_any}


def class_of(module: str, name: str) -> type:
    key = f"{module}:{name}"
    if key not in CLASSES:
        CLASSES[key] = getattr(importlib.import_module(module), name)
    return CLASSES[key]


def built(value):
    """Structs as their typed classes, all the way down."""
    if isinstance(value, dict):
        if "$token" in value:
            return TOKENS[value["$token"]](value["value"])
        if "$struct" in value:
            return class_of(*value["$struct"].split(":"))(**{k: built(v) for k, v in value["props"].items()})
        return {k: built(v) for k, v in value.items()}
    if isinstance(value, list):
        return [built(v) for v in value]
    return value


def scope_for(stack, path: list[str], scopes: dict) -> Construct:
    scope = stack
    for i in range(len(path) - 1):
        key = "/".join(path[: i + 1])
        if key not in scopes:
            scopes[key] = Construct(scope, path[i])
        scope = scopes[key]
    return scope


def build_stack(app, spec: dict, stacks: dict) -> None:
    stack = cdktf.TerraformStack(app, spec["id"])
    stacks[spec["id"]] = stack
    for dependency in spec["dependsOn"]:
        if dependency in stacks:
            stack.add_dependency(stacks[dependency])
    backend = spec.get("backend")
    if backend:
        {"local": cdktf.LocalBackend, "azurerm": cdktf.AzurermBackend}[backend["type"]](stack, **backend["config"])
    for provider in spec["providers"]:
        class_of(provider["module"], provider["className"])(stack, provider["className"], **built(provider["props"]))
    for remote in spec["remoteStates"]:
        remote_class = {"local": cdktf.DataTerraformRemoteStateLocal,
                        "azurerm": cdktf.DataTerraformRemoteStateAzurerm}[remote["backend"]]
        remote_class(stack, remote["id"], **remote["config"])
    scopes: dict = {}
    for resource in spec["resources"]:
        cls = class_of(resource["module"], resource["className"])
        created = cls(scope_for(stack, resource["path"], scopes), resource["path"][-1], **built(resource["props"]))
        if resource.get("dependsOn"):
            created.depends_on = resource["dependsOn"]
    for output in spec["outputs"]:
        cdktf.TerraformOutput(stack, output["id"], value=output["value"], sensitive=output["sensitive"])


def main(estate_path: str, outdir: str, timings_path: str) -> None:
    seconds = {"startup_and_import": time.perf_counter() - STARTED}
    mark = time.perf_counter()
    with open(estate_path) as handle:
        estate = json.load(handle)
    seconds["read_input"] = time.perf_counter() - mark
    mark = time.perf_counter()
    app = cdktf.App(outdir=outdir, stack_traces=False)
    stacks: dict = {}
    for spec in estate["stacks"]:
        build_stack(app, spec, stacks)
    seconds["construct"] = time.perf_counter() - mark
    mark = time.perf_counter()
    app.synth()
    seconds["synth"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - STARTED
    with open(timings_path, "w") as handle:
        json.dump({"seconds": seconds, "python_peak_rss_kib": python_peak_rss_kib(),
                   "node_peak_rss_kib": node_peak_rss_kib()}, handle)


if __name__ == "__main__":
    main(*sys.argv[1:4])
