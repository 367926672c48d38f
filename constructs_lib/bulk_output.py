"""Resource batches written by Python after ``app.synth()``, without passing through Node.

``to_terraform`` of a ``ResourceBatch`` hands every body to the jsii runtime in one callback, and
Node then resolves and writes them: at 6,000 resources most of the synth. A batch whose bodies hold
no token that only cdktf can resolve needs none of that. ``synth(app)`` prepares each batch: tokens
of ``GenericResource`` attributes (cluster policy ids, ...) in the same stack become the plain
``${type.logical_id.attribute}`` cdktf would write; a batch with any other token (a typed resource's
attribute, a reference across stacks, a list or number token) goes through Node exactly as before.
Then cdktf synthesizes, and the prepared batches are merged into their stacks' ``cdk.tf.json``
(rewritten with sorted keys and two-space indentation: the same Terraform JSON, byte for byte
deterministic). An app that calls ``app.synth()`` itself gets every batch through Node.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Callable

from cdktf import App, TerraformStack

from .bulk import ResourceBatch, place_of
from .generic import ATTRIBUTE_TOKENS

STRING_TOKEN = re.compile(r"\$\{TfToken\[TOKEN\.\d+\]\}")
TOKEN_MARK = "TfToken["  # in every string or list token cdktf encodes
NUMBER_TOKEN_MIN = 1e280  # cdktf encodes number tokens as doubles beyond this


class Unresolvable(Exception):
    """A body holds a token only cdktf can resolve: its batch goes through Node."""


def _reference(batch: ResourceBatch) -> Callable[[re.Match], str]:
    def replace(match: re.Match) -> str:
        source = ATTRIBUTE_TOKENS.get(match.group(0))
        if source is None:
            raise Unresolvable(match.group(0))
        resource = source.resource
        if place_of(resource)[1] is not batch.stack:
            raise Unresolvable("a reference across stacks")  # cdktf adds the output and remote state
        address = resource.__dict__.get("_address")
        if address is None:
            if resource.count is not None or resource.for_each is not None:
                raise Unresolvable("a resource with count or for_each")
            address = resource.__dict__["_address"] = \
                f"{resource.terraform_resource_type}.{resource.friendly_unique_id}"
        return "${" + f"{address}.{source.name}" + "}"
    return replace


def plain(value: Any, replace: Callable[[re.Match], str]) -> Any:
    """``value`` as cdktf would write it: attribute tokens resolved, integral floats as integers
    (JavaScript numbers); Unresolvable for anything else that is a token."""
    if isinstance(value, dict):
        return {key: plain(item, replace) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, replace) for item in value]
    if isinstance(value, str):
        if TOKEN_MARK not in value:
            return value
        resolved = STRING_TOKEN.sub(replace, value)
        if TOKEN_MARK in resolved:
            raise Unresolvable(value)
        return resolved
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= NUMBER_TOKEN_MIN:
            raise Unresolvable(repr(value))
        return int(value) if value.is_integer() else value
    return value


def _prepared(batch: ResourceBatch) -> dict[str, dict[str, Any]] | None:
    """The batch's resources as Terraform JSON written by Python, or None if Node must do it."""
    replace = _reference(batch)
    resources: dict[str, dict[str, Any]] = {}
    try:
        for resource in batch.resources:
            resources.setdefault(resource.terraform_resource_type, {})[resource.friendly_unique_id] = \
                plain(resource.to_terraform(), replace)
    except Unresolvable:
        return None
    return resources


def merge_resources(terraform: dict, resources: dict[str, dict[str, Any]], stack_id: str) -> None:
    section = terraform.setdefault("resource", {})
    for rtype, bodies in resources.items():
        existing = section.setdefault(rtype, {})
        for logical_id, body in bodies.items():
            if logical_id in existing:
                raise ValueError(f"{stack_id}: two resources {rtype}.{logical_id}")
            existing[logical_id] = body


def synth(app: App) -> None:
    """``app.synth()``, with every batch that needs nothing of cdktf's resolution written by Python."""
    written: dict[str, list[dict[str, dict[str, Any]]]] = {}
    for stack in app.node.children:
        if not isinstance(stack, TerraformStack):
            continue
        for batch in ResourceBatch.all_in(stack):
            resources = _prepared(batch)
            if resources is not None:
                batch.written_by_python = True
                written.setdefault(batch.stack_id, []).append(resources)
    app.synth()
    for stack_id, batches in written.items():
        path = Path(app.outdir) / "stacks" / stack_id / "cdk.tf.json"
        terraform = json.loads(path.read_text())
        for resources in batches:
            merge_resources(terraform, resources, stack_id)
        path.write_text(json.dumps(terraform, indent=2, sort_keys=True, ensure_ascii=False))
