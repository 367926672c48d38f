"""Per-environment overrides of spec fields, merged on the located tree.

Mappings merge key by key; lists of named items (tasks by task_key, job_clusters by
job_cluster_key, ...) merge item by item on their key, so an override names only what changes:
`{job_clusters: [{job_cluster_key: main, new_cluster: {num_workers: 8}}]}`. Other lists and
scalars replace; null removes a field.
"""
from __future__ import annotations

from mlops_iac.provider_facts.specs import KEYED_LISTS

from ..diagnostics import Diagnostic
from ..located import LEntry, LMap, LNode, LScalar, LSeq
from .spec_schema import render


def _key_of(node: LNode, key: str):
    if isinstance(node, LMap) and key in node.entries and isinstance(node.entries[key].value, LScalar):
        return node.entries[key].value.value
    return None


def apply_override(base: LNode, override: LNode, path: tuple, errors: list[Diagnostic]) -> LNode:
    if isinstance(base, LMap) and isinstance(override, LMap):
        merged = dict(base.entries)
        for name, entry in override.entries.items():
            if isinstance(entry.value, LScalar) and entry.value.is_null:
                merged.pop(name, None)
            elif name in merged:
                merged[name] = LEntry(entry.key_loc, apply_override(merged[name].value, entry.value,
                                                                    path + (name,), errors))
            else:
                merged[name] = entry
        return LMap(base.loc, merged)
    key = KEYED_LISTS.get(path[-1]) if path else None
    if key and isinstance(base, LSeq) and isinstance(override, LSeq):
        items = list(base.items)
        positions = {_key_of(item, key): i for i, item in enumerate(items)}
        for item in override.items:
            name = _key_of(item, key)
            if name is None:
                errors.append(Diagnostic(item.loc, render(path), f"an override item of '{path[-1]}' needs its {key}",
                                         f"{key}: <the item to change>"))
            elif name in positions:
                items[positions[name]] = apply_override(items[positions[name]], item, path + (f"[{name}]",), errors)
            else:
                positions[name] = len(items)
                items.append(item)
        return LSeq(base.loc, items)
    return override
