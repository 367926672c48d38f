"""References by name to objects whose ids only Terraform knows, inside job / pipeline bodies."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True, order=True)
class ObjectRef:
    kind: str  # job | pipeline | cluster_policy
    name: str


def resolve_refs(value: Any, lookup: Callable[[ObjectRef], str]) -> Any:
    """A copy of ``value`` with every ObjectRef replaced by ``lookup(ref)`` (an id token)."""
    if isinstance(value, ObjectRef):
        return lookup(value)
    if isinstance(value, dict):
        return {k: resolve_refs(v, lookup) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_refs(v, lookup) for v in value]
    return value


def refs_in(value: Any) -> set[ObjectRef]:
    if isinstance(value, ObjectRef):
        return {value}
    if isinstance(value, dict):
        return set().union(*(refs_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(refs_in(v) for v in value)) if value else set()
    return set()
