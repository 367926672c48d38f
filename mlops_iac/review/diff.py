"""Field-level differences between two resource configurations.

Nested blocks that are lists of named items (job tasks, job clusters, ACL entries, grants...) are
compared by their key, not by position: a reordered or inserted task is not a change of every
task after it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

# List items identified by one of these fields, first match wins.
ITEM_KEYS = ("task_key", "job_cluster_key", "environment_key", "label", "name", "group_name",
             "service_principal_name", "user_name", "principal")

MISSING = object()


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. task[train].new_cluster.num_workers
    before: Any  # MISSING when added
    after: Any  # MISSING when removed

    @property
    def kind(self) -> str:
        return "added" if self.before is MISSING else "removed" if self.after is MISSING else "changed"


def _item_key(item: Any) -> Optional[str]:
    if isinstance(item, dict):
        for key in ITEM_KEYS:
            if isinstance(item.get(key), str):
                return item[key]
    return None


def _keyed(items: list) -> Optional[dict[str, Any]]:
    """Items by key; an empty list is keyed too (removing the last ACL entry removes that entry)."""
    keys = [_item_key(i) for i in items]
    if all(keys) and len(set(keys)) == len(keys):
        return dict(zip(keys, items))
    return None


def _maybe_json(value: Any) -> Any:
    """Policy definitions and similar are JSON strings: compare them as data."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def diff(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    before, after = _maybe_json(before), _maybe_json(after)
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in sorted(set(before) | set(after)):
            child = f"{path}.{key}" if path else key
            changes += diff(before.get(key, MISSING), after.get(key, MISSING), child)
        return changes
    if isinstance(before, list) and isinstance(after, list):
        left, right = _keyed(before), _keyed(after)
        if left is not None and right is not None and (left or right):
            changes = []
            for key in sorted(set(left) | set(right)):
                changes += diff(left.get(key, MISSING), right.get(key, MISSING), f"{path}[{key}]")
            return changes
    if before == after:
        return []
    if before is MISSING or after is MISSING:
        return [FieldChange(path, before, after)]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        changes = []
        for i, (b, a) in enumerate(zip(before, after)):
            changes += diff(b, a, f"{path}[{i}]")
        return changes
    return [FieldChange(path, before, after)]
