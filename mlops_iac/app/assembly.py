"""Assemble the cdktf app: per environment a platform stack and a workspace stack."""
from __future__ import annotations

from typing import Optional

from cdktf import App

from constructs_lib.azure import KeyVault, Workspace
from mlops_iac.config import ConfigError, EnvironmentConfig, LoadedEnvironment
from mlops_iac.config.binder import diagnostic_at

from .origins import Origins, record_environment
from .platform_stack import PlatformStack, has_platform_resources
from .protection import protect_stateful
from .workspace_stack import WorkspaceStack


def build_environment(app: App, env: EnvironmentConfig) -> list:
    stacks = []
    platform = None
    if has_platform_resources(env):
        platform = PlatformStack(app, env)
        stacks.append(platform)
    if env.greenfield:
        workspace = platform.platform.workspace  # cross-stack reference: outputs + remote state
    else:
        existing = env.workspace.existing
        workspace = Workspace.from_workspace_attributes(existing.url, existing.resource_id)
    key_vault = None
    if env.key_vault is not None and env.key_vault.existing is not None:
        existing_vault = env.key_vault.existing
        key_vault = KeyVault.from_key_vault_attributes(existing_vault.resource_id, existing_vault.dns_name)
    elif platform is not None:
        key_vault = platform.platform.key_vault  # cross-stack reference when created here
    workspace_stack = WorkspaceStack(app, env, workspace, key_vault)
    if platform is not None:
        workspace_stack.add_dependency(platform)
    stacks.append(workspace_stack)
    return stacks


def build_app(environments: list[LoadedEnvironment], outdir: str, origins: Optional[Origins] = None) -> App:
    """The app with every environment's stacks (guardrails run on the synthesized JSON afterwards:
    mlops_iac.app.guardrail_checks). ``origins``, when given, receives the config line of each construct
    (kept out of the JSON) for the guardrail findings."""
    # stack_traces off: traces hold absolute file paths and would make the JSON machine-specific.
    app = App(outdir=outdir, stack_traces=False)
    errors = []
    for loaded in environments:
        env = loaded.config
        retired = {f"{env.name}-{entry}": i for i, entry in enumerate(env.retire)}
        found: set[str] = set()
        stacks = build_environment(app, env)
        for stack in stacks:
            if env.stage == "production":
                found |= protect_stateful(stack, tuple(retired))[1]
        errors += [_retire_error(loaded, index, path, env.stage == "production")
                   for path, index in retired.items() if path not in found]
        if origins is not None:
            workspace = stacks[-1]
            record_environment(origins, loaded, workspace.projects, with_platform=len(stacks) > 1)
    if errors:
        raise ConfigError(errors)
    return app


def _retire_error(loaded: LoadedEnvironment, index: int, path: str, production: bool):
    entry = loaded.config.retire[index]
    if not production:
        return diagnostic_at(loaded.locations, ("retire", index),
                             f"'{entry}': only production protects stateful resources, nothing to retire",
                             "no retire entries outside production")
    return diagnostic_at(loaded.locations, ("retire", index), f"'{entry}' names no construct of "
                         f"{loaded.config.name}", "the construct path of an object that still exists "
                         "(see the '//' metadata path in cdktf.out), without the environment prefix")
