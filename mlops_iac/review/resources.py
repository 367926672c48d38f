"""Synthesized stacks as plain resource maps: stack id -> address -> configuration.

cdktf's "//" metadata (construct paths) is dropped; everything else is what Terraform sees.
"""
from __future__ import annotations

import json
import re
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


HASH_SUFFIX = re.compile(r"_[0-9A-F]{8}$")


def display_name(address: str, config: dict) -> str:
    """What a reviewer recognizes: the resource's own name or path where it has one, else its
    construct path without cdktf's hash (ACLs: `ACL of <the object's construct>`)."""
    rtype, name = address.split(".", 1)
    if rtype not in ("databricks_permissions", "databricks_grants", "databricks_secret_acl", "databricks_group_member"):
        for key in ("name", "display_name", "user_name", "path", "cluster_name", "application_id"):
            value = config.get(key)
            if isinstance(value, str) and "${" not in value:
                return value
    name = HASH_SUFFIX.sub("", name)
    if rtype in ("databricks_permissions", "databricks_grants"):
        return "ACL of " + re.sub(r"_(permissions_acl|grants)$", "", name)
    return name
