"""Render a change set as Markdown for a pull-request comment: risks first, then a table per
stack, then each changed resource with a compact field-level diff."""
from __future__ import annotations

import json
from typing import Any

from .changes import ChangeSet, ResourceChange
from .diff import MISSING
from .risks import Risk

SYMBOL = {"create": "+", "update": "~", "delete": "-", "replace": "-/+"}
MAX_FIELDS = 12  # per resource; the rest is counted, not listed
MAX_VALUE = 80


def _value(value: Any) -> str:
    if value is MISSING:
        return "(none)"
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return f"`{text[:MAX_VALUE - 3] + '...' if len(text) > MAX_VALUE else text}`"


def _resource_lines(change: ResourceChange) -> list[str]:
    head = f"- {SYMBOL[change.action]} `{change.rtype}` **{change.name}**"
    if change.action == "replace" and change.replaced_by:
        head += f" (replaced: {', '.join(change.replaced_by)})"
    lines = [head]
    for field in change.fields[:MAX_FIELDS]:
        if field.kind == "added":
            lines.append(f"  - `{field.path}`: added {_value(field.after)}")
        elif field.kind == "removed":
            lines.append(f"  - `{field.path}`: removed (was {_value(field.before)})")
        else:
            lines.append(f"  - `{field.path}`: {_value(field.before)} -> {_value(field.after)}")
    if len(change.fields) > MAX_FIELDS:
        lines.append(f"  - ... and {len(change.fields) - MAX_FIELDS} more fields")
    return lines


def render(changes: ChangeSet, risks: list[Risk], title: str = "Infrastructure change summary") -> str:
    by_stack = changes.by_stack()
    source = "Terraform plan" if changes.source == "plan" else "synthesized configuration (no provider access)"
    lines = [f"## {title}", "", f"Compared: {source}.", ""]
    if not by_stack:
        return "\n".join(lines + ["No changes.", ""])
    if risks:
        lines += [f"### Risks ({len(risks)})", ""]
        lines += [f"- **{r.kind}** ({r.stack}): {r.message}" for r in risks]
        lines.append("")
    lines += ["| stack | create | update | replace | delete |", "|---|---:|---:|---:|---:|"]
    for stack, items in by_stack.items():
        counts = [sum(c.action == a for c in items) for a in ("create", "update", "replace", "delete")]
        lines.append(f"| {stack} | " + " | ".join(map(str, counts)) + " |")
    for stack, items in by_stack.items():
        lines += ["", f"### {stack}", ""]
        for change in items:
            lines += _resource_lines(change)
    return "\n".join(lines) + "\n"
