"""Key Vault for an environment's secrets, RBAC-authorized (no access policies to drift)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from constructs import Construct

from .provider import azurerm_resource


class IKeyVault(Protocol):
    """What a Key Vault-backed secret scope needs."""

    @property
    def key_vault_id(self) -> str: ...

    @property
    def key_vault_uri(self) -> str: ...


@dataclass(frozen=True)
class ImportedKeyVault:
    key_vault_id: str
    key_vault_uri: str


@dataclass(frozen=True)
class KeyVaultProps:
    name: str
    resource_group_name: str
    location: str
    tenant_id: str
    sku: str = "standard"
    purge_protection: bool = True
    soft_delete_retention_days: int = 90
    # Firewall: deny by default, trusted Azure services and these public ranges admitted. A Key
    # Vault-backed Databricks secret scope is read by the Databricks control plane over the public
    # endpoint, so such a vault keeps public access "from selected networks" (the ranges below)
    # instead of none; data-plane clients use the private endpoint.
    firewall: bool = False
    public_network_access: bool = True  # false: private endpoint only (no secret scope can use it)
    allowed_ip_ranges: Sequence[str] = ()
    tags: Mapping[str, str] = field(default_factory=dict)


class KeyVault(Construct):
    """Secret values are never managed here: they are written to the vault out of band."""

    def __init__(self, scope: Construct, id: str, props: KeyVaultProps) -> None:
        super().__init__(scope, id)
        self.resource = azurerm_resource(self, "vault", "azurerm_key_vault", dict(
            name=props.name,
            resource_group_name=props.resource_group_name,
            location=props.location,
            tenant_id=props.tenant_id,
            sku_name=props.sku,
            rbac_authorization_enabled=True,
            purge_protection_enabled=props.purge_protection,
            soft_delete_retention_days=props.soft_delete_retention_days,
            public_network_access_enabled=props.public_network_access,
            network_acls=[dict(default_action="Deny", bypass="AzureServices", ip_rules=sorted(props.allowed_ip_ranges),
                               virtual_network_subnet_ids=[])] if props.firewall else None,
            tags=dict(sorted(props.tags.items())),
        ))

    @property
    def key_vault_id(self) -> str:
        return self.resource.attribute("id")

    @property
    def key_vault_uri(self) -> str:
        return self.resource.attribute("vault_uri")

    @staticmethod
    def from_key_vault_attributes(key_vault_id: str, key_vault_uri: str) -> IKeyVault:
        """Reference a vault another team owns; creates no resource."""
        return ImportedKeyVault(key_vault_id, key_vault_uri)
