"""ML projects of one environment: each ProjectDeployment (typed, from the loader) becomes an
MlProject construct with ACLs from the access matrix and the environment's cluster policies."""
from __future__ import annotations

from typing import Any

from constructs import Construct

from constructs_lib.databricks import GitFolderProps, MlProject, MlProjectProps, ModelProps, ObjectRef
from mlops_iac.config.access_model import ResolvedAccess
from mlops_iac.config.model import EnvironmentConfig
from mlops_iac.config.projects.deployment import ProjectDeployment
from mlops_iac.config.projects.refs import Ref

from .governance import Governance, acl

REF_KINDS = {"policy": "cluster_policy", "job": "job", "pipeline": "pipeline"}


def to_object_refs(value: Any) -> Any:
    """Config-level references (Ref) as the construct library's ObjectRef."""
    if isinstance(value, Ref):
        return ObjectRef(REF_KINDS[value.kind], value.name)
    if isinstance(value, dict):
        return {k: to_object_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_object_refs(v) for v in value]
    return value


def project_props(env: EnvironmentConfig, deployment: ProjectDeployment, governance: Governance) -> MlProjectProps:
    access = env.access or ResolvedAccess()
    identity = governance.identity
    return MlProjectProps(
        git_folder=GitFolderProps(url=deployment.repo_url, git_provider=deployment.git_provider,
                                  path=deployment.repo_path, branch=deployment.branch, tag=deployment.tag,
                                  access=acl(identity, access.grants("repo"))),
        experiment_folder=deployment.experiment_folder,
        experiments=deployment.experiments,
        models=[ModelProps(m.key, m.name, m.description, m.catalog, m.schema) for m in deployment.models],
        jobs={job.key: to_object_refs(dict(job.body)) for job in deployment.jobs},
        pipelines={p.key: to_object_refs(dict(p.body)) for p in deployment.pipelines},
        cluster_policy_ids={key: policy.policy_id for key, policy in governance.policies.items()},
        experiment_access=acl(identity, access.grants("experiment")),
        model_access=acl(identity, access.grants("registered_model")),
        catalog_model_grants=acl(identity, access.grants("uc_registered_model")),
        job_access=acl(identity, access.grants("job")),
        pipeline_access=acl(identity, access.grants("pipeline")),
    )


def build_projects(scope: Construct, env: EnvironmentConfig, governance: Governance) -> dict[str, MlProject]:
    return {d.name: MlProject(scope, f"project-{d.name}", project_props(env, d, governance))
            for d in env.deployments}
