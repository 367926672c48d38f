"""MLflow assets and the git folder of an ML project, each with its ACL."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from cdktf_cdktf_provider_databricks.grants import Grants, GrantsGrant
from cdktf_cdktf_provider_databricks.mlflow_experiment import MlflowExperiment
from cdktf_cdktf_provider_databricks.mlflow_model import MlflowModel
from cdktf_cdktf_provider_databricks.registered_model import RegisteredModel
from cdktf_cdktf_provider_databricks.repo import Repo
from constructs import Construct

from provider_facts import PERMISSION_LEVELS

from .permissions import AccessGrant, ObjectPermissions


@dataclass(frozen=True)
class GitFolderProps:
    url: str
    git_provider: str
    path: str  # /Repos/<folder>/<name>
    branch: Optional[str] = None  # exactly one of branch or tag
    tag: Optional[str] = None
    access: Sequence[AccessGrant] = ()


class GitFolder(Construct):
    def __init__(self, scope: Construct, id: str, props: GitFolderProps) -> None:
        super().__init__(scope, id)
        if (props.branch is None) == (props.tag is None):
            raise ValueError(f"{self.node.path}: set exactly one of branch or tag")
        self.resource = Repo(self, "repo", url=props.url, git_provider=props.git_provider, path=props.path,
                             branch=props.branch, tag=props.tag)
        if props.access:
            ObjectPermissions(self, "permissions", kind="repo", object_ref=self.resource.id,
                              object_key=f"repo:{props.path}", grants=props.access)


@dataclass(frozen=True)
class ExperimentProps:
    name: str  # absolute workspace path
    access: Sequence[AccessGrant] = ()


class Experiment(Construct):
    def __init__(self, scope: Construct, id: str, props: ExperimentProps) -> None:
        super().__init__(scope, id)
        self.resource = MlflowExperiment(self, "experiment", name=props.name)
        if props.access:
            ObjectPermissions(self, "permissions", kind="experiment", object_ref=self.resource.id,
                              object_key=f"experiment:{props.name}", grants=props.access)


@dataclass(frozen=True)
class WorkspaceModelProps:
    name: str
    description: Optional[str] = None
    access: Sequence[AccessGrant] = ()  # workspace registry levels incl. staging/production versions


class WorkspaceModel(Construct):
    """A model in the workspace (MLflow) registry."""

    def __init__(self, scope: Construct, id: str, props: WorkspaceModelProps) -> None:
        super().__init__(scope, id)
        self.resource = MlflowModel(self, "model", name=props.name, description=props.description)
        if props.access:
            ObjectPermissions(self, "permissions", kind="registered_model",
                              object_ref=self.resource.registered_model_id,
                              object_key=f"registered-model:{props.name}", grants=props.access)


@dataclass(frozen=True)
class CatalogModelProps:
    catalog: str
    schema: str
    name: str
    comment: Optional[str] = None
    grants: Sequence[AccessGrant] = ()  # Unity Catalog privileges (EXECUTE, APPLY_TAG, MANAGE, ALL_PRIVILEGES)


class CatalogModel(Construct):
    """A model in Unity Catalog (catalog.schema.name), with its privileges in one databricks_grants."""

    def __init__(self, scope: Construct, id: str, props: CatalogModelProps) -> None:
        super().__init__(scope, id)
        bad = [g.level for g in props.grants if g.level not in PERMISSION_LEVELS["uc_registered_model"]]
        if bad:
            raise ValueError(f"{self.node.path}: not Unity Catalog model privileges: {', '.join(bad)}")
        self.resource = RegisteredModel(self, "model", catalog_name=props.catalog, schema_name=props.schema,
                                        name=props.name, comment=props.comment)
        if props.grants:
            Grants(self, "grants", model=self.resource.id, grant=[
                GrantsGrant(principal=g.principal_name, privileges=[g.level]) for g in sorted(props.grants)])

    @property
    def full_name(self) -> str:
        return self.resource.id
