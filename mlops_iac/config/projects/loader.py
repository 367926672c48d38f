"""Load an ML project folder and deploy it into one environment.

projects/<name>/project.yaml + jobs/*.yml + delta_live_tables/*.yml + tests/*.yml. Per
environment and spec: deploy options -> overrides -> placeholders -> spec rules -> provider
schema check -> environment semantics. Every problem is a diagnostic at its file and line.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from mlops_iac.provider_facts.specs import KEYED_LISTS, resource_schema

from ..binder import INVALID, Binder, Locations, bind_node
from ..diagnostics import Diagnostic, closest
from ..compute import policy_fixed_tags
from ..located import LMap, LNode, LScalar, Location, load_yaml
from ..model import EnvironmentConfig
from ..per_env import for_environment, is_per_environment_key
from ..secrets import SecretHit, diagnostics, find_in_node
from .deployment import ModelDeployment, ProjectDeployment, SpecDeployment
from .bundle_permissions import permissions_block
from .crossref import CrossRefs
from .job_rules import _get, _items, _text, check_job
from .model import DeployOptions, ProjectConfig
from .name_rules import check_names
from .overrides import apply_override
from .paths import PathContext, resolve_job_paths, resolve_pipeline_paths
from .pipeline_rules import check_pipeline
from .placeholders import substitute, without_braces
from .policy_check import check_spec_clusters
from .semantics import default_policy, finish_job, finish_pipeline
from .spec_schema import SpecChecker, item_label, render

PROJECTS_DIR = "projects"
PROJECT_FILE = "project.yaml"
SPEC_FOLDERS = {"jobs": "job", "delta_live_tables": "pipeline", "tests": "test"}


@dataclass
class SpecSource:
    rel: str  # jobs/model-train.yml: how overrides name it
    kind: str
    key: str
    node: LNode
    plain: Optional[frozenset[int]] = None  # subtrees without placeholders: found once, not per environment

    def without_placeholders(self) -> frozenset[int]:
        if self.plain is None:
            self.plain = without_braces(self.node)
        return self.plain


@dataclass
class ProjectSources:
    name: str
    config: ProjectConfig
    locations: Locations
    node: LMap
    specs: dict[str, SpecSource] = field(default_factory=dict)
    secrets: Optional[list[SecretHit]] = None  # scanned on first use: the same in every environment

    def literal_secrets(self) -> list[SecretHit]:
        """project.yaml's (variables, overrides) and every spec's literal secrets, found once."""
        if self.secrets is None:
            nodes = [self.node] + [spec.node for spec in self.specs.values()]
            self.secrets = [hit for node in nodes for hit in find_in_node(node)]
        return self.secrets


def load_sources(root: Path, name: str, errors: list[Diagnostic]) -> Optional[ProjectSources]:
    folder = root / PROJECTS_DIR / name
    path = folder / PROJECT_FILE
    node = load_yaml(path, os.path.relpath(path, root), errors, root) if os.path.lexists(path) else None
    bound = bind_node(ProjectConfig, node, errors) if node is not None else None
    if bound is None:
        return None
    sources = ProjectSources(name, bound[0], bound[1], node)
    for sub, kind in SPEC_FOLDERS.items():
        for nested in _nested_spec_folders(folder / sub):
            rel = os.path.relpath(nested, root)
            errors.append(Diagnostic(Location(rel, 1, 1), "(folder)", f"specs in a nested folder are not deployed: "
                                     f"'{os.path.relpath(nested, folder)}'",
                                     f"spec files directly in {sub}/ (one file per job, named after it)"))
        for spec in sorted((folder / sub).glob("*.y*ml")) if (folder / sub).is_dir() else []:
            spec_node = load_yaml(spec, os.path.relpath(spec, root), errors, root)
            if spec_node is not None:
                key = spec.stem if kind != "test" else f"test-{spec.stem}"
                sources.specs[f"{sub}/{spec.name}"] = SpecSource(f"{sub}/{spec.name}", kind, key, spec_node)
    keys = [s.key for s in sources.specs.values()]
    for rel, spec in sources.specs.items():
        if keys.count(spec.key) > 1:
            errors.append(Diagnostic(spec.node.loc, "(file name)", f"two specs are named '{spec.key}'",
                                     "one file per name in jobs/ and delta_live_tables/"))
    return sources


def _nested_spec_folders(base: Path) -> list[Path]:
    """Sub-folders of jobs/, delta_live_tables/ or tests/ that hold YAML files (never deployed)."""
    if not base.is_dir():
        return []
    def holds_yaml(folder: Path) -> bool:
        return any(name.endswith((".yml", ".yaml")) for _, _, files in os.walk(folder) for name in files)
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                  and holds_yaml(p))


def project_names(root: Path) -> list[str]:
    base = root / PROJECTS_DIR
    return sorted(p.name for p in base.iterdir() if (p / PROJECT_FILE).exists()) if base.is_dir() else []


def check_project(sources: ProjectSources, environments: tuple[str, ...]) -> list[Diagnostic]:
    """Environment-independent checks of project.yaml: per-environment keys and override targets."""
    found: list[Diagnostic] = []
    loc, config = sources.locations, sources.config
    per_env = [("follow", config.follow), ("overrides", config.overrides)]
    per_env += [(("registry",), config.registry), (("catalog",), config.catalog)]
    per_env += [(("variables", name), value) for name, value in config.variables.items()]
    for path, value in per_env:
        path = (path,) if isinstance(path, str) else path
        for key in value if isinstance(value, dict) else ():
            if not is_per_environment_key(key, environments):
                options = environments + ("development", "staging", "production", "default")
                found.append(Diagnostic(loc.key_of(path + (key,)), ".".join(path + (key,)),
                                        f"'{key}' is neither an environment nor a stage",
                                        "an environment (" + ", ".join(environments) + "), a stage or default",
                                        closest(key, options)))
    for env_key, targets in config.overrides.items():
        for rel, fields in targets.items():
            if not isinstance(fields, dict):
                found.append(Diagnostic(loc.of(("overrides", env_key, rel)), f"overrides.{env_key}.{rel}",
                                        f"expected a mapping of the spec's fields to change, got {_kind(fields)}",
                                        "{field: value, ...}; to not deploy a spec somewhere, use its deploy.environments"))
            if rel not in sources.specs:
                found.append(Diagnostic(loc.key_of(("overrides", env_key, rel)), f"overrides.{env_key}.{rel}",
                                        f"no spec '{rel}' in project '{sources.name}'",
                                        "one of " + ", ".join(sorted(sources.specs)), closest(rel, sources.specs)))
    found.extend(check_names(sources, environments))
    for i, ref in enumerate(config.follow.values()):
        if (ref.branch is None) == (ref.tag is None):
            key = list(config.follow)[i]
            found.append(Diagnostic(loc.of(("follow", key)), f"follow.{key}", "set exactly one of branch or tag",
                                    "{branch: develop} or {tag: v1.4.0}"))
    return found


def _kind(value: object) -> str:
    return "null" if value is None else "a list" if isinstance(value, (list, tuple)) else type(value).__name__


def _stage_match(names: tuple[str, ...], env: EnvironmentConfig) -> bool:
    return env.name in names or env.stage in names


def deploy_project(env: EnvironmentConfig, sources: ProjectSources, errors: list[Diagnostic]) -> Optional[ProjectDeployment]:
    config, loc = sources.config, sources.locations
    project = sources.name
    ref, key = for_environment(config.follow, env.name, env.stage)
    if ref is None:
        errors.append(Diagnostic(loc.of(("follow",)), "follow", f"no branch or tag for environment '{env.name}'",
                                 f"a key {env.name}, {env.stage} or default"))
        return None
    registry = for_environment(config.registry, env.name, env.stage)[0] or "workspace"
    catalog = for_environment(config.catalog, env.name, env.stage)[0] if config.catalog is not None else None
    schema = config.schema or project.replace("-", "_")
    if registry not in ("workspace", "unity_catalog"):
        errors.append(Diagnostic(loc.of(("registry",)), "registry", f"'{registry}' is not a registry",
                                 "workspace or unity_catalog", closest(str(registry), ("workspace", "unity_catalog"))))
        return None
    if registry == "unity_catalog" and not catalog:
        errors.append(Diagnostic(loc.of(("registry",)), "registry",
                                 f"unity_catalog in '{env.name}' needs a catalog", f"catalog: {{{env.name}: <catalog>}}"))
        return None
    scope = env.secret_scope.name if env.secret_scope else None
    errors.extend(diagnostics(sources.literal_secrets(), scope))
    folder = f"{env.workspace.root_folder}/{env.name}/{project}"
    repo_path = f"/Repos/mlops-{env.name}/{project}"
    values = {"REPO_PATH": repo_path, "ENV": env.name, "PROJECT": project, "SCHEMA": schema}
    if catalog:
        values["CATALOG"] = catalog
    builtins = dict(values)
    for name, value in config.variables.items():
        resolved, key = for_environment(value, env.name, env.stage)
        if resolved is None:
            errors.append(Diagnostic(loc.of(("variables", name)), f"variables.{name}",
                                     f"no value for environment '{env.name}'", f"a key {env.name}, {env.stage} or default"))
            continue
        # A variable may use the built-in placeholders ({CATALOG}, {ENV}, ...), not other variables.
        node = substitute(LScalar(str(resolved), loc.of(("variables", name) + key)), builtins, {}, ("variables", name) + key, errors)
        values[name] = node.value

    deployed = {}
    for rel, spec in sources.specs.items():
        options = _deploy_options(spec, errors)
        if options is None:
            continue
        if spec.kind == "test":
            wanted = _stage_match(config.tests.environments, env)
        else:
            wanted = options.environments is None or _stage_match(options.environments, env)
        if wanted:
            deployed[rel] = (spec, options)
    refs = {"job": {s.key for s, _ in deployed.values() if s.kind == "job"},
            "pipeline": {s.key for s, _ in deployed.values() if s.kind == "pipeline"}}

    jobs, pipelines, warnings, crossrefs = [], [], [], CrossRefs()
    for rel, (spec, options) in sorted(deployed.items()):
        result = _deploy_spec(env, sources, spec, options, values, refs, errors, warnings, crossrefs)
        if result is not None:
            (pipelines if spec.kind == "pipeline" else jobs).append(result)
    found = crossrefs.diagnostics()
    errors.extend(found)
    if found:
        return None

    experiments = config.experiments or (project,)
    models = config.models or {project: None}
    return ProjectDeployment(
        name=project, folder=folder, repo_path=repo_path, repo_url=config.repo.url,
        git_provider=config.repo.provider, branch=ref.branch, tag=ref.tag,
        experiment_folder=f"{folder}/experiments",
        experiments=tuple(f"{folder}/experiments/{e}" for e in experiments),
        registry=registry,
        models=tuple(
            ModelDeployment(key, key if registry == "unity_catalog" else f"{env.name}-{project}-{key}",
                            model.description if model else None,
                            catalog if registry == "unity_catalog" else None,
                            schema if registry == "unity_catalog" else None)
            for key, model in sorted(models.items())),
        jobs=tuple(sorted(jobs, key=lambda s: s.key)),
        pipelines=tuple(sorted(pipelines, key=lambda s: s.key)),
        warnings=tuple(warnings),
        locations=loc,
    )


def _deploy_options(spec: SpecSource, errors: list[Diagnostic]) -> Optional[DeployOptions]:
    if not isinstance(spec.node, LMap):
        errors.append(Diagnostic(spec.node.loc, "(top level)", "expected a mapping (a Jobs / Pipelines API payload)"))
        return None
    entry = spec.node.entries.get("deploy")
    if entry is None:
        return DeployOptions()
    binder = Binder()
    options = binder.bind(DeployOptions, entry.value, ("deploy",))
    errors.extend(binder.errors)
    return None if options is INVALID else options


def _deploy_spec(env: EnvironmentConfig, sources: ProjectSources, spec: SpecSource, options: DeployOptions,
                 values: dict[str, str], refs: dict[str, set[str]], errors: list[Diagnostic],
                 warnings: list[Diagnostic], crossrefs: CrossRefs) -> Optional[SpecDeployment]:
    node = LMap(spec.node.loc, {k: e for k, e in spec.node.entries.items() if k != "deploy"})
    overrides = sources.node.entries.get("overrides")
    for key in (env.stage, env.name):  # the environment's own override wins over its stage's
        target = _get(overrides.value, key, spec.rel) if overrides else None
        if isinstance(target, LMap):  # anything else is reported by check_project
            node = apply_override(node, target, (), errors)
    node = substitute(node, values, refs, (), errors, spec.without_placeholders())
    paths = PathContext(values["REPO_PATH"], sources.config.paths.spec_root, env.name, env.stage)
    node = (resolve_pipeline_paths if spec.kind == "pipeline" else resolve_job_paths)(node, paths, errors)
    before = len(errors)
    production = env.stage == "production"
    errors.extend(check_job(node) if spec.kind != "pipeline" else check_pipeline(node))
    errors.extend(_environment_checks(env, spec, node))
    errors.extend(permissions_block(node, spec.kind, env))  # then dropped: no second "unknown field"
    node = LMap(node.loc, {k: e for k, e in node.entries.items() if k != "permissions"})
    resource = "databricks_pipeline" if spec.kind == "pipeline" else "databricks_job"
    checker = SpecChecker(KEYED_LISTS, resource)
    body = checker.block(node, resource_schema(resource), ())
    errors.extend(checker.errors)
    warnings.extend(checker.warnings)
    if body is None or len(errors) > before:
        return None
    spec_name = _text(_get(node, "name")) or spec.key
    kind_part = "test-" if spec.kind == "test" and not spec_name.startswith("test-") else ""
    name = f"{env.name}-{sources.name}-{kind_part}{spec_name}"
    # Keyed by the name without the environment prefix: a clash is the specs' own, the same in
    # every environment, so it is reported once per spec rather than once per environment.
    crossrefs.add_spec(spec.kind, spec.key, f"{kind_part}{spec_name}", node)
    deployer = env.service_principals[env.deployer].application_id if env.deployer else None
    tags = {"environment": env.name, "project": sources.name}
    fixed = {key: policy_fixed_tags(env, key) for key in env.cluster_policies}
    common = dict(name=name, production=production, unpaused=options.unpaused_outside_production,
                  deployer_app_id=deployer, fixed_tags=fixed, tags=tags)
    policy = default_policy(env, spec.kind)
    if spec.kind == "pipeline":
        body = finish_pipeline(body, policy_key=policy, **common)
    else:
        body = finish_job(body, policy_key=policy or "", **common)
    found = check_spec_clusters(env, spec.kind, node, body)
    errors.extend(found)
    if found:
        return None
    return SpecDeployment(spec.key, spec.kind, spec.node.loc.file, name, body, crossrefs.origin(node))


def _environment_checks(env: EnvironmentConfig, spec: SpecSource, node: LMap) -> list[Diagnostic]:
    """Rules that depend on the environment: policies that exist, production identities."""
    found = []
    policies = sorted(env.cluster_policies)
    default = default_policy(env, spec.kind)
    cluster_list = "clusters" if spec.kind == "pipeline" else "job_clusters"
    key = "label" if spec.kind == "pipeline" else "job_cluster_key"
    cluster_nodes = [(item if spec.kind == "pipeline" else _get(item, "new_cluster"),
                      (cluster_list + item_label(item, i, key),) + (() if spec.kind == "pipeline" else ("new_cluster",)))
                     for i, item in enumerate(_items(_get(node, cluster_list)))]
    for i, task in enumerate(_items(_get(node, "tasks"))):
        label = "tasks" + item_label(task, i, "task_key")
        cluster_nodes.append((_get(task, "new_cluster"), (label, "new_cluster")))
        cluster_nodes.append((_get(task, "for_each_task", "task", "new_cluster"),
                              (label, "for_each_task", "task", "new_cluster")))
    for cluster, path in cluster_nodes:
        if cluster is None:
            continue
        named = _get(cluster, "policy_id")
        if named is not None:
            name = _text(named) or str(getattr(named, "value", ""))
            if name not in env.cluster_policies:
                found.append(Diagnostic(named.loc, render(path + ("policy_id",)),
                                        f"no cluster policy '{name}' in environment '{env.name}'",
                                        "a key of cluster_policies (" + ", ".join(policies) + ")", closest(name or "", policies)))
        elif default is None:
            found.append(Diagnostic(cluster.loc, render(path),
                                    f"environment '{env.name}' has no job-compute policy for this cluster",
                                    "a cluster policy with purpose: job in the environment"))
    run_as = _get(node, "run_as")
    if env.stage == "production" and run_as is not None and env.deployer:
        app_id = env.service_principals[env.deployer].application_id
        if _text(_get(run_as, "service_principal_name")) != app_id:
            found.append(Diagnostic(run_as.loc, "run_as", "production jobs and pipelines run as the deployer",
                                    f"no run_as (it is set to the deployer {app_id}) or that service principal"))
    if env.stage == "production" and _get(node, "development") is not None and _get(node, "development").value is True:
        found.append(Diagnostic(_get(node, "development").loc, "development",
                                "a production pipeline in development mode", "development: false, or leave it out"))
    return found
