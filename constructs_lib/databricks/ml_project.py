"""An ML project in one workspace: git folder, experiment folder and experiments, registered
models, DLT pipelines and jobs, each with its ACL.

Construct ids come from names (spec file stems, experiment and model names): removing a spec
removes exactly that job, and nothing else is renamed. Bodies may reference the project's own
jobs and pipelines and the workspace's cluster policies by ObjectRef; they are resolved to ids
here, pipelines first, then jobs in dependency order.

The project is one construct; its resources (a few dozen per project, hundreds of projects per
workspace) are emitted through its stack's shared ResourceBatch (constructs_lib.bulk), at the
paths and with the logical ids they would have as constructs of their own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from constructs import Construct

from ..bulk import ResourceBatch, remember_place

from .ml_assets import (
    CatalogModel, CatalogModelProps, Experiment, ExperimentProps, GitFolder, GitFolderProps, WorkspaceModel,
    WorkspaceModelProps,
)
from .permissions import AccessGrant
from .refs import ObjectRef, refs_in, resolve_refs
from .spec_resources import SpecJob, SpecJobProps, SpecPipeline, SpecPipelineProps


@dataclass(frozen=True)
class ModelProps:
    key: str
    name: str
    description: Optional[str] = None
    catalog: Optional[str] = None  # set: Unity Catalog; left out: workspace registry
    schema: Optional[str] = None


@dataclass(frozen=True)
class MlProjectProps:
    git_folder: GitFolderProps
    experiment_folder: str
    experiments: Sequence[str]  # absolute paths inside experiment_folder
    models: Sequence[ModelProps] = ()
    jobs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # key -> body
    pipelines: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    cluster_policy_ids: Mapping[str, str] = field(default_factory=dict)  # policy key -> id
    experiment_access: Sequence[AccessGrant] = ()
    model_access: Sequence[AccessGrant] = ()  # workspace registry levels
    catalog_model_grants: Sequence[AccessGrant] = ()  # Unity Catalog privileges
    job_access: Sequence[AccessGrant] = ()
    pipeline_access: Sequence[AccessGrant] = ()


class MlProject(Construct):
    def __init__(self, scope: Construct, id: str, props: MlProjectProps) -> None:
        super().__init__(scope, id)
        remember_place(self, scope, id)
        self.batch = ResourceBatch.shared(self)  # one element and one synth callback per stack
        parts = self.batch.scope_at(self)
        self.git_folder = GitFolder(parts, "git-folder", props.git_folder)
        folder = parts.resource("experiment-folder", "databricks_directory", {"path": props.experiment_folder})
        self.experiments = {
            path.rsplit("/", 1)[-1]: Experiment(parts, f"experiment-{path.rsplit('/', 1)[-1]}", ExperimentProps(
                name=f"{folder.ref('path')}/{path.rsplit('/', 1)[-1]}", access=props.experiment_access))
            for path in sorted(props.experiments)
        }
        self.models: dict[str, CatalogModel | WorkspaceModel] = {}
        for model in sorted(props.models, key=lambda m: m.key):
            if model.catalog:
                self.models[model.key] = CatalogModel(parts, f"model-{model.key}", CatalogModelProps(
                    model.catalog, model.schema or "", model.name, model.description, props.catalog_model_grants))
            else:
                self.models[model.key] = WorkspaceModel(parts, f"model-{model.key}", WorkspaceModelProps(
                    model.name, model.description, props.model_access))
        self._ids: dict[ObjectRef, str] = {ObjectRef("cluster_policy", k): v for k, v in props.cluster_policy_ids.items()}
        self.pipelines: dict[str, SpecPipeline] = {}
        for key in sorted(props.pipelines):
            body = resolve_refs(props.pipelines[key], self._lookup)
            self.pipelines[key] = SpecPipeline(parts, f"pipeline-{key}", SpecPipelineProps(body, props.pipeline_access))
            self._ids[ObjectRef("pipeline", key)] = self.pipelines[key].pipeline_id
        self.jobs: dict[str, SpecJob] = {}
        for key in self._job_order(props.jobs):
            body = resolve_refs(props.jobs[key], self._lookup)
            self.jobs[key] = SpecJob(parts, f"job-{key}", SpecJobProps(body, props.job_access))
            self._ids[ObjectRef("job", key)] = self.jobs[key].job_id

    def _lookup(self, ref: ObjectRef) -> str:
        if ref not in self._ids:
            raise ValueError(f"{self.node.path}: {ref.kind} '{ref.name}' is referenced but not part of this project")
        return self._ids[ref]

    def _job_order(self, jobs: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """Jobs sorted by key, each after the jobs it runs (run_job_task); cycles are an error."""
        needs = {key: sorted(r.name for r in refs_in(body) if r.kind == "job") for key, body in jobs.items()}
        order: list[str] = []
        visiting: set[str] = set()

        def visit(key: str) -> None:
            if key in order:
                return
            if key in visiting:
                raise ValueError(f"{self.node.path}: jobs run each other in a cycle through '{key}'")
            visiting.add(key)
            for need in needs.get(key, []):
                if need in jobs:
                    visit(need)
            visiting.discard(key)
            order.append(key)

        for key in sorted(jobs):
            visit(key)
        return order
