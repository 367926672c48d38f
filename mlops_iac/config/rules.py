"""Semantic rules that a single field's type cannot express, run after binding.

Each rule is a small function ``(env, locations) -> diagnostics``; cross-environment rules take
all environments at once. They catch at synth time what Azure would only reject at apply time.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .binder import Locations, diagnostic_at
from .diagnostics import Diagnostic
from .governance_rules import GOVERNANCE_RULES
from .model import EnvironmentConfig
from .secrets import environment_secrets
from .security_rules import SECURITY_RULES

Rule = Callable[[EnvironmentConfig, Locations], Iterable[Diagnostic]]


_diag = diagnostic_at


def _is_set(locations: Locations, path: tuple) -> bool:
    return tuple(path) in locations.keys


def workspace_created_or_adopted(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    ws = env.workspace
    if ws.existing is None and ws.name is None:
        yield _diag(loc, ("workspace",), "neither 'name' (create a workspace) nor 'existing' "
                    "(adopt one) is set", "exactly one of workspace.name or workspace.existing")
    if ws.existing is not None and ws.name is not None:
        yield _diag(loc, ("workspace", "existing"), "both 'name' and 'existing' are set",
                    "exactly one of workspace.name (create) or workspace.existing (adopt)")
    if ws.existing is not None:
        for key in ("vnet", "managed_resource_group", "network_security_group_rules"):
            if _is_set(loc, ("workspace", key)):
                yield _diag(loc, ("workspace", key), f"'{key}' has no effect on an adopted workspace",
                            "no creation settings together with workspace.existing")


def private_workspace_needs_vnet(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    ws = env.workspace
    if not env.greenfield or ws.public_network_access:
        return
    if ws.vnet is None:
        yield _diag(loc, ("workspace", "public_network_access"),
                    "public_network_access: false needs VNet injection",
                    "a workspace.vnet section (virtual network and subnets) for a private workspace")
    if ws.network_security_group_rules == "AllRules":
        yield _diag(loc, ("workspace", "network_security_group_rules"),
                    "AllRules is rejected by Azure when public network access is disabled",
                    "NoAzureDatabricksRules")
    if ws.sku != "premium":
        yield _diag(loc, ("workspace", "sku"),
                    f"'{ws.sku}' does not support private link", "premium")


def managed_resource_group_is_new(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    if env.greenfield and env.managed_resource_group.lower() == env.azure.resource_group.lower():
        yield _diag(loc, ("workspace", "managed_resource_group"),
                    "the managed resource group must not be the workspace's own resource group",
                    "a new resource group name that Azure Databricks creates")


def state_backend_complete(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    state = env.state
    remote_keys = ("resource_group", "storage_account", "container")
    if state.backend == "azurerm":
        for key in remote_keys:
            if getattr(state, key) is None:
                yield _diag(loc, ("state", "backend"), f"azurerm backend needs state.{key}",
                            f"state.{key} naming the existing state storage")
        if state.sandbox:
            yield _diag(loc, ("state", "sandbox"), "'sandbox' only applies to backend: local",
                        "backend: local, or remove the key")
    else:
        for key in remote_keys + ("key_prefix",):
            if _is_set(loc, ("state", key)):
                yield _diag(loc, ("state", key), f"'{key}' is only used by the azurerm backend",
                            "backend: azurerm, or remove the key")


_TAG_NAME_FORBIDDEN = re.compile(r"[<>%&\\?/]")
# Azure Resource Manager: tag names are case-insensitive, at most 512 characters, and names
# starting with these prefixes are reserved for Azure; at most 50 tags per resource.
RESERVED_TAG_PREFIXES = ("microsoft", "azure", "windows")
MAX_TAGS = 50
ADDED_TAGS = ("environment", "managed_by")  # added to every resource by the stacks


def tags_are_valid(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    seen: dict[str, str] = {}
    for name, value in env.azure.tags.items():
        path = ("azure", "tags", name)
        if len(name) > 512 or _TAG_NAME_FORBIDDEN.search(name):
            yield _diag(loc, path, f"tag name '{name}' is not allowed by Azure",
                        "at most 512 characters, none of < > % & \\ ? /")
        if name.lower().startswith(RESERVED_TAG_PREFIXES):
            yield _diag(loc, path, f"tag name '{name}' starts with a prefix Azure reserves",
                        "a name not starting with " + ", ".join(RESERVED_TAG_PREFIXES) + " (in any case)")
        if name.lower() in seen:
            yield _diag(loc, path, f"tag '{name}' and tag '{seen[name.lower()]}' are the same tag for Azure "
                        "(tag names are case-insensitive)", "one spelling per tag name")
        seen.setdefault(name.lower(), name)
        if len(value) > 256:
            yield _diag(loc, path, f"tag value has {len(value)} characters", "at most 256")
    total = len(seen.keys() | set(ADDED_TAGS))
    if total > MAX_TAGS:
        yield _diag(loc, ("azure", "tags"), f"{total} tags per resource with the "
                    f"{' and '.join(ADDED_TAGS)} tags the tool adds", f"at most {MAX_TAGS} (Azure's limit)")


def subnets_are_distinct(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    vnet = env.workspace.vnet
    if vnet is not None and vnet.public_subnet.name == vnet.private_subnet.name:
        yield _diag(loc, ("workspace", "vnet", "private_subnet", "name"),
                    f"subnet '{vnet.private_subnet.name}' is both the public and the private subnet",
                    "two subnets, each delegated to Microsoft.Databricks/workspaces (Azure rejects one for both)")


ENVIRONMENT_RULES: tuple[Rule, ...] = (
    workspace_created_or_adopted,
    private_workspace_needs_vnet,
    managed_resource_group_is_new,
    state_backend_complete,
    tags_are_valid,
    subnets_are_distinct,
    environment_secrets,
)


def _globally_unique(envs: list[tuple[EnvironmentConfig, Locations]], what: str,
                     value_of: Callable[[EnvironmentConfig], str | None], path: tuple) -> Iterable[Diagnostic]:
    first: dict[str, str] = {}
    for env, loc in envs:
        value = value_of(env)
        if value is None:
            continue
        key = value.lower()
        if key in first:
            yield _diag(loc, path, f"{what} '{value}' is already used by environment '{first[key]}'",
                        f"each {what} used by one environment only")
        else:
            first[key] = env.name


def names_unique_across_environments(envs: list[tuple[EnvironmentConfig, Locations]]) -> Iterable[Diagnostic]:
    yield from _globally_unique(envs, "storage account", lambda e: e.storage and e.storage.account,
                                ("storage", "account"))
    yield from _globally_unique(envs, "key vault name", lambda e: e.key_vault and e.key_vault.name or None,
                                ("key_vault", "name"))
    yield from _globally_unique(envs, "workspace", lambda e: e.workspace.name and
                                f"{e.azure.resource_group}/{e.workspace.name}", ("workspace", "name"))
    yield from _globally_unique(envs, "managed resource group",
                                lambda e: e.greenfield and e.managed_resource_group or None,
                                ("workspace", "managed_resource_group"))
    yield from _globally_unique(envs, "adopted workspace",
                                lambda e: e.workspace.existing and e.workspace.existing.url.rstrip("/"),
                                ("workspace", "existing", "url"))


def check_environment(env: EnvironmentConfig, loc: Locations) -> list[Diagnostic]:
    """The rules of one environment on its own (the pipeline keeps them per environment)."""
    return [found for rule in ENVIRONMENT_RULES + GOVERNANCE_RULES + SECURITY_RULES for found in rule(env, loc)]


def run_rules(envs: list[tuple[EnvironmentConfig, Locations]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for env, loc in envs:
        found.extend(check_environment(env, loc))
    found.extend(names_unique_across_environments(envs))
    return found
