"""Per-environment merge: defaults.yaml overlaid by one environment's file.

Rules (documented in the README):
- mappings merge key by key, recursively;
- any other value (scalar or list) in the environment file replaces the default;
- an explicit ``null`` in the environment file removes the key (e.g. ``personal: null``).
Every value keeps the location of the file that set it: a mapping both files write takes the
environment file's location, one only defaults.yaml writes keeps its defaults location. The
binder relies on this to name the environment of a problem found in a shared default, and to
move a missing required key into the environment's own file (binder.EnvironmentSource).
"""
from __future__ import annotations

from .located import LEntry, LMap, LNode, LScalar


def merge(base: LNode | None, override: LNode | None) -> LNode | None:
    if override is None:
        return base
    if base is None:
        return _drop_nulls(override)
    if isinstance(base, LMap) and isinstance(override, LMap):
        merged = LMap(override.loc, dict(base.entries))
        for key, entry in override.entries.items():
            if isinstance(entry.value, LScalar) and entry.value.is_null:
                merged.entries.pop(key, None)
                continue
            previous = merged.entries.get(key)
            value = merge(previous.value if previous else None, entry.value)
            merged.entries[key] = LEntry(entry.key_loc, value)
        return merged
    return _drop_nulls(override)


def _drop_nulls(node: LNode) -> LNode:
    """A null that removes nothing means 'not set' (an override of a key the defaults lack)."""
    if isinstance(node, LMap):
        kept = {k: LEntry(e.key_loc, _drop_nulls(e.value)) for k, e in node.entries.items()
                if not (isinstance(e.value, LScalar) and e.value.is_null)}
        return LMap(node.loc, kept)
    return node
