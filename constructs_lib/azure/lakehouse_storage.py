"""ADLS Gen2 storage for the Delta lakehouse: one account, a container per layer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from constructs import Construct

from .provider import azurerm_resource

SERVICES = ("blob", "queue", "table", "file")  # data services with diagnostic logs of their own


@dataclass(frozen=True)
class LakehouseStorageProps:
    account_name: str
    resource_group_name: str
    location: str
    replication: str = "ZRS"
    containers: Sequence[str] = ()  # left out: an account with no containers
    public_network_access: bool = True  # false: reachable through private endpoints only
    shared_access_key: bool = True  # false: Entra ID only (no account keys, no SFTP local users)
    soft_delete_days: Optional[int] = None  # blob and container soft delete; None: off
    sas_expiration: Optional[str] = None  # SAS expiration policy, D.HH:MM:SS; None: none
    customer_managed_key: Optional[CustomerManagedKeyProps] = None  # None: Microsoft-managed keys
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerManagedKeyProps:
    key_vault_key_id: str
    user_assigned_identity_id: str  # reads the key; needs Key Vault Crypto Service Encryption User


class LakehouseStorage(Construct):
    """Hierarchical namespace on, TLS 1.2 minimum, HTTPS only, no public blob access.

    Container construct ids are ``container-<name>``: adding a container never renames another.
    """

    def __init__(self, scope: Construct, id: str, props: LakehouseStorageProps) -> None:
        super().__init__(scope, id)
        self.account = azurerm_resource(self, "account", "azurerm_storage_account", dict(
            name=props.account_name,
            resource_group_name=props.resource_group_name,
            location=props.location,
            account_kind="StorageV2",
            account_tier="Standard",
            account_replication_type=props.replication,
            is_hns_enabled=True,
            min_tls_version="TLS1_2",
            https_traffic_only_enabled=True,
            allow_nested_items_to_be_public=False,
            public_network_access_enabled=props.public_network_access,
            shared_access_key_enabled=props.shared_access_key,
            default_to_oauth_authentication=not props.shared_access_key or None,
            local_user_enabled=props.shared_access_key,
            blob_properties=_blob_properties(props.soft_delete_days),
            sas_policy=[dict(expiration_period=props.sas_expiration, expiration_action="Log")]
            if props.sas_expiration else None,
            infrastructure_encryption_enabled=True if props.customer_managed_key else None,
            identity=_identity(props.customer_managed_key),
            customer_managed_key=props.customer_managed_key and [dict(
                key_vault_key_id=props.customer_managed_key.key_vault_key_id,
                user_assigned_identity_id=props.customer_managed_key.user_assigned_identity_id)],
            tags=dict(sorted(props.tags.items())),
        ))
        self.containers = {
            name: azurerm_resource(self, f"container-{name}", "azurerm_storage_container", dict(
                name=name,
                storage_account_id=self.account.attribute("id"),
                container_access_type="private",
            ))
            for name in sorted(props.containers)
        }

    @property
    def storage_account_id(self) -> str:
        return self.account.attribute("id")

    @property
    def storage_account_name(self) -> str:
        return self.account.attribute("name")

    def service_id(self, service: str) -> str:
        """The resource id of one data service (blob, queue, table, file): diagnostic settings
        target it."""
        return f"{self.storage_account_id}/{service}Services/default"


def _blob_properties(days: Optional[int]):
    if days is None:
        return None
    # No versioning: Azure does not support blob versioning on accounts with a hierarchical
    # namespace (the lakehouse needs one); soft delete covers deleted blobs and containers.
    return [dict(delete_retention_policy=[dict(days=days)], container_delete_retention_policy=[dict(days=days)])]


def _identity(key: Optional[CustomerManagedKeyProps]):
    return key and [dict(type="UserAssigned", identity_ids=[key.user_assigned_identity_id])]
