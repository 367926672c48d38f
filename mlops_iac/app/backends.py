"""Terraform state per stack: one azurerm blob per stack (locked), local files only for sandboxes,
and a local override for the offline trial (MLOPS_IAC_OFFLINE_STATE_DIR)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from cdktf import AzurermBackend, LocalBackend, TerraformStack

from mlops_iac.config.model import StateConfig

from .state_policy import offline_state_dir

# Terraform runs in cdktf.out/stacks/<id>/; state lives outside cdktf.out so that a new synth,
# which replaces cdktf.out whole, never touches it. A relative path keeps the JSON identical on
# every machine and resolves the same from every stack directory (cross-stack remote state).
LOCAL_STATE_DIR = "../../../terraform-state"


def configure_backend(stack: TerraformStack, state: StateConfig, stack_id: str,
                      environ: Mapping[str, str] = os.environ) -> None:
    """The stack's backend. Offline mode wins over the config: every stack then keeps local state
    in the offline folder, and cross-stack remote state (derived by cdktf from this backend) reads
    it from there too, so an offline run can never touch the real state."""
    offline = offline_state_dir(environ)
    if offline is not None:
        LocalBackend(stack, path=str(Path(offline) / f"{stack_id}.tfstate"))
    elif state.backend == "azurerm":
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
