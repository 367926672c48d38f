"""The azurerm provider of the pinned bindings (@cdktf/provider-azurerm 14.23.1), without loading
them: the Azure constructs are generic resources (constructs_lib.generic)."""
from __future__ import annotations

from typing import Any, Mapping

from constructs import Construct

from ..generic import GenericProvider, GenericResource, ProviderFacts

AZURERM = ProviderFacts(name="azurerm", source="azurerm", version="4.55.0", version_constraint="~> 4.0")


def azurerm_resource(scope: Construct, id: str, resource_type: str, body: Mapping[str, Any]) -> GenericResource:
    return GenericResource(scope, id, provider=AZURERM, resource_type=resource_type, body=body)


def azurerm_provider(scope: Construct, subscription_id: str, id: str = "azurerm", *,
                     storage_use_azuread: bool = False) -> GenericProvider:
    """The provider block: ``features {}`` and the subscription. ``storage_use_azuread``: storage
    data-plane calls (containers) with Entra ID instead of account keys - required once an account
    has shared keys off; the deploying identity then needs a Storage Blob Data role on it."""
    body = {"features": [{}], "subscription_id": subscription_id, "storage_use_azuread": storage_use_azuread or None}
    return GenericProvider(scope, id, provider=AZURERM, body=body)
