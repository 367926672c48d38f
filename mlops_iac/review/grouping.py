"""Sections of the change summary: a change made the same way in several environments is shown
once, listing them, instead of once per stack.

Two stacks of the same kind (prodfix-workspace, qa-workspace) hold the same resources with the
environment's name inside. Per resource, each field change is compared across those stacks after
the environment's name is normalized to `<env>` (mlops_iac/review/normalize.py); a field change found in
several stacks goes to one shared section ("workspace: same change in prodfix, qa"), with its
normalized values, and what is particular to one stack stays in that stack's section with its
real values. Creates and deletes are shared when the whole resource is the same.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .changes import ChangeSet, ResourceChange
from .diff import MISSING, FieldChange
from .normalize import normalizer

ENV_PLACEHOLDER = "<env>"


@dataclass
class Entry:
    """One resource in one section, with the field changes that section shows."""
    action: str
    rtype: str
    name: str
    replaced_by: tuple[str, ...] = ()
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Section:
    kind: str
    stacks: tuple[str, ...]
    entries: list[Entry] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return len(self.stacks) > 1

    @property
    def environments(self) -> list[str]:
        return [stack.split("-", 1)[0] for stack in self.stacks]


def _frozen(value: Any) -> str:
    return "(missing)" if value is MISSING else json.dumps(value, sort_keys=True, default=str)


def _normalized(change: ResourceChange) -> tuple[tuple, list[tuple[tuple, FieldChange]]]:
    """The change's resource key and its field keys, with the environment's name normalized."""
    norm = normalizer(change.environment, names_only=True)
    body = None
    if change.action in ("create", "delete"):
        body = _frozen(norm(change.after if change.action == "create" else change.before))
    key = (change.kind, change.rtype, norm(change.address), change.action, norm(change.name),
           tuple(norm(list(change.replaced_by))), body)
    fields = []
    for f in change.fields:
        shown = FieldChange(norm(f.path), norm(f.before), norm(f.after))
        fields.append(((shown.path, _frozen(shown.before), _frozen(shown.after)), shown))
    return key, fields


class _Placement:
    """Entries by section (stack kind, the stacks that share them) and resource."""

    def __init__(self) -> None:
        self.sections: dict[tuple[str, tuple[str, ...]], dict[tuple, Entry]] = {}

    def entry(self, key: tuple, stacks: tuple[str, ...], change: ResourceChange) -> Entry:
        """The entry of resource ``key`` in the section of ``stacks``: with the real name when one
        stack has it, with the normalized name (and replace reasons) when several share it."""
        section = self.sections.setdefault((change.kind, stacks), {})
        own = len(stacks) == 1
        slot = key + ((change.address,) if own else ())
        if slot not in section:
            section[slot] = Entry(change.action, change.rtype, change.name if own else key[4],
                                  change.replaced_by if own else key[5])
        return section[slot]

    def place(self, key: tuple, members: list[tuple[ResourceChange, list]]) -> None:
        """One resource's changes, one per stack: a create or delete as a whole, an update field by
        field (a field changed alike in several stacks goes to their shared section)."""
        first = members[0][0]
        if not first.fields:
            self.entry(key, tuple(change.stack for change, _ in members), first)
            return
        by_field: dict[tuple, list[tuple[ResourceChange, FieldChange, FieldChange]]] = {}
        for change, fields in members:
            for (field_key, shown), real in zip(fields, change.fields):
                by_field.setdefault(field_key, []).append((change, shown, real))
        for found in by_field.values():
            stacks = tuple(change.stack for change, _, _ in found)
            change, shown, real = found[0]
            self.entry(key, stacks, change).fields.append(real if len(stacks) == 1 else shown)

    def result(self) -> list[Section]:
        result = []
        for (kind, stacks), entries in self.sections.items():
            ordered = sorted(entries.values(), key=lambda e: (e.rtype, e.name))
            for item in ordered:
                item.fields.sort(key=lambda f: f.path)
            result.append(Section(kind, stacks, ordered))
        return sorted(result, key=lambda s: (s.kind, not s.shared, s.stacks))


def sections(changes: ChangeSet) -> list[Section]:
    """Shared sections and per-stack sections, by stack kind, shared ones first."""
    by_resource: dict[tuple, list[tuple[ResourceChange, list]]] = {}
    for change in sorted(changes.changes, key=lambda c: (c.stack, c.rtype, c.name, c.address)):
        key, fields = _normalized(change)
        by_resource.setdefault(key, []).append((change, fields))
    placement = _Placement()
    for key, members in by_resource.items():
        stacks = [change.stack for change, _ in members]
        # Two addresses of one stack that look alike once normalized stay apart.
        for group in ([members] if len(set(stacks)) == len(stacks) else [[m] for m in members]):
            placement.place(key, group)
    return placement.result()
