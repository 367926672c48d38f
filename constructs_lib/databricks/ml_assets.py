"""MLflow assets and the git folder of an ML project, each with its ACL: parts of the project's
ResourceBatch (constructs_lib.bulk), emitted without a round trip to the jsii runtime each."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from mlops_iac.provider_facts import PERMISSION_LEVELS

from ..bulk import BulkScope
from .permissions import AccessGrant, bulk_permissions


@dataclass(frozen=True)
class GitFolderProps:
    url: str
    git_provider: str
    path: str  # /Repos/<folder>/<name>
    branch: Optional[str] = None  # exactly one of branch or tag
    tag: Optional[str] = None
    access: Sequence[AccessGrant] = ()


class GitFolder:
    """A databricks_repo at ``<parent>/<id>/repo``."""

    def __init__(self, parent: BulkScope, id: str, props: GitFolderProps) -> None:
        scope = parent.scope(id)
        if (props.branch is None) == (props.tag is None):
            raise ValueError(f"{scope.path}: set exactly one of branch or tag")
        self.resource = scope.resource("repo", "databricks_repo", {
            "url": props.url, "git_provider": props.git_provider, "path": props.path,
            "branch": props.branch, "tag": props.tag})
        if props.access:
            bulk_permissions(scope, "permissions", kind="repo", object_ref=self.resource.id,
                             object_key=f"repo:{props.path}", grants=props.access)


@dataclass(frozen=True)
class ExperimentProps:
    name: str  # absolute workspace path
    access: Sequence[AccessGrant] = ()


class Experiment:
    """A databricks_mlflow_experiment at ``<parent>/<id>/experiment``."""

    def __init__(self, parent: BulkScope, id: str, props: ExperimentProps) -> None:
        scope = parent.scope(id)
        self.resource = scope.resource("experiment", "databricks_mlflow_experiment", {"name": props.name})
        if props.access:
            bulk_permissions(scope, "permissions", kind="experiment", object_ref=self.resource.id,
                             object_key=f"experiment:{props.name}", grants=props.access)


@dataclass(frozen=True)
class WorkspaceModelProps:
    name: str
    description: Optional[str] = None
    access: Sequence[AccessGrant] = ()  # workspace registry levels incl. staging/production versions


class WorkspaceModel:
    """A model in the workspace (MLflow) registry, at ``<parent>/<id>/model``."""

    def __init__(self, parent: BulkScope, id: str, props: WorkspaceModelProps) -> None:
        scope = parent.scope(id)
        self.resource = scope.resource("model", "databricks_mlflow_model",
                                       {"name": props.name, "description": props.description})
        if props.access:
            bulk_permissions(scope, "permissions", kind="registered_model",
                             object_ref=self.resource.ref("registered_model_id"),
                             object_key=f"registered-model:{props.name}", grants=props.access)


@dataclass(frozen=True)
class CatalogModelProps:
    catalog: str
    schema: str
    name: str
    comment: Optional[str] = None
    grants: Sequence[AccessGrant] = ()  # Unity Catalog privileges (EXECUTE, APPLY_TAG, MANAGE, ALL_PRIVILEGES)


class CatalogModel:
    """A model in Unity Catalog (catalog.schema.name), with its privileges in one databricks_grants."""

    def __init__(self, parent: BulkScope, id: str, props: CatalogModelProps) -> None:
        scope = parent.scope(id)
        bad = [g.level for g in props.grants if g.level not in PERMISSION_LEVELS["uc_registered_model"]]
        if bad:
            raise ValueError(f"{scope.path}: not Unity Catalog model privileges: {', '.join(bad)}")
        self.resource = scope.resource("model", "databricks_registered_model", {
            "catalog_name": props.catalog, "schema_name": props.schema, "name": props.name,
            "comment": props.comment})
        if props.grants:
            scope.resource("grants", "databricks_grants", {"model": self.resource.id, "grant": [
                {"principal": g.principal_name, "privileges": [g.level]} for g in sorted(props.grants)]})

    @property
    def full_name(self) -> str:
        return self.resource.id
