"""Terraform state per stack: local files by default, one azurerm blob per stack when configured."""
from __future__ import annotations

from cdktf import AzurermBackend, LocalBackend, TerraformStack

from mlops_config.model import StateConfig

# Terraform runs in cdktf.out/stacks/<id>/; state lives outside cdktf.out so that a new synth,
# which replaces cdktf.out whole, never touches it. A relative path keeps the JSON identical on
# every machine and resolves the same from every stack directory (cross-stack remote state).
LOCAL_STATE_DIR = "../../../terraform-state"


def configure_backend(stack: TerraformStack, state: StateConfig, stack_id: str) -> None:
    if state.backend == "azurerm":
        AzurermBackend(
            stack,
            resource_group_name=state.resource_group,
            storage_account_name=state.storage_account,
            container_name=state.container,
            key=f"{state.key_prefix}{stack_id}.tfstate",
            use_azuread_auth=True,  # Entra ID, never storage access keys in config
        )
    else:
        LocalBackend(stack, path=f"{LOCAL_STATE_DIR}/{stack_id}.tfstate")
