"""Jobs and DLT pipelines from a body already in the provider's shape (checked against the
provider schema before it gets here), with their ACLs.

The body is written with ``add_override``: the nested job structure goes into the Terraform JSON
exactly as validated, keys sorted, instead of being rebuilt through hundreds of binding classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from cdktf_cdktf_provider_databricks.job import Job
from cdktf_cdktf_provider_databricks.pipeline import Pipeline
from constructs import Construct

from .permissions import AccessGrant, ObjectPermissions


@dataclass(frozen=True)
class SpecJobProps:
    body: Mapping[str, Any]  # provider shape, name included; ObjectRefs already resolved
    access: Sequence[AccessGrant] = ()  # exactly one IS_OWNER when given


def _write(resource, body: Mapping[str, Any]) -> None:
    for key in sorted(body):
        if key != "name":
            resource.add_override(key, body[key])


class SpecJob(Construct):
    def __init__(self, scope: Construct, id: str, props: SpecJobProps) -> None:
        super().__init__(scope, id)
        self.resource = Job(self, "job", name=props.body["name"])
        _write(self.resource, props.body)
        if props.access:
            ObjectPermissions(self, "permissions", kind="job", object_ref=self.resource.id,
                              object_key=f"job:{props.body['name']}", grants=props.access, owner_required=True)

    @property
    def job_id(self) -> str:
        return self.resource.id


@dataclass(frozen=True)
class SpecPipelineProps:
    body: Mapping[str, Any]
    access: Sequence[AccessGrant] = ()


class SpecPipeline(Construct):
    def __init__(self, scope: Construct, id: str, props: SpecPipelineProps) -> None:
        super().__init__(scope, id)
        self.resource = Pipeline(self, "pipeline", name=props.body["name"])
        _write(self.resource, props.body)
        if props.access:
            ObjectPermissions(self, "permissions", kind="pipeline", object_ref=self.resource.id,
                              object_key=f"pipeline:{props.body['name']}", grants=props.access,
                              owner_required=True)

    @property
    def pipeline_id(self) -> str:
        return self.resource.id
