"""Which stacks an environment has and how they depend on each other, from the typed config alone.

cdktf-free on purpose: the CI templates, the plan command and `mlops-iac stacks` ask this before
(or without) synthesizing. The app builds exactly these stacks (mlops_iac/app/assembly.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from mlops_iac.config.model import EnvironmentConfig

from .naming import PLATFORM, WORKSPACE, stack_id


@dataclass(frozen=True)
class StackInfo:
    id: str
    environment: str
    kind: str  # platform | workspace
    depends_on: tuple[str, ...]  # stacks whose applied state (outputs) this one reads
    backend: str  # azurerm | local


def has_platform_resources(env: EnvironmentConfig) -> bool:
    """Anything for the azurerm stack to create: workspace, storage, Key Vault or resource group."""
    return bool(env.greenfield or env.storage or (env.key_vault and env.key_vault.name)
                or env.azure.create_resource_group)


def reads_platform_outputs(env: EnvironmentConfig) -> bool:
    """The workspace stack reads the platform stack's state when the workspace or the Key Vault
    it uses is created there (a cross-stack reference: terraform_remote_state)."""
    creates_vault = (env.key_vault is not None and env.key_vault.existing is None
                     and bool(env.key_vault.name))
    return has_platform_resources(env) and (env.greenfield or creates_vault)


def environment_stacks(env: EnvironmentConfig) -> list[StackInfo]:
    """The environment's stacks in deploy order: platform (when it has resources), workspace."""
    stacks = []
    platform_id = stack_id(env.name, PLATFORM)
    if has_platform_resources(env):
        stacks.append(StackInfo(platform_id, env.name, PLATFORM, (), env.state.backend))
    depends = (platform_id,) if reads_platform_outputs(env) else ()
    stacks.append(StackInfo(stack_id(env.name, WORKSPACE), env.name, WORKSPACE, depends, env.state.backend))
    return stacks
