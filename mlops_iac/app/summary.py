"""Per-stack summary of synthesized output: resources by type, read back from cdk.tf.json."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def read_stacks(outdir: Path) -> dict[str, dict]:
    """Stack id -> synthesized Terraform JSON, in the manifest's (dependency) order."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {
        stack_id: json.loads((outdir / entry["synthesizedStackPath"]).read_text())
        for stack_id, entry in manifest["stacks"].items()
    }


def resource_counts(stack: dict) -> Counter:
    return Counter({rtype: len(items) for rtype, items in stack.get("resource", {}).items()})


def _short(rtype: str) -> str:
    return rtype.split("_", 1)[1].replace("_", " ") if "_" in rtype else rtype


def describe_stack(stack_id: str, stack: dict) -> str:
    counts = resource_counts(stack)
    providers = ", ".join(sorted(stack.get("provider", {})))
    total = sum(counts.values())
    parts = ", ".join(f"{n} {_short(t)}" for t, n in sorted(counts.items()))
    data = sum(len(v) for v in stack.get("data", {}).values())
    extra = f"; {data} data source{'s' if data != 1 else ''}" if data else ""
    return f"{stack_id:<20} {providers}: {total} resource{'s' if total != 1 else ''} ({parts}){extra}"


def summarize(outdir: Path, order: list[str]) -> list[str]:
    """One line per stack, in ``order`` (environments in promotion order, platform first)."""
    stacks = read_stacks(outdir)
    return [describe_stack(stack_id, stacks[stack_id]) for stack_id in order if stack_id in stacks]
