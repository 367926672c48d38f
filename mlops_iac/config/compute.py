"""Derived facts of an environment's compute governance, used by rules, projects and stacks."""
from __future__ import annotations

from typing import Optional

from .model import EnvironmentConfig


def policy_name(env: EnvironmentConfig, key: str) -> str:
    """The policy's name in the workspace (environment-prefixed by default: shared workspaces)."""
    policy = env.cluster_policies[key]
    return policy.name or f"{env.name}-{key}"


def policy_fixed_tags(env: EnvironmentConfig, policy_key: Optional[str]) -> dict[str, str]:
    """Tags a policy fixes on its clusters. Written into each cluster too: a tag the policy injects
    behind Terraform's back shows as a diff on every plan (a known provider drift source)."""
    if policy_key is None or policy_key not in env.cluster_policies:
        return {}
    policy = env.cluster_policies[policy_key]
    definition = policy.definition or policy.overrides or {}
    prefix = "custom_tags."
    return {path[len(prefix):]: str(rule["value"]) for path, rule in sorted(definition.items())
            if path.startswith(prefix) and isinstance(rule, dict) and rule.get("type") == "fixed"}
