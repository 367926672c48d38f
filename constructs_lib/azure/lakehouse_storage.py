"""ADLS Gen2 storage for the Delta lakehouse: one account, a container per layer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from constructs import Construct

from .provider import azurerm_resource


@dataclass(frozen=True)
class LakehouseStorageProps:
    account_name: str
    resource_group_name: str
    location: str
    replication: str = "ZRS"
    containers: Sequence[str] = ()  # left out: an account with no containers
    tags: Mapping[str, str] = field(default_factory=dict)


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
