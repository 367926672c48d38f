"""One ``databricks_permissions`` per object, validated before Terraform ever sees it.

Databricks replaces an object's whole ACL with each ``databricks_permissions`` resource: two for
one object, or one principal at two levels, never error and drift forever. ``ObjectPermissions``
keeps a registry per stack and refuses a second ACL for the same object at synth time;
``bulk_permissions`` does the same for an ACL emitted in a ResourceBatch (constructs_lib.bulk).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from cdktf import TerraformStack
from constructs import Construct

from mlops_iac.provider_facts import OWNER_KINDS, PERMISSION_LEVELS

from ..bulk import BulkResource, BulkScope
from .provider import databricks_resource

PrincipalType = Literal["group", "service_principal", "user"]

# The argument of databricks_permissions that names each kind of object.
OBJECT_ARGUMENT = {
    "cluster_policy": "cluster_policy_id",
    "cluster": "cluster_id",
    "directory": "directory_path",
    "experiment": "experiment_id",
    "registered_model": "registered_model_id",
    "job": "job_id",
    "pipeline": "pipeline_id",
    "repo": "repo_id",
    "serving_endpoint": "serving_endpoint_id",
}


@dataclass(frozen=True, order=True)
class AccessGrant:
    principal_type: PrincipalType
    principal_name: str  # group display name, service principal application id, or user name
    level: str
    # A stable name for construct ids where one resource per principal is needed (secret ACLs):
    # the config key, the same in every environment. Left out: the principal name.
    label: str = ""


class PermissionsError(ValueError):
    """All problems of one ACL, reported together."""


def validate_grants(kind: str, grants: Sequence[AccessGrant], owner_required: bool = False) -> list[str]:
    problems = []
    levels = PERMISSION_LEVELS[kind]
    seen: dict[tuple[str, str], str] = {}
    for grant in grants:
        who = (grant.principal_type, grant.principal_name)
        if grant.level not in levels:
            problems.append(f"{grant.level} is not a level for {kind} (expected one of {', '.join(levels)})")
        if grant.principal_type == "group" and grant.principal_name == "admins":
            problems.append("the admins group cannot be given object permissions")
        if who in seen:
            problems.append(f"{grant.principal_type} '{grant.principal_name}' appears at {seen[who]} and {grant.level}")
        seen[who] = grant.level
    owners = [g for g in grants if g.level == "IS_OWNER"]
    if kind in OWNER_KINDS and (len(owners) > 1 or (owner_required and len(owners) != 1)):
        problems.append(f"{len(owners)} IS_OWNER grants (expected exactly one)")
    problems += [f"group '{g.principal_name}' cannot be IS_OWNER" for g in owners if g.principal_type == "group"]
    return problems


def _acl_registry(stack: TerraformStack) -> dict[str, str]:
    """Object key -> path of its ACL construct, kept on the stack object itself."""
    return stack.__dict__.setdefault("_object_acls", {})


def _checked(stack: TerraformStack, path: str, kind: str, object_key: str, grants: Sequence[AccessGrant],
             owner_required: bool) -> None:
    problems = validate_grants(kind, grants, owner_required)
    registry = _acl_registry(stack)
    if object_key in registry:
        problems.append(f"{object_key} already has its ACL at {registry[object_key]}")
    if problems:
        raise PermissionsError(f"{path}: " + "; ".join(problems))
    registry[object_key] = path


def access_control(grants: Sequence[AccessGrant]) -> list[dict[str, str]]:
    """The ``access_control`` blocks of a databricks_permissions, sorted."""
    return [{f"{g.principal_type}_name": g.principal_name, "permission_level": g.level} for g in sorted(grants)]


def bulk_permissions(scope: BulkScope, id: str, *, kind: str, object_ref: str, object_key: str,
                     grants: Sequence[AccessGrant], owner_required: bool = False) -> BulkResource:
    """The complete ACL of one object as a resource of a ResourceBatch, at ``<scope>/<id>/acl`` (the
    place ObjectPermissions would give it), checked like ObjectPermissions."""
    acl_scope = scope.scope(id)
    _checked(scope.stack, acl_scope.path, kind, object_key, grants, owner_required)
    return acl_scope.resource("acl", "databricks_permissions",
                              {"access_control": access_control(grants), OBJECT_ARGUMENT[kind]: object_ref})


class ObjectPermissions(Construct):
    """The complete ACL of one object. ``object_key`` identifies the object within its stack
    (e.g. the target construct's path): a second ACL for the same key is an error."""

    def __init__(self, scope: Construct, id: str, *, kind: str, object_ref: str, object_key: str,
                 grants: Sequence[AccessGrant], owner_required: bool = False) -> None:
        super().__init__(scope, id)
        _checked(TerraformStack.of(self), self.node.path, kind, object_key, grants, owner_required)
        self.resource = databricks_resource(self, "acl", "databricks_permissions", {
            "access_control": access_control(grants), OBJECT_ARGUMENT[kind]: object_ref})
