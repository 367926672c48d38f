"""Private endpoints in the workspace VNet and the private DNS zones that resolve them.

A zone is adopted by id (a central hub zone, common in enterprises) or created in the
environment's resource group with a link to the VNet; each endpoint registers its address in its
zone through a DNS zone group, so no A record is managed by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from constructs import Construct

from .provider import azurerm_resource

ZONES = {  # private endpoint sub-resource -> its private DNS zone
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
    "databricks_ui_api": "privatelink.azuredatabricks.net",
    "browser_authentication": "privatelink.azuredatabricks.net",
}


@dataclass(frozen=True)
class PrivateLinkProps:
    subnet_id: str  # the subnet the endpoints get their addresses from
    virtual_network_id: str  # created zones are linked to it
    resource_group_name: str
    location: str
    existing_zone_ids: Mapping[str, str] = field(default_factory=dict)  # zone name -> id to adopt
    tags: Mapping[str, str] = field(default_factory=dict)


class PrivateLink(Construct):
    """Zones are made on first use; endpoint ids are ``endpoint-<name>`` and zone ids
    ``zone-<zone name>``: adding an endpoint never renames another."""

    def __init__(self, scope: Construct, id: str, props: PrivateLinkProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self._zone_ids: dict[str, str] = {}

    def zone_id(self, zone: str) -> str:
        if zone in self.props.existing_zone_ids:
            return self.props.existing_zone_ids[zone]
        if zone not in self._zone_ids:
            tags = dict(sorted(self.props.tags.items()))
            created = azurerm_resource(self, f"zone-{zone}", "azurerm_private_dns_zone", dict(
                name=zone, resource_group_name=self.props.resource_group_name, tags=tags))
            azurerm_resource(self, f"zone-link-{zone}", "azurerm_private_dns_zone_virtual_network_link", dict(
                name=f"link-{zone.replace('.', '-')}",
                resource_group_name=self.props.resource_group_name,
                private_dns_zone_name=created.attribute("name"),
                virtual_network_id=self.props.virtual_network_id,
                registration_enabled=False,
                tags=tags,
            ))
            self._zone_ids[zone] = created.attribute("id")
        return self._zone_ids[zone]

    def endpoint(self, name: str, target_id: str, subresource: str, zone: Optional[str] = None):
        """A private endpoint ``name`` to ``target_id``'s ``subresource`` (blob, dfs, vault,
        databricks_ui_api, browser_authentication), registered in its zone."""
        zone = zone or ZONES[subresource]
        return azurerm_resource(self, f"endpoint-{name}", "azurerm_private_endpoint", dict(
            name=name,
            resource_group_name=self.props.resource_group_name,
            location=self.props.location,
            subnet_id=self.props.subnet_id,
            private_service_connection=[dict(
                name=f"{name}-connection", private_connection_resource_id=target_id,
                subresource_names=[subresource], is_manual_connection=False)],
            private_dns_zone_group=[dict(name="default", private_dns_zone_ids=[self.zone_id(zone)])],
            tags=dict(sorted(self.props.tags.items())),
        ))
