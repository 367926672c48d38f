"""The Azure side of one environment: resource group, workspace, lakehouse storage, Key Vault, and
when asked their private endpoints and diagnostic logs."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Optional

from constructs import Construct

from ..generic import GenericResource

from .key_vault import KeyVault, KeyVaultProps
from .lakehouse_storage import SERVICES, LakehouseStorage, LakehouseStorageProps
from .monitoring import LogAnalytics, LogAnalyticsProps
from .private_link import PrivateLink, PrivateLinkProps
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
    # Left out: no private endpoints. Given: blob and dfs of the storage, the vault, and the
    # workspace's databricks_ui_api and browser_authentication get endpoints in its subnet.
    private_link: Optional[PrivateLinkProps] = None
    logging: Optional[LogAnalyticsProps] = None  # left out: no diagnostic settings
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
        if props.private_link is not None:
            self._private_endpoints(PrivateLink(self, "private-link", _in_group(props.private_link, group_name)), props)
        if props.logging is not None:
            self._diagnostics(LogAnalytics(self, "logging", _in_group(props.logging, group_name)))

    def _private_endpoints(self, link: PrivateLink, props: AzurePlatformProps) -> None:
        if self.storage is not None:
            for sub in ("blob", "dfs"):
                link.endpoint(f"pe-{props.storage.account_name}-{sub}", self.storage.storage_account_id, sub)
        if self.key_vault is not None:
            link.endpoint(f"pe-{props.key_vault.name}-vault", self.key_vault.key_vault_id, "vault")
        if self.workspace is not None:
            for sub, short in (("databricks_ui_api", "ui-api"), ("browser_authentication", "browser-auth")):
                link.endpoint(f"pe-{props.workspace.name}-{short}", self.workspace.workspace_resource_id, sub)

    def _diagnostics(self, logs: LogAnalytics) -> None:
        """Storage: account metrics, and logs plus metrics of each data service; Key Vault: all
        logs (audit included) and metrics."""
        if self.storage is not None:
            logs.send(self.storage, "diagnostics-account", self.storage.storage_account_id, logs=())
            for service in SERVICES:
                logs.send(self.storage, f"diagnostics-{service}", self.storage.service_id(service))
        if self.key_vault is not None:
            logs.send(self.key_vault, "diagnostics", self.key_vault.key_vault_id, metrics=("AllMetrics",))

    @property
    def created_workspace(self) -> Optional[IWorkspace]:
        return self.workspace


def _in_group(props, group_name: str):
    """The same props, bound to the group's name token so Terraform creates the group first."""
    return replace(props, resource_group_name=group_name)
