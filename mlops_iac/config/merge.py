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

from typing import Iterator

from .diagnostics import Diagnostic, closest
from .located import LEntry, LMap, LNode, LScalar, LSeq

# Mappings of user-chosen names: an environment's key there either changes a default's entry
# or adds a new one, so a misspelling silently adds an entry. Checked by override_problems.
NAMED = ("groups", "users", "service_principals", "cluster_policies", "clusters", "init_scripts")
MEMBER_KEYS = ("users", "service_principals", "groups")


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


def _kind(node: LNode) -> str:
    if isinstance(node, LMap):
        return "a mapping"
    if isinstance(node, LSeq):
        return "a list"
    value = node.value
    return "a string" if isinstance(value, str) else "a boolean" if isinstance(value, bool) \
        else "a number" if isinstance(value, (int, float)) else "null"


def _path(parts: tuple) -> str:
    return ".".join(parts) or "(top level)"


def override_problems(base: LNode | None, override: LNode | None, path: tuple = ()) -> Iterator[Diagnostic]:
    """What the merge would silently paper over:

    * the two files give a key different shapes (``storage: 42`` in the defaults, a mapping in the
      environment): the defaults' value would vanish without a type error, so it is one, at the
      side that is not a mapping;
    * in a mapping of names (groups, cluster_policies, ...), ``name: null`` removing nothing, and a
      group new in the environment, without members, whose name is close to a default group's:
      a misspelt key that would create an empty group instead of changing the intended one.
    """
    if not isinstance(base, LMap) or not isinstance(override, LMap):
        return
    for key, entry in override.entries.items():
        previous = base.entries.get(key)
        value = entry.value
        here = path + (key,)
        null = isinstance(value, LScalar) and value.is_null
        if previous is not None and not null and not (isinstance(previous.value, LScalar) and previous.value.is_null):
            mapped = (isinstance(previous.value, LMap), isinstance(value, LMap))
            if mapped[0] != mapped[1]:
                wrong, right = (previous.value, value) if mapped[1] else (value, previous.value)
                yield Diagnostic(wrong.loc, _path(here), f"expected a mapping, got {_kind(wrong)}",
                                 f"a mapping, as at {right.loc} (the two files give '{key}' different shapes)")
                continue
            yield from override_problems(previous.value, value, here)
            continue
        if len(path) != 1 or path[0] not in NAMED or previous is not None:
            continue
        suggestion = closest(key, base.entries)
        if null:
            yield Diagnostic(entry.key_loc, _path(here), f"'{key}: null' removes nothing: the defaults have no "
                             f"{path[0]} entry '{key}'", f"the name of an entry of {path[0]} in the defaults",
                             suggestion)
        elif path[0] == "groups" and suggestion and suggestion != key and isinstance(value, LMap) \
                and not any(k in value.entries for k in MEMBER_KEYS) and "external" not in value.entries:
            yield Diagnostic(entry.key_loc, _path(here), f"group '{key}' is new in this environment and has no "
                             f"members: a misspelling of the default group '{suggestion}'?",
                             "the name of a default group to change it, or members for a new group", suggestion)
