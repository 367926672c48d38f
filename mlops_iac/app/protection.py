"""Production keeps its state: stateful resources (mlops_iac.provider_facts.stateful) get
lifecycle.prevent_destroy, so a change that would destroy or replace them fails the plan instead
of losing data.

Retiring is explicit: an environment's ``retire:`` entries name construct paths
(``<stack kind>/<path below the stack>``, e.g. ``workspace/project-churn``); stateful resources at
or below them are left unprotected for the release that carries the entry. An entry that names no
construct is an error at its line: a typo must not look like a retirement.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from cdktf import TerraformResource, TerraformStack

from constructs_lib.bulk import ResourceBatch
from mlops_iac.provider_facts.stateful import STATEFUL


def _under(path: str, prefixes: Sequence[str]) -> str | None:
    return next((p for p in prefixes if path == p or path.startswith(p + "/")), None)


def _resources(stack: TerraformStack) -> Iterable[tuple[str, object]]:
    """(construct path, resource) of every resource of the stack, typed and in batches."""
    for construct in stack.node.find_all():
        if isinstance(construct, TerraformResource):
            yield construct.node.path, construct
    for batch in ResourceBatch.all_in(stack):
        for resource in batch.find():
            yield resource.path, resource


def protect_stateful(stack: TerraformStack, retired: Sequence[str] = ()) -> tuple[int, set[str]]:
    """Mark every stateful resource of the stack not below a retired path (full construct paths,
    stack id first). Returns how many were marked and which retired paths named a construct."""
    marked, matched = 0, set()
    for path, resource in _resources(stack):
        if (hit := _under(path, retired)) is not None:
            matched.add(hit)  # any construct below the entry counts: the entry names something real
            continue
        if resource.terraform_resource_type in STATEFUL:
            resource.add_override("lifecycle.prevent_destroy", True)
            marked += 1
    for construct in stack.node.find_all():  # entries naming a construct with no resource below it
        if (hit := _under(construct.node.path, retired)) is not None and construct.node.path == hit:
            matched.add(hit)
    return marked, matched
