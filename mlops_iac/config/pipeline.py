"""Load every environment: independent checks all run in one round, dependent steps skip.

discover files -> parse with locations -> merge defaults + environment -> bind to the typed
model -> semantic and cross-environment rules -> read referenced files -> check and resolve the
access matrix (envs/access.yaml) -> load, check and deploy the ML projects (projects/<name>/).
A step skips only what depends on an earlier failure (an environment that did not bind has no
rules, files or access to resolve; a project deploys only to environments valid so far), so a
user sees every independent problem in one run and no consequence of one problem twice.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Optional

from .access import ACCESS_FILE, check_access_file, resolve_access
from .access_model import ResolvedAccess
from .binder import INVALID, Binder, EnvironmentSource, Locations, bind_node, diagnostic_at
from .diagnostics import ConfigError, Diagnostic, closest
from .files import resolve_files
from .policy_rules import check_policies
from .projects.crossref import names_unique_in_environment
from .governance_model import AccessFile
from .governance_rules import suppressions_name_rules
from .located import LMap, LNode, Location, load_yaml
from .merge import merge, override_problems
from .model import EnvironmentConfig
from .projects.loader import ProjectSources, check_project, deploy_project, load_sources, project_names
from .rules import check_environment, names_unique_across_environments

DEFAULTS_FILE = "defaults.yaml"
ENV_NAME = re.compile(r"[a-z][a-z0-9]{1,15}")
STAGE_ORDER = {"development": 0, "staging": 1, "production": 2}


@dataclass(frozen=True)
class LoadedEnvironment:
    config: EnvironmentConfig
    locations: Locations


def _display(path: Path, root: Path) -> str:
    """Paths as the user writes them: relative to the project (the parent of envs/)."""
    try:
        return os.path.relpath(path, root)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def discover(envs_dir: Path, errors: list[Diagnostic]) -> list[Path]:
    """Every envs/<name>.yaml but the defaults; names become stack ids, so they are checked."""
    root = envs_dir.parent
    if not envs_dir.is_dir():
        errors.append(Diagnostic(Location(_display(envs_dir, root), 1, 1), "(directory)",
                                 "environment directory not found",
                                 "a directory with defaults.yaml and one <name>.yaml per environment"))
        return []
    files = sorted(p for p in envs_dir.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.name not in (DEFAULTS_FILE, ACCESS_FILE))
    for path in files:
        if not ENV_NAME.fullmatch(path.stem):
            errors.append(Diagnostic(Location(_display(path, root), 1, 1), "(file name)",
                                     f"'{path.stem}' is not a valid environment name",
                                     "2-16 lowercase letters and digits, starting with a letter"))
    if not files:
        errors.append(Diagnostic(Location(_display(envs_dir, root), 1, 1), "(directory)",
                                 "no environment files", "envs/<name>.yaml per environment"))
    return files


@dataclass
class _Environment:
    """One environment file on its way through the steps; ``valid`` turns false at its first
    problem, so later steps that depend on it skip it."""
    name: str
    file: str  # envs/<name>.yaml as displayed
    node: Optional[LNode] = None
    config: Optional[EnvironmentConfig] = None
    locations: Optional[Locations] = None
    valid: bool = True

    def report(self, found: list[Diagnostic], errors: list[Diagnostic]) -> None:
        """Add this environment's problems; one located in another file (a shared default)
        names the environment, so two environments' problems never collapse into one."""
        found = list(found)  # a generator would always look like "something found"
        errors.extend(d if d.environment or d.location.file == self.file
                      else dataclasses.replace(d, environment=self.name) for d in found)
        self.valid = self.valid and not found


def load_environments(envs_dir: Path, guardrail_rules: Optional[Collection[str]] = None) -> list[LoadedEnvironment]:
    """All environments, in promotion order (development, staging, production), or ConfigError
    with every problem of the run. ``guardrail_rules``: the rule ids of the pack the app applies,
    which suppressions must name (None: suppressions are not checked, for callers that do not
    synthesize)."""
    errors: list[Diagnostic] = []
    root = envs_dir.parent
    files = discover(envs_dir, errors)
    paths = {path.stem: path for path in files if ENV_NAME.fullmatch(path.stem)}
    envs = [_Environment(name, _display(path, root)) for name, path in paths.items()]

    defaults = _parse_defaults(envs_dir / DEFAULTS_FILE, root, errors)
    for env in envs:
        found: list[Diagnostic] = []
        env.node = load_yaml(paths[env.name], env.file, found, root)
        if env.node is not None and not isinstance(env.node, LMap):
            found.append(Diagnostic(env.node.loc, "(top level)", "expected a mapping of settings"))
        env.report(found, errors)

    if defaults is not False:  # a broken defaults file would fail every environment's merge
        defaults_file = _display(envs_dir / DEFAULTS_FILE, root) if defaults is not None else None
        for env in envs:
            if env.valid:
                _bind(env, defaults, defaults_file, errors)
    bound = sorted((env for env in envs if env.config is not None),
                   key=lambda env: (STAGE_ORDER[env.config.stage], env.name))
    # Every file name is an environment for the access matrix and project keys, bound or not:
    # an environment that failed to bind must not make its keys there "unknown" as well.
    names = [env.name for env in bound] + sorted(env.name for env in envs if env.config is None)

    for env in bound:
        env.report(check_environment(env.config, env.locations), errors)
    # Promotion order: a clash is reported on the later environment (prod, not prodfix).
    errors.extend(names_unique_across_environments([(env.config, env.locations) for env in bound]))
    if guardrail_rules is not None:
        for env in bound:
            env.report(list(suppressions_name_rules(env.config, env.locations, guardrail_rules)), errors)
    for env in bound:
        env.config, found = resolve_files(env.config, env.locations, root)
        if not found:  # policies are evaluated once their definition files are read
            found = check_policies(env.config, env.locations, root)
        env.report(found, errors)

    _with_access(envs_dir, root, bound, names, errors)
    _with_projects(root, bound, tuple(names), errors)
    if errors:
        raise ConfigError(errors)
    return [LoadedEnvironment(env.config, env.locations) for env in bound]


def _parse_defaults(path: Path, root: Path, errors: list[Diagnostic]) -> LNode | None | bool:
    """The defaults tree, None when there is no defaults file, False when it is unusable."""
    if not os.path.lexists(path):  # a dangling or looping symlink is reported, not skipped
        return None
    found: list[Diagnostic] = []
    node = load_yaml(path, _display(path, root), found, root)
    if node is not None and not isinstance(node, LMap):
        found.append(Diagnostic(node.loc, "(top level)", "expected a mapping of settings"))
    errors.extend(found)
    return False if found else node


def _bind(env: _Environment, defaults: LNode | None, defaults_file: Optional[str],
          errors: list[Diagnostic]) -> None:
    shapes = list(override_problems(defaults, env.node))
    if shapes:
        env.report(shapes, errors)
        return
    binder = Binder(EnvironmentSource(env.name, env.node, defaults_file))
    config = binder.bind(EnvironmentConfig, merge(defaults, env.node), (), derived={"name": env.name})
    env.report(binder.errors, errors)
    if config is not INVALID:
        env.config, env.locations = config, binder.locations


def _with_projects(root: Path, envs: list[_Environment], names: tuple[str, ...],
                   errors: list[Diagnostic]) -> None:
    """Every project under projects/ loaded and checked; each one deployed, with that
    environment's semantics, to every environment that names it and is valid so far."""
    sources = {name: _load_project(root, name, names, errors) for name in project_names(root)}
    deploy_errors: dict[str, dict[str, list[Diagnostic]]] = {}  # project -> environment -> found
    for env in envs:
        config, deployments = env.config, []
        for i, name in enumerate(config.projects):
            if name not in sources:
                available = sorted(sources)
                errors.append(diagnostic_at(env.locations, ("projects", i),
                                            f"no project '{name}' (projects/{name}/project.yaml)",
                                            "one of " + ", ".join(available) if available
                                            else "a folder under projects/", closest(name, available)))
            elif env.valid and sources[name] is not None:
                found = deploy_errors.setdefault(name, {}).setdefault(env.name, [])
                deployment = deploy_project(config, sources[name], found)
                if deployment is not None:
                    deployments.append(deployment)
        env.config = dataclasses.replace(config, deployments=tuple(deployments))
        errors.extend(names_unique_in_environment(deployments))
    for by_env in deploy_errors.values():
        errors.extend(_name_environments(by_env))
    errors.extend(_unique_model_names([env.config for env in envs]))


def _name_environments(by_env: dict[str, list[Diagnostic]]) -> list[Diagnostic]:
    """A spec problem met in every environment a project deploys to is the spec's own: reported
    once. One met in some environments only names each of them (unless its message does)."""
    result = []
    for diagnostic in dict.fromkeys(d for found in by_env.values() for d in found):
        where = [env for env, found in by_env.items() if diagnostic in found]
        if len(where) == len(by_env):
            result.append(diagnostic)
        else:
            result += [diagnostic if f"'{env}'" in diagnostic.message
                       else dataclasses.replace(diagnostic, environment=env) for env in where]
    return result


def _load_project(root: Path, name: str, environments: tuple[str, ...],
                  errors: list[Diagnostic]) -> Optional[ProjectSources]:
    """A project's sources when they load and pass the environment-independent checks."""
    found: list[Diagnostic] = []
    sources = load_sources(root, name, found)
    if sources is not None and not found:
        found.extend(check_project(sources, environments))
    errors.extend(found)
    return sources if not found else None


def _unique_model_names(environments: list[EnvironmentConfig]) -> list[Diagnostic]:
    """Two environments sharing a metastore or workspace must never write the same model."""
    seen: dict[str, str] = {}
    found = []
    for env in environments:
        for deployment in env.deployments:
            for model in deployment.models:
                if model.full_name in seen:
                    found.append(Diagnostic(Location(f"projects/{deployment.name}/project.yaml", 1, 1), "catalog",
                                            f"model '{model.full_name}' would be written by environments "
                                            f"'{seen[model.full_name]}' and '{env.name}'",
                                            "a different catalog per environment"))
                seen[model.full_name] = env.name
    return found


def load_access_file(envs_dir: Path, root: Path, environments: list[str],
                     errors: list[Diagnostic]) -> tuple[AccessFile, Locations] | None:
    """envs/access.yaml bound and checked; None when there is none (then nobody gets access)."""
    path = envs_dir / ACCESS_FILE
    if not os.path.lexists(path):
        return None
    node = load_yaml(path, _display(path, root), errors, root)
    bound = bind_node(AccessFile, node, errors) if node is not None else None
    if bound is not None:
        errors.extend(check_access_file(bound[0], bound[1], environments))
    return bound


def _with_access(envs_dir: Path, root: Path, envs: list[_Environment], names: list[str],
                 errors: list[Diagnostic]) -> None:
    """The matrix file is checked on its own; it is resolved for every environment that bound
    once it holds no error (a broken matrix would only repeat its errors per environment)."""
    found: list[Diagnostic] = []
    matrix = load_access_file(envs_dir, root, names, found)
    errors.extend(found)
    if found:
        return
    for env in envs:
        access = ResolvedAccess()
        if matrix is not None:
            access, found = resolve_access(env.config, matrix[0], matrix[1], env.locations)
            errors.extend(found)
        env.config = dataclasses.replace(env.config, access=access)
