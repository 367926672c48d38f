"""An Azure Databricks workspace: created here (greenfield) or adopted by URL (brownfield)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Protocol

from constructs import Construct

from .provider import azurerm_resource


class IWorkspace(Protocol):
    """What a workspace-level stack needs to bind the databricks provider to a workspace."""

    @property
    def workspace_url(self) -> str: ...  # https://adb-<id>.<n>.azuredatabricks.net

    @property
    def workspace_resource_id(self) -> str: ...  # Azure resource id


@dataclass(frozen=True)
class VnetInjectionProps:
    virtual_network_id: str
    public_subnet_name: str
    private_subnet_name: str
    public_subnet_nsg_association_id: str
    private_subnet_nsg_association_id: str


@dataclass(frozen=True)
class WorkspaceProps:
    name: str
    resource_group_name: str
    location: str
    managed_resource_group_name: str
    sku: str = "premium"  # permissions, cluster policies and Unity Catalog need premium
    no_public_ip: bool = True  # secure cluster connectivity
    public_network_access: bool = True
    # Left out: AllRules, or NoAzureDatabricksRules when public access is off (Azure requires it).
    network_security_group_rules: Optional[str] = None
    vnet: Optional[VnetInjectionProps] = None  # left out: Databricks-managed VNet
    customer_managed_key: Optional[WorkspaceKeyProps] = None  # left out: Microsoft-managed keys
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkspaceKeyProps:
    """One Key Vault key for managed services (notebooks, secrets, queries) and managed disks; the
    DBFS root is prepared for a key (customer_managed_key_enabled) and double-encrypted."""
    key_vault_id: str
    key_vault_key_id: str


@dataclass(frozen=True)
class ImportedWorkspace:
    workspace_url: str
    workspace_resource_id: str


class Workspace(Construct):
    """Creates ``azurerm_databricks_workspace``; exposes URL and resource id as attributes."""

    def __init__(self, scope: Construct, id: str, props: WorkspaceProps) -> None:
        super().__init__(scope, id)
        vnet = props.vnet
        rules = props.network_security_group_rules or (
            None if props.public_network_access else "NoAzureDatabricksRules")
        custom = dict(
            no_public_ip=props.no_public_ip,
            virtual_network_id=vnet.virtual_network_id if vnet else None,
            public_subnet_name=vnet.public_subnet_name if vnet else None,
            private_subnet_name=vnet.private_subnet_name if vnet else None,
            public_subnet_network_security_group_association_id=
                vnet.public_subnet_nsg_association_id if vnet else None,
            private_subnet_network_security_group_association_id=
                vnet.private_subnet_nsg_association_id if vnet else None,
        )
        self.resource = azurerm_resource(self, "workspace", "azurerm_databricks_workspace", dict(
            name=props.name,
            resource_group_name=props.resource_group_name,
            location=props.location,
            sku=props.sku,
            managed_resource_group_name=props.managed_resource_group_name,
            public_network_access_enabled=props.public_network_access,
            network_security_group_rules_required=rules,
            custom_parameters={key: value for key, value in custom.items() if value is not None},
            **_encryption(props.customer_managed_key),
            tags=dict(sorted(props.tags.items())),
        ))

    @property
    def workspace_url(self) -> str:
        return f"https://{self.resource.attribute('workspace_url')}"

    @property
    def workspace_resource_id(self) -> str:
        return self.resource.attribute("id")

    @property
    def workspace_id(self) -> str:
        return self.resource.attribute("workspace_id")

    @staticmethod
    def from_workspace_attributes(workspace_url: str, workspace_resource_id: str) -> IWorkspace:
        """Reference a workspace another team owns; creates no resource."""
        return ImportedWorkspace(workspace_url.rstrip("/"), workspace_resource_id)


def _encryption(key: Optional[WorkspaceKeyProps]) -> dict:
    if key is None:
        return {}
    return dict(
        customer_managed_key_enabled=True,
        infrastructure_encryption_enabled=True,
        managed_services_cmk_key_vault_id=key.key_vault_id,
        managed_services_cmk_key_vault_key_id=key.key_vault_key_id,
        managed_disk_cmk_key_vault_id=key.key_vault_id,
        managed_disk_cmk_key_vault_key_id=key.key_vault_key_id,
        managed_disk_cmk_rotation_to_latest_version_enabled=True,
    )
