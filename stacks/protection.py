"""Production keeps its state: stateful resources get lifecycle.prevent_destroy, so a change that
would destroy or replace them fails the plan instead of losing data."""
from __future__ import annotations

from cdktf import TerraformResource, TerraformStack

from constructs_lib.bulk import ResourceBatch
from guardrails.rules.platform import STATEFUL


def protect_stateful(stack: TerraformStack) -> int:
    """Mark every stateful resource of the stack (typed, and in resource batches); returns how
    many were marked."""
    marked = 0
    for construct in stack.node.find_all():
        if isinstance(construct, TerraformResource) and construct.terraform_resource_type in STATEFUL:
            construct.add_override("lifecycle.prevent_destroy", True)
            marked += 1
    for batch in ResourceBatch.all_in(stack):
        for resource in batch.find():
            if resource.terraform_resource_type in STATEFUL:
                resource.add_override("lifecycle.prevent_destroy", True)
                marked += 1
    return marked
