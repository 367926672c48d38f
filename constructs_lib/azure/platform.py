"""The Azure side of one environment: resource group, workspace, lakehouse storage, Key Vault."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Optional

from constructs import Construct

from ..generic import GenericResource

from .key_vault import KeyVault, KeyVaultProps
from .lakehouse_storage import LakehouseStorage, LakehouseStorageProps
from .provider import azurerm_resource
from .workspace import IWorkspace, Workspace, WorkspaceProps


@dataclass(frozen=True)
class AzurePlatformProps:
    resource_group_name: str
    location: str
    create_resource_group: bool = True  # false: the group exists and another team owns it
    workspace: Optional[WorkspaceProps] = None  # left out: no workspace created (adopted one)
    storage: Optional[LakehouseStorageProps] = None  # left out: no storage account
    key_vault: Optional[KeyVaultProps] = None  # left out: no Key Vault
    tags: Mapping[str, str] = field(default_factory=dict)


class AzurePlatform(Construct):
    """Creates what the props ask for in one resource group; every resource depends on the group."""

    def __init__(self, scope: Construct, id: str, props: AzurePlatformProps) -> None:
        super().__init__(scope, id)
        self.resource_group: Optional[GenericResource] = None
        group_name = props.resource_group_name
        if props.create_resource_group:
            self.resource_group = azurerm_resource(self, "resource-group", "azurerm_resource_group", dict(
                name=props.resource_group_name, location=props.location, tags=dict(sorted(props.tags.items()))))
            group_name = self.resource_group.attribute("name")  # a reference orders creation after the group
        self.workspace: Optional[Workspace] = None
        if props.workspace is not None:
            self.workspace = Workspace(self, "workspace", _in_group(props.workspace, group_name))
        self.storage: Optional[LakehouseStorage] = None
        if props.storage is not None:
            self.storage = LakehouseStorage(self, "lakehouse-storage", _in_group(props.storage, group_name))
        self.key_vault: Optional[KeyVault] = None
        if props.key_vault is not None:
            self.key_vault = KeyVault(self, "key-vault", _in_group(props.key_vault, group_name))

    @property
    def created_workspace(self) -> Optional[IWorkspace]:
        return self.workspace


def _in_group(props, group_name: str):
    """The same props, bound to the group's name token so Terraform creates the group first."""
    return replace(props, resource_group_name=group_name)
