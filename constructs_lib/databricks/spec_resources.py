"""Jobs and DLT pipelines from a body already in the provider's shape (checked against the
provider schema before it gets here), with their ACLs.

The body goes into the Terraform JSON exactly as validated, in one piece: both are parts of a
ResourceBatch (constructs_lib.bulk), so a job costs no round trip to the jsii runtime at all,
instead of a typed resource plus one override per top-level key.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..bulk import BulkScope
from .permissions import AccessGrant, bulk_permissions


@dataclass(frozen=True)
class SpecJobProps:
    body: Mapping[str, Any]  # provider shape, name included; ObjectRefs already resolved
    access: Sequence[AccessGrant] = ()  # exactly one IS_OWNER when given


class SpecJob:
    """A databricks_job at ``<parent>/<id>/job`` with its ACL at ``<parent>/<id>/permissions/acl``."""

    def __init__(self, parent: BulkScope, id: str, props: SpecJobProps) -> None:
        scope = parent.scope(id)
        self.resource = scope.resource("job", "databricks_job", dict(props.body))
        if props.access:
            self.permissions = bulk_permissions(scope, "permissions", kind="job", object_ref=self.resource.id,
                                                object_key=f"job:{props.body['name']}", grants=props.access,
                                                owner_required=True)

    @property
    def job_id(self) -> str:
        return self.resource.id


@dataclass(frozen=True)
class SpecPipelineProps:
    body: Mapping[str, Any]
    access: Sequence[AccessGrant] = ()


class SpecPipeline:
    """A databricks_pipeline at ``<parent>/<id>/pipeline`` with its ACL."""

    def __init__(self, parent: BulkScope, id: str, props: SpecPipelineProps) -> None:
        scope = parent.scope(id)
        self.resource = scope.resource("pipeline", "databricks_pipeline", dict(props.body))
        if props.access:
            self.permissions = bulk_permissions(scope, "permissions", kind="pipeline",
                                                object_ref=self.resource.id,
                                                object_key=f"pipeline:{props.body['name']}", grants=props.access,
                                                owner_required=True)

    @property
    def pipeline_id(self) -> str:
        return self.resource.id
