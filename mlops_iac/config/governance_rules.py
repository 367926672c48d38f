"""Rules on identities and compute governance of one environment (after binding).

Each rule is ``(env, locations) -> diagnostics``, like the platform rules in rules.py.
"""
from __future__ import annotations

import re
from typing import Collection, Iterable

from mlops_iac.provider_facts import (
    AUTOTERMINATION_RANGE, BUILTIN_GROUPS, DATA_SECURITY_MODE_ALIASES, DATA_SECURITY_MODES,
    POLICY_NAME_MAX,
)

from .binder import Locations, diagnostic_at, render_path
from .diagnostics import Diagnostic, closest
from .governance_model import EMAIL
from .compute import policy_name
from .model import EnvironmentConfig


_diag = diagnostic_at


def _unknown(loc: Locations, path: tuple, what: str, name: str, declared: Iterable[str], where: str) -> Diagnostic:
    declared = sorted(declared)
    return _diag(loc, path, f"{what} '{name}' is not declared",
                 f"a key of {where}" + (f" ({', '.join(declared)})" if declared else " (none declared)"),
                 closest(name, declared))


def members_are_declared(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    sections = (("users", env.users, "users"), ("service_principals", env.service_principals,
                                                 "service_principals"), ("groups", env.groups, "groups"))
    for group_name, group in env.groups.items():
        for field, declared, where in sections:
            for i, member in enumerate(getattr(group, field)):
                if member not in declared:
                    yield _unknown(loc, ("groups", group_name, field, i), field[:-1].replace("_", " "),
                                   member, declared, where)


def user_names_are_emails(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    for name in env.users:
        if not re.fullmatch(EMAIL, name):
            yield Diagnostic(loc.key_of(("users", name)), render_path(("users", name)),
                             f"'{name}' is not a user name", "the user's e-mail address (user name)")


def groups_do_not_nest_in_cycles(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for child in env.groups.get(start).groups if start in env.groups else ():
            if child == target or (child not in seen and reaches(child, target, seen | {child})):
                return True
        return False

    for name, group in sorted(env.groups.items()):
        for i, child in enumerate(group.groups):
            if child == name or reaches(child, name, {child}):
                yield _diag(loc, ("groups", name, "groups", i), f"group '{name}' would contain itself through '{child}'",
                            "nested groups without cycles")


def external_groups_keep_their_members(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    for name, group in env.groups.items():
        if group.external and name not in BUILTIN_GROUPS:
            for field in ("users", "service_principals", "groups"):
                if getattr(group, field):
                    yield _diag(loc, ("groups", name, field), f"external group '{name}' lists {field}",
                                "members of an external group are managed where the group is (Entra ID)")


def builtin_entitlements_only_when_asked(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    for name in sorted(BUILTIN_GROUPS & set(env.groups)):
        group = env.groups[name]
        if group.entitlements is not None and not group.manage_builtin_entitlements:
            yield _diag(loc, ("groups", name, "entitlements"),
                        f"entitlements of the built-in '{name}' group are not managed by default",
                        "manage_builtin_entitlements: true on the group, if you really mean it "
                        "(Databricks changes them behind Terraform's back: endless drift)")


def principals_are_unique(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    seen: dict[str, str] = {}
    for name, sp in sorted(env.service_principals.items()):
        app = sp.application_id.lower()
        if app in seen:
            yield _diag(loc, ("service_principals", name, "application_id"),
                        f"application id already used by service principal '{seen[app]}'",
                        "one declaration per service principal")
        seen[app] = name
    names: dict[str, str] = {}
    for key, group in sorted(env.groups.items()):
        display = (group.display_name or key).lower()
        if display in names:
            yield _diag(loc, ("groups", key), f"group name '{group.display_name or key}' is also used by "
                        f"group '{names[display]}'", "unique group names in a workspace")
        names[display] = key


def deployer_is_declared(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    if env.deployer is not None and env.deployer not in env.service_principals:
        yield _unknown(loc, ("deployer",), "service principal", env.deployer, env.service_principals,
                       "service_principals")


def policies_are_well_formed(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    names: dict[str, str] = {}
    for key, policy in sorted(env.cluster_policies.items()):
        path = ("cluster_policies", key)
        sources = [s for s in ("definition", "definition_file", "family") if getattr(policy, s) is not None]
        if len(sources) != 1:
            yield _diag(loc, path + ((sources[1],) if len(sources) > 1 else ()),
                        f"policy '{key}' sets {' and '.join(sources) or 'none of definition, definition_file, family'}",
                        "exactly one of definition, definition_file or family (policy_family_id)")
        if policy.overrides is not None and policy.family is None:
            yield _diag(loc, path + ("overrides",), "overrides need a policy family",
                        "family: <policy family id>, or put the rules in the definition")
        name = policy_name(env, key)
        if len(name) > POLICY_NAME_MAX:
            yield _diag(loc, path + (("name",) if policy.name else ()),
                        f"policy name '{name}' has {len(name)} characters", f"at most {POLICY_NAME_MAX}")
        if name.lower() in names:
            yield _diag(loc, path, f"policy name '{name}' is also used by policy '{names[name.lower()]}'",
                        "unique cluster policy names in a workspace")
        names[name.lower()] = key
        if policy.purpose == "personal" and env.stage == "production":
            yield _diag(loc, path + ("purpose",), f"personal compute policy '{key}' in production environment "
                        f"'{env.name}'", "no personal compute in production: remove it with "
                        f"'{key}: null' in envs/{env.name}.yaml")
        for i, script in enumerate(policy.init_scripts):
            if script not in env.init_scripts:
                yield _unknown(loc, path + ("init_scripts", i), "init script", script, env.init_scripts, "init_scripts")
        for i, library in enumerate(policy.libraries):
            kinds = [k for k in ("pypi", "maven", "whl", "jar", "requirements") if getattr(library, k)]
            if len(kinds) != 1:
                yield _diag(loc, path + ("libraries", i), f"library sets {len(kinds)} kinds ({', '.join(kinds)})",
                            "exactly one of pypi, maven, whl, jar, requirements")
    for purpose, what in (("job", "job cluster"), ("pipeline", "pipeline cluster")):
        keys = [k for k, p in sorted(env.cluster_policies.items()) if p.purpose == purpose]
        if len(keys) > 1:
            yield _diag(loc, ("cluster_policies", keys[1], "purpose"),
                        f"policies {', '.join(keys)} all have purpose {purpose}",
                        f"one {purpose} policy per environment (every {what} gets it)")


def clusters_are_well_formed(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    low, high = AUTOTERMINATION_RANGE
    for name, cluster in sorted(env.clusters.items()):
        path = ("clusters", name)
        if cluster.policy is not None and cluster.policy not in env.cluster_policies:
            yield _unknown(loc, path + ("policy",), "cluster policy", cluster.policy, env.cluster_policies,
                           "cluster_policies")
        if (cluster.num_workers is None) == (cluster.autoscale is None):
            yield _diag(loc, path, f"cluster '{name}' sets {'both' if cluster.autoscale else 'neither'} "
                        "num_workers and autoscale", "exactly one of num_workers or autoscale")
        if cluster.autoscale and cluster.autoscale.min_workers > cluster.autoscale.max_workers:
            yield _diag(loc, path + ("autoscale",), "min_workers is above max_workers",
                        "min_workers <= max_workers")
        if not low <= cluster.autotermination_minutes <= high:
            yield _diag(loc, path + ("autotermination_minutes",),
                        f"{cluster.autotermination_minutes} minutes is outside what Databricks accepts",
                        f"{low}-{high} (an interactive cluster must stop when idle)")
        mode = cluster.data_security_mode
        if mode in DATA_SECURITY_MODE_ALIASES:
            yield _diag(loc, path + ("data_security_mode",), f"{mode} is an alias Databricks reports back as "
                        f"{DATA_SECURITY_MODE_ALIASES[mode]} (a permanent diff)",
                        DATA_SECURITY_MODE_ALIASES[mode], DATA_SECURITY_MODE_ALIASES[mode])
        elif mode not in DATA_SECURITY_MODES:
            yield _diag(loc, path + ("data_security_mode",), f"unknown access mode '{mode}'",
                        "one of " + ", ".join(DATA_SECURITY_MODES), closest(mode, DATA_SECURITY_MODES))
        if (mode == "SINGLE_USER") != (cluster.single_user_name is not None):
            yield _diag(loc, path + ("data_security_mode",), "single_user_name goes with SINGLE_USER only",
                        "data_security_mode: SINGLE_USER together with single_user_name")
        for i, script in enumerate(cluster.init_scripts):
            if script not in env.init_scripts:
                yield _unknown(loc, path + ("init_scripts", i), "init script", script, env.init_scripts, "init_scripts")


def key_vault_created_or_adopted(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    vault = env.key_vault
    if vault is not None and (vault.name is None) == (vault.existing is None):
        yield _diag(loc, ("key_vault",), f"key_vault sets {'both name and existing' if vault.name else 'neither name nor existing'}",
                    "exactly one of key_vault.name (create) or key_vault.existing (adopt)")
    if vault is None and ("secret_scope",) in loc.keys:
        yield _diag(loc, ("secret_scope",), "a Key Vault-backed secret scope needs a key_vault",
                    "a key_vault section, or remove secret_scope")


def suppressions_name_rules(env: EnvironmentConfig, loc: Locations, known: Collection[str]) -> Iterable[Diagnostic]:
    """Suppressions name rules of the pack the app applies; the app passes the pack's rule ids
    (configuration never imports guardrails, so the pack is decided in one place)."""
    for i, suppression in enumerate(env.guardrails.suppressions):
        if suppression.rule not in known:
            yield _diag(loc, ("guardrails", "suppressions", i, "rule"), f"unknown guardrail rule '{suppression.rule}'",
                        "one of " + ", ".join(sorted(known)), closest(suppression.rule, known))


GOVERNANCE_RULES = (
    members_are_declared, user_names_are_emails, groups_do_not_nest_in_cycles,
    external_groups_keep_their_members, builtin_entitlements_only_when_asked, principals_are_unique,
    deployer_is_declared, policies_are_well_formed, clusters_are_well_formed,
    key_vault_created_or_adopted,
)
