"""Where each construct came from: construct path (or a prefix of it) -> the config file:line and
key path that produced it, recorded while the app builds its stacks and handed to the guardrails,
so that a finding names the config line of its resource (nearest recorded ancestor wins).

Kept beside the synthesized JSON, never in it: the output stays byte-identical. Built from the
path strings the app already knows (stack ids, the construct ids the stacks use, the paths of bulk
resources): no round trip to the jsii runtime, a few dict entries per project.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

from mlops_iac.guardrails import Origin
from mlops_iac.config.binder import Locations
from mlops_iac.config.pipeline import LoadedEnvironment
from mlops_iac.config.projects.deployment import ProjectDeployment

from .naming import PLATFORM, WORKSPACE, stack_id

KeyPath = tuple


def located(locations: Locations, key_path: KeyPath) -> Origin:
    """The line of the deepest key along ``key_path`` the config writes (the key itself, so the
    column points at its name), or of the nearest located value."""
    path = tuple(key_path)
    while path and path not in locations.keys:
        path = path[:-1]
    where = locations.keys[path] if path else locations.of(())
    return Origin(where.file, where.line, where.column, ".".join(str(part) for part in key_path))


class Origins(dict):
    """Construct path prefix -> Origin (plain data for guardrails.check_synthesized)."""

    def add(self, path: str, locations: Optional[Locations], key_path: KeyPath) -> None:
        if locations is not None:
            self[path] = located(locations, key_path)


# Ids of the AzurePlatform's parts (constructs_lib.azure.platform) -> the setting each comes from.
PLATFORM_PARTS: Mapping[str, KeyPath] = {
    "resource-group": ("azure", "resource_group"),
    "workspace": ("workspace",),
    "key-vault": ("key_vault",),
    "lakehouse-storage": ("storage",),
}


def record_environment(origins: Origins, loaded: LoadedEnvironment, projects: Mapping[str, object],
                       with_platform: bool) -> None:
    """Record the origins of one environment's stacks (the ids used by mlops_iac.app.platform_stack,
    mlops_iac.app.workspace_stack and mlops_iac.app.governance); ``projects``: the MlProject constructs by name."""
    env, locations = loaded.config, loaded.locations
    if with_platform:
        platform = stack_id(env.name, PLATFORM)
        origins.add(platform, locations, ("azure",))
        for part, key_path in PLATFORM_PARTS.items():
            origins.add(f"{platform}/platform/{part}", locations, key_path)
    workspace = stack_id(env.name, WORKSPACE)
    origins.add(workspace, locations, ("workspace",))
    governance = f"{workspace}/governance"
    for name in env.users:
        origins.add(f"{governance}/identity/user-{name}", locations, ("users", name))
    for key in env.service_principals:
        origins.add(f"{governance}/identity/sp-{key}", locations, ("service_principals", key))
    for key in env.groups:
        origins.add(f"{governance}/identity/group-{key}", locations, ("groups", key))
    for name in env.init_scripts:
        origins.add(f"{governance}/init-scripts/{name}", locations, ("init_scripts", name))
    for key in env.cluster_policies:
        origins.add(f"{governance}/cluster-policies/{key}", locations, ("cluster_policies", key))
    for name in env.clusters:
        origins.add(f"{governance}/clusters/{name}", locations, ("clusters", name))
    origins.add(f"{governance}/secret-scope", locations, ("secret_scope",))
    for deployment in env.deployments:
        record_project(origins, f"{workspace}/project-{deployment.name}", deployment, projects.get(deployment.name))


def record_project(origins: Origins, path: str, deployment: ProjectDeployment, project: object) -> None:
    """The project's parts point into project.yaml; each job and pipeline (and its ACL) at the
    ``name:`` line of its spec, found from the path its bulk resource already has."""
    locations = deployment.locations
    origins.add(path, locations, ())
    origins.add(f"{path}/git-folder", locations, ("repo",))
    for experiment in deployment.experiments:
        origins.add(f"{path}/experiment-{experiment.rsplit('/', 1)[-1]}", locations, ("experiments",))
    for model in deployment.models:
        origins.add(f"{path}/model-{model.key}", locations, ("models", model.key))
    for specs, built in ((deployment.jobs, getattr(project, "jobs", {})),
                         (deployment.pipelines, getattr(project, "pipelines", {}))):
        record_specs(origins, specs, built)


def record_specs(origins: Origins, specs: Sequence, built: Mapping[str, object]) -> None:
    for spec in specs:
        construct = built.get(spec.key)
        if construct is None or spec.origin is None:
            continue
        scope = construct.resource.path.rpartition("/")[0]  # <project>/job-<key>: the job and its ACL
        origins[scope] = Origin(spec.origin.file, spec.origin.line, spec.origin.column, "name")
