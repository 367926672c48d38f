"""What one ML project becomes in one environment: the typed result the stacks turn into
constructs. Spec bodies are in the provider's shape, with Ref values for ids known only to
Terraform (cluster policies, the project's jobs and pipelines)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Optional

from ..diagnostics import Diagnostic, sort_key
from ..located import Location

if TYPE_CHECKING:  # pragma: no cover
    from ..binder import Locations


@dataclass(frozen=True)
class SpecDeployment:
    key: str  # the spec file's stem: the stable construct id
    kind: Literal["job", "test", "pipeline"]
    file: str  # where it came from, for reviewers
    name: str  # name in the workspace: <env>-<project>-<spec name>
    body: Mapping[str, Any]
    origin: Optional[Location] = None  # the spec's name: line (or its top), for cross-project checks


@dataclass(frozen=True)
class ModelDeployment:
    key: str
    name: str  # workspace registry: <env>-<project>-<model>; Unity Catalog: the model name
    description: Optional[str] = None
    catalog: Optional[str] = None  # Unity Catalog only
    schema: Optional[str] = None

    @property
    def full_name(self) -> str:
        return f"{self.catalog}.{self.schema}.{self.name}" if self.catalog else self.name


@dataclass(frozen=True)
class ProjectDeployment:
    name: str
    folder: str  # <root_folder>/<env>/<project>
    repo_path: str  # the git folder: /Repos/mlops-<env>/<project>
    repo_url: str
    git_provider: str
    branch: Optional[str]
    tag: Optional[str]
    experiment_folder: str
    experiments: tuple[str, ...]  # full workspace paths
    registry: Literal["workspace", "unity_catalog"]
    models: tuple[ModelDeployment, ...]
    jobs: tuple[SpecDeployment, ...]  # jobs and integration tests, by key
    pipelines: tuple[SpecDeployment, ...]
    # Accepted but converted (e.g. a boolean in spark_conf sent as "true"): printed, not failing.
    warnings: tuple[Diagnostic, ...] = ()
    # project.yaml's key paths -> lines, so guardrail findings can name the line of a resource
    locations: Optional["Locations"] = field(default=None, compare=False, repr=False)


def spec_warnings(deployments: Iterable[ProjectDeployment]) -> list[Diagnostic]:
    """Every warning of the deployments once (the same spec line warns in each environment)."""
    return sorted({w for deployment in deployments for w in deployment.warnings}, key=sort_key)
