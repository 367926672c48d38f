"""Many resources from one cdktf element: the bodies are built in Python and handed to the jsii
runtime once, at synth.

Each typed binding object costs several round trips between Python and the jsii runtime (Node):
the create, one per property or override, one per attribute read. A construct that emits hundreds
of resources of one shape (an ML project's jobs, pipelines, experiments and their ACLs) instead
adds them to a ``ResourceBatch``, a ``TerraformElement`` whose ``to_terraform`` returns all their
bodies in one fragment. Every resource keeps what cdktf would have given it as a construct at the
same place in the tree: the same logical id (``unique_id`` follows cdktf's allocation, a test pins
it against cdktf), the construct path in its ``//`` metadata, and references to its attributes as
``${type.logical_id.attribute}``. Tokens of other constructs inside a body (ids of typed resources)
resolve at synth like anywhere else. References between resources of one stack work; a bulk
resource cannot be referenced from another stack (cdktf's cross-stack outputs need a typed one).
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Iterator, Optional

from cdktf import TerraformElement, TerraformStack
from constructs import Construct

_HIDDEN = "Default"  # left out of logical ids entirely
_HIDDEN_FROM_HUMANS = "Resource"  # in the hash, not in the readable part
_NOT_IN_IDS = re.compile(r"[^A-Za-z0-9_-]")


def unique_id(components: list[str]) -> str:
    """The logical id cdktf gives an element at this path below its stack (cdktf's
    HashedAddressingScheme): readable components joined by '_', plus 8 hex digits of the path's
    MD5 so that ids stay unique."""
    components = [c for c in components if c != _HIDDEN]
    if not components:
        raise ValueError("a logical id needs at least one path component")
    if len(components) == 1 and len(_NOT_IN_IDS.sub("", components[0])) <= 255:
        return _NOT_IN_IDS.sub("", components[0])
    digest = hashlib.md5("/".join(components).encode("utf-8")).hexdigest()[:8].upper()
    readable: list[str] = []
    for component in components:  # a component the previous one ends with adds nothing readable
        if not readable or not readable[-1].endswith(component):
            readable.append(component)
    human = "_".join(_NOT_IN_IDS.sub("", c) for c in readable if c != _HIDDEN_FROM_HUMANS)[:240]
    return f"{human}_{digest}"


class BulkResource:
    """One resource of a batch: its body, its address, references to its attributes."""

    def __init__(self, rtype: str, path: str, logical_id: str, body: dict[str, Any]) -> None:
        self.terraform_resource_type = rtype
        self.path = path  # construct path, stack id first
        self.friendly_unique_id = logical_id
        self.body = body

    def ref(self, attribute: str) -> str:
        """``${type.logical_id.attribute}``: Terraform resolves it (same stack only)."""
        return f"${{{self.terraform_resource_type}.{self.friendly_unique_id}.{attribute}}}"

    @property
    def id(self) -> str:
        return self.ref("id")

    def add_override(self, path: str, value: Any) -> None:
        """Set a (dotted) key of the body, as cdktf's escape hatch does for typed resources."""
        *parents, leaf = path.split(".")
        target = self.body
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value

    def to_terraform(self) -> dict[str, Any]:
        return {**self.body, "//": {"metadata": {"path": self.path, "uniqueId": self.friendly_unique_id}}}


class BulkScope:
    """A place in the construct tree below a batch's construct: resources added here get the paths
    and logical ids they would have as constructs with these ids. Ids are unique per scope."""

    def __init__(self, batch: "ResourceBatch", components: tuple[str, ...]) -> None:
        self.batch = batch
        self.components = components
        self._taken: set[str] = set()

    def _claim(self, id: str) -> tuple[str, ...]:
        if id in self._taken:
            raise ValueError(f"{'/'.join(self.components)}: there is already an element named '{id}'")
        self._taken.add(id)
        return self.components + (id.replace("/", "--"),)

    @property
    def path(self) -> str:
        return "/".join((self.batch.stack_id,) + self.components)

    def scope(self, id: str) -> "BulkScope":
        return BulkScope(self.batch, self._claim(id))

    def resource(self, id: str, rtype: str, body: dict[str, Any]) -> BulkResource:
        components = self._claim(id)
        resource = BulkResource(rtype, "/".join((self.batch.stack_id,) + components), unique_id(list(components)),
                                {k: v for k, v in body.items() if v is not None})
        self.batch.resources.append(resource)
        return resource

    @property
    def stack(self) -> TerraformStack:
        return self.batch.stack


def place_of(construct: Construct) -> tuple[str, TerraformStack]:
    """(construct path, stack) of a construct, asked from the jsii runtime once and remembered."""
    place = construct.__dict__.get("_bulk_place")
    if place is None:
        stack = construct if isinstance(construct, TerraformStack) else TerraformStack.of(construct)
        place = construct.__dict__["_bulk_place"] = (construct.node.path, stack)
    return place


def remember_place(construct: Construct, scope: Construct, id: str) -> None:
    """Record where a construct just created as ``Construct(scope, id)`` sits, from its scope's
    place, so a batch under it needs no round trip to find it."""
    scope_path, stack = place_of(scope)
    construct.__dict__["_bulk_place"] = (f"{scope_path}/{id.replace('/', '--')}", stack)


class ResourceBatch(TerraformElement):
    """Resources emitted as one fragment at synth. Resources are added through ``root`` (a
    BulkScope at the owner's place in the tree) or ``scope_at(construct)``. ``shared`` gives the
    one batch of a stack that constructs in it share: one element and one callback per stack."""

    SHARED_ID = "bulk-resources"

    def __init__(self, owner: Construct, id: str = "bulk") -> None:
        super().__init__(owner, id)
        self.stack = place_of(owner)[1]
        self.stack_id = place_of(self.stack)[0]
        self.resources: list[BulkResource] = []
        self.written_by_python = False  # set by constructs_lib.bulk_output.synth: nothing to hand to Node
        self._scopes: dict[tuple[str, ...], BulkScope] = {}
        self.root = self.scope_at(owner)
        self.stack.__dict__.setdefault("_resource_batches", []).append(self)

    @classmethod
    def shared(cls, construct: Construct) -> "ResourceBatch":
        """The batch of the construct's stack, created on first use."""
        stack = place_of(construct)[1]
        batch = stack.__dict__.get("_shared_batch")
        if batch is None:
            batch = stack.__dict__["_shared_batch"] = cls(stack, cls.SHARED_ID)
        return batch

    def scope_at(self, construct: Construct) -> BulkScope:
        """The BulkScope at a construct's place (in this batch's stack); the same one every time,
        so ids below it stay unique."""
        path, stack = place_of(construct)
        if stack is not self.stack:
            raise ValueError(f"{path} is not in stack {self.stack_id}")
        below = path[len(self.stack_id) + 1:]
        components = tuple(below.split("/")) if below else ()
        if components not in self._scopes:
            self._scopes[components] = BulkScope(self, components)
        return self._scopes[components]

    @staticmethod
    def all_in(stack: TerraformStack) -> list["ResourceBatch"]:
        """The batches of a stack (built in this process), in creation order."""
        return list(stack.__dict__.get("_resource_batches", []))

    def find(self, rtype: Optional[str] = None) -> Iterator[BulkResource]:
        return (r for r in self.resources if rtype is None or r.terraform_resource_type == rtype)

    def to_terraform(self) -> dict[str, Any]:
        if self.written_by_python:
            return {}
        resources: dict[str, dict[str, Any]] = {}
        for resource in self.resources:
            resources.setdefault(resource.terraform_resource_type, {})[resource.friendly_unique_id] = \
                resource.to_terraform()
        return {"resource": resources} if resources else {}
