"""Resolve envs/access.yaml (roles x asset kinds x environments) for each environment.

Checks what Databricks would reject only at apply time, or silently drift on: a level that is
not valid for the asset kind, a role played by a principal the environment never declared, object
permissions for 'admins', not exactly one owner (a user or service principal) of jobs and
pipelines, a deployer below manage level, and one principal at two levels on one kind.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

from mlops_iac.provider_facts import ASSET_KINDS, DEPLOYER_LEVEL, OWNER_KINDS, PERMISSION_LEVELS

from .access_model import NO_ACCESS, Grant, PrincipalRef, ResolvedAccess
from .binder import Locations, diagnostic_at
from .diagnostics import Diagnostic, closest
from .governance_model import AccessFile, RoleConfig
from .model import EnvironmentConfig
from .per_env import STAGES, for_environment

ACCESS_FILE = "access.yaml"


_diag = diagnostic_at


def check_access_file(access: AccessFile, loc: Locations, environments: Iterable[str]) -> list[Diagnostic]:
    """Environment-independent checks of the matrix: roles, kinds, environment keys, levels."""
    found: list[Diagnostic] = []
    env_keys = tuple(environments) + STAGES + ("default",)
    for role, config in access.roles.items():
        players = [k for k in ("group", "service_principal", "user") if getattr(config, k)]
        if len(players) + int(config.deployer) != 1:
            found.append(_diag(loc, ("roles", role), f"role '{role}' names {len(players) + int(config.deployer)} players",
                               "exactly one of group, service_principal, user or deployer: true"))
    for role, kinds in access.matrix.items():
        if role not in access.roles:
            found.append(_diag(loc, ("matrix", role), f"role '{role}' is not defined under roles",
                               "one of " + ", ".join(sorted(access.roles)), closest(role, access.roles)))
        for kind, cell in kinds.items():
            if kind not in PERMISSION_LEVELS:
                found.append(_diag(loc, ("matrix", role, kind), f"unknown asset kind '{kind}'",
                                   "one of " + ", ".join(ASSET_KINDS), closest(kind, ASSET_KINDS)))
                continue
            cells = {None: cell} if isinstance(cell, str) or cell is None else cell  # null: no access
            for env_key, level in cells.items():
                path = ("matrix", role, kind) + ((env_key,) if env_key is not None else ())
                if env_key is not None and env_key not in env_keys:
                    found.append(_diag(loc, path, f"'{env_key}' is neither an environment nor a stage",
                                       "an environment (" + ", ".join(environments) + "), a stage or default",
                                       closest(env_key, env_keys)))
                if level is not None:
                    found.extend(check_level(loc, path, kind, level))
    return found


def check_level(loc: Locations, path: tuple, kind: str, level: str) -> list[Diagnostic]:
    levels = PERMISSION_LEVELS[kind]
    if level in levels or level == NO_ACCESS:
        return []
    return [_diag(loc, path, f"{level} is not a level for {kind.replace('_', ' ')} objects",
                  "one of " + ", ".join(levels) + f" ({NO_ACCESS} for no access)", closest(level, levels))]


def level_for(cell, environment: str, stage: str) -> tuple[Optional[str], tuple]:
    """The level a matrix cell gives one environment, and the key that set it (null or NONE: none)."""
    level, key = for_environment(cell, environment, stage)
    return (None if level == NO_ACCESS else level), key


def _player(role: str, config: RoleConfig, env: EnvironmentConfig) -> tuple[Optional[PrincipalRef], str]:
    """The principal playing ``role`` in ``env``, or None and why not."""
    if config.deployer:
        if env.deployer is None:
            return None, "the environment declares no deployer"
        return PrincipalRef("service_principal", env.deployer), ""
    for kind, declared in (("group", env.groups), ("service_principal", env.service_principals),
                           ("user", env.users)):
        name = getattr(config, kind)
        if name is not None:
            if name in declared:
                return PrincipalRef(kind, name), ""  # type: ignore[arg-type]
            return None, f"{kind.replace('_', ' ')} '{name}' is not declared in environment '{env.name}'"
    return None, "no player"


def resolve_access(env: EnvironmentConfig, access: AccessFile, loc: Locations,
                   env_loc: Locations) -> tuple[ResolvedAccess, list[Diagnostic]]:
    found: list[Diagnostic] = []
    roles: dict[str, PrincipalRef] = {}
    for role, config in sorted(access.roles.items()):
        principal, _ = _player(role, config, env)
        if principal is not None:
            roles[role] = principal
    by_kind: dict[str, list[tuple[Grant, tuple]]] = {}
    for role, kinds in sorted(access.matrix.items()):
        for kind, cell in sorted(kinds.items()):
            level, key = level_for(cell, env.name, env.stage)
            if level is None and role in access.roles and access.roles[role].deployer and env.deployer \
                    and DEPLOYER_LEVEL.get(kind):
                found.append(_diag(loc, ("matrix", role, kind) + key, f"the deployer '{env.deployer}' would get no "
                                   f"access to the {kind.replace('_', ' ')} objects it deploys in '{env.name}'",
                                   " or ".join(DEPLOYER_LEVEL[kind]) + " (Databricks keeps the deploying "
                                   "identity at manage level)"))
            if level is None or kind not in PERMISSION_LEVELS or role not in access.roles:
                continue
            path = ("matrix", role, kind) + key
            principal, why = _player(role, access.roles[role], env)
            if principal is None:
                found.append(_diag(loc, path, f"role '{role}' gets {level} in environment '{env.name}', "
                                   f"but {why}", f"the role's player declared in envs/{env.name}.yaml"))
                continue
            by_kind.setdefault(kind, []).append((Grant(principal, level, role), path))
    resolved = ResolvedAccess(roles, {k: tuple(sorted(g for g, _ in v)) for k, v in sorted(by_kind.items())})
    for kind, pairs in by_kind.items():
        found.extend(check_grants(env, kind, pairs, loc))
    found.extend(check_object_overrides(env, access, resolved, env_loc))
    return resolved, found


def check_grants(env: EnvironmentConfig, kind: str, pairs: list[tuple[Grant, tuple]],
                 loc: Locations) -> list[Diagnostic]:
    """Rules on the final ACL of one asset kind in one environment."""
    found: list[Diagnostic] = []
    seen: dict[PrincipalRef, Grant] = {}
    for grant, path in pairs:
        who = grant.principal
        if who.kind == "group" and who.name == "admins":
            found.append(_diag(loc, path, f"role '{grant.role}' gives the admins group {grant.level} on "
                               f"{kind.replace('_', ' ')} objects in '{env.name}'",
                               "no object permissions for admins (Databricks rejects them; admins "
                               "can do everything anyway)"))
        if who in seen:
            found.append(_diag(loc, path, f"{who.kind.replace('_', ' ')} '{who.name}' gets {kind.replace('_', ' ')} "
                               f"levels from roles '{seen[who].role}' and '{grant.role}' in '{env.name}'",
                               "one level per principal and object (two levels drift forever)"))
        seen[who] = grant
        if env.deployer and who == PrincipalRef("service_principal", env.deployer) \
                and grant.level not in DEPLOYER_LEVEL[kind]:
            found.append(_diag(loc, path, f"the deployer '{env.deployer}' would get only {grant.level} "
                               f"on {kind.replace('_', ' ')} objects in '{env.name}'",
                               " or ".join(DEPLOYER_LEVEL[kind]) + " (Databricks keeps the deploying "
                               "identity at manage level)"))
    if kind in OWNER_KINDS:
        owners = [(g, p) for g, p in pairs if g.level == "IS_OWNER"]
        anchor = pairs[0][1][:3]
        if len(owners) != 1:
            found.append(_diag(loc, owners[1][1] if len(owners) > 1 else anchor,
                               f"{kind}s in '{env.name}' have {len(owners)} IS_OWNER grants",
                               "exactly one IS_OWNER, a user or service principal (usually the deployer)"))
        for grant, path in owners:
            if grant.principal.kind == "group":
                found.append(_diag(loc, path, f"group '{grant.principal.name}' cannot own {kind}s",
                                   "a user or service principal as IS_OWNER"))
    return found


def check_object_overrides(env: EnvironmentConfig, access: AccessFile, resolved: ResolvedAccess,
                           env_loc: Locations) -> list[Diagnostic]:
    """Per-object `access:` overrides on cluster policies and clusters."""
    found: list[Diagnostic] = []
    objects = [("cluster_policies", "cluster_policy", env.cluster_policies),
               ("clusters", "cluster", env.clusters)]
    for section, kind, items in objects:
        for name, item in items.items():
            for role, level in item.access.items():
                path = (section, name, "access", role)
                if role not in access.roles:
                    found.append(_diag(env_loc, path, f"role '{role}' is not defined in envs/{ACCESS_FILE}",
                                       "one of " + ", ".join(sorted(access.roles)), closest(role, access.roles)))
                    continue
                found.extend(check_level(env_loc, path, kind, level))
                if level == NO_ACCESS:
                    continue
                if role not in resolved.roles:
                    _, why = _player(role, access.roles[role], env)
                    found.append(_diag(env_loc, path, f"role '{role}' cannot be granted here: {why}"))
                elif resolved.roles[role] == PrincipalRef("group", "admins"):
                    found.append(_diag(env_loc, path, "the admins group cannot be given object permissions"))
    return found


def access_table(access: AccessFile, environments: Mapping[str, str]) -> str:
    """The matrix as Markdown: per asset kind, a row per role, a column per environment."""
    names = list(environments)
    lines = ["| asset kind | role | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 2)]
    for kind in ASSET_KINDS:
        for role in sorted(access.matrix):
            cell = access.matrix[role].get(kind)
            if cell is None:
                continue
            levels = [level_for(cell, name, environments[name])[0] or "-" for name in names]
            lines.append(f"| {kind} | {role} | " + " | ".join(levels) + " |")
    return "\n".join(lines) + "\n"
