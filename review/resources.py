"""Synthesized stacks as plain resource maps: stack id -> address -> configuration.

cdktf's "//" metadata (construct paths) is dropped; everything else is what Terraform sees.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Resources = dict[str, dict[str, Any]]  # address ("databricks_job.x") -> configuration


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def stack_resources(stack: dict) -> Resources:
    out: Resources = {}
    for rtype, items in stack.get("resource", {}).items():
        for name, config in items.items():
            out[f"{rtype}.{name}"] = _clean(config)
    return out


def read_synth(outdir: Path) -> dict[str, Resources]:
    """Every stack of a cdktf.out directory (missing directory: no stacks, e.g. a new repo)."""
    manifest = outdir / "manifest.json"
    if not manifest.exists():
        return {}
    stacks = json.loads(manifest.read_text())["stacks"]
    return {stack_id: stack_resources(json.loads((outdir / entry["synthesizedStackPath"]).read_text()))
            for stack_id, entry in sorted(stacks.items())}


def display_name(address: str, config: dict) -> str:
    """What a reviewer recognizes: the resource's own name or path where it has one."""
    for key in ("name", "display_name", "user_name", "path", "cluster_name", "application_id", "principal"):
        value = config.get(key)
        if isinstance(value, str) and "${" not in value:
            return value
    return address.split(".", 1)[1]
