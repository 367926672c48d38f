"""Load every environment: an ordered list of small steps, stopping after a step that failed.

discover files -> parse with locations -> merge defaults + environment -> bind to the typed
model -> semantic and cross-environment rules -> read referenced files -> resolve the access
matrix (envs/access.yaml). Every problem of a step is collected before the run stops, so a user
sees all errors at once.
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
from .binder import INVALID, Binder, Locations, bind_node
from .files import resolve_files
from .diagnostics import closest
from .governance_model import AccessFile
from .governance_rules import suppressions_name_rules
from .projects.loader import check_project, deploy_project, load_sources, project_names
from .diagnostics import ConfigError, Diagnostic
from .located import LMap, LNode, Location, load_yaml
from .merge import merge
from .model import EnvironmentConfig
from .rules import run_rules

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


def load_environments(envs_dir: Path, guardrail_rules: Optional[Collection[str]] = None) -> list[LoadedEnvironment]:
    """All environments, in promotion order (development, staging, production), or ConfigError.
    ``guardrail_rules``: the rule ids of the pack the app applies, which suppressions must name
    (None: suppressions are not checked, for callers that do not synthesize)."""
    errors: list[Diagnostic] = []
    root = envs_dir.parent
    files = discover(envs_dir, errors)
    _stop_if(errors)

    defaults_path = envs_dir / DEFAULTS_FILE
    defaults: LNode | None = None
    if defaults_path.exists():
        defaults = load_yaml(defaults_path, _display(defaults_path, root), errors)
    parsed = [(path, load_yaml(path, _display(path, root), errors)) for path in files]
    _stop_if(errors)

    for name, node in [(DEFAULTS_FILE, defaults)] + [(p.name, n) for p, n in parsed]:
        if node is not None and not isinstance(node, LMap):
            errors.append(Diagnostic(node.loc, "(top level)", "expected a mapping of settings"))
    _stop_if(errors)

    loaded: list[tuple[EnvironmentConfig, Locations]] = []
    for path, node in parsed:
        merged = merge(defaults, node)
        binder = Binder()
        config = binder.bind(EnvironmentConfig, merged, (), derived={"name": path.stem})
        errors.extend(binder.errors)
        if config is not INVALID:
            loaded.append((config, binder.locations))
    # Promotion order: a clash is reported on the later environment (prod, not prodfix).
    loaded.sort(key=lambda pair: (STAGE_ORDER[pair[0].stage], pair[0].name))
    # Rules run on every environment that bound, so one run reports type and rule errors together.
    errors.extend(run_rules(loaded))
    if guardrail_rules is not None:
        for config, locations in loaded:
            errors.extend(suppressions_name_rules(config, locations, guardrail_rules))
    _stop_if(errors)

    resolved = []
    for config, locations in loaded:
        config, found = resolve_files(config, locations, root)
        errors.extend(found)
        resolved.append((config, locations))
    _stop_if(errors)

    resolved = _with_access(envs_dir, root, resolved, errors)
    _stop_if(errors)

    resolved = _with_projects(root, resolved, errors)
    _stop_if(errors)
    return [LoadedEnvironment(config, locations) for config, locations in resolved]


def _with_projects(root: Path, loaded: list[tuple[EnvironmentConfig, Locations]],
                   errors: list[Diagnostic]) -> list[tuple[EnvironmentConfig, Locations]]:
    """Each environment's ML projects, deployed with that environment's semantics."""
    available = project_names(root)
    environments = tuple(env.name for env, _ in loaded)
    sources: dict[str, object] = {}
    result = []
    for config, locations in loaded:
        deployments = []
        for i, name in enumerate(config.projects):
            if name not in available:
                errors.append(Diagnostic(locations.of(("projects", i)), f"projects[{i}]",
                                         f"no project '{name}' (projects/{name}/project.yaml)",
                                         "one of " + ", ".join(available) if available else "a folder under projects/",
                                         closest(name, available)))
                continue
            if name not in sources:
                sources[name] = load_sources(root, name, errors)
                if sources[name] is not None:
                    errors.extend(check_project(sources[name], environments))
            if sources[name] is not None and not errors:
                deployment = deploy_project(config, sources[name], errors)
                if deployment is not None:
                    deployments.append(deployment)
        result.append((dataclasses.replace(config, deployments=tuple(deployments)), locations))
    errors.extend(_unique_model_names(result))
    return result


def _unique_model_names(loaded: list[tuple[EnvironmentConfig, Locations]]) -> list[Diagnostic]:
    """Two environments sharing a metastore or workspace must never write the same model."""
    seen: dict[str, str] = {}
    found = []
    for env, _ in loaded:
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
    if not path.exists():
        return None
    node = load_yaml(path, _display(path, root), errors)
    bound = bind_node(AccessFile, node, errors) if node is not None else None
    if bound is not None:
        errors.extend(check_access_file(bound[0], bound[1], environments))
    return bound


def _with_access(envs_dir: Path, root: Path, loaded: list[tuple[EnvironmentConfig, Locations]],
                 errors: list[Diagnostic]) -> list[tuple[EnvironmentConfig, Locations]]:
    matrix = load_access_file(envs_dir, root, [env.name for env, _ in loaded], errors)
    if errors:
        return loaded
    result = []
    for config, locations in loaded:
        access = ResolvedAccess()
        if matrix is not None:
            access, found = resolve_access(config, matrix[0], matrix[1], locations)
            errors.extend(found)
        result.append((dataclasses.replace(config, access=access), locations))
    return result


def _stop_if(errors: list[Diagnostic]) -> None:
    if errors:
        raise ConfigError(errors)
