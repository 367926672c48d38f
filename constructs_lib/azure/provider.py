"""The azurerm provider of the pinned bindings (@cdktf/provider-azurerm 14.23.1), without loading
them: the Azure constructs are generic resources (constructs_lib.generic)."""
from __future__ import annotations

from typing import Any, Mapping

from constructs import Construct

from ..generic import GenericProvider, GenericResource, ProviderFacts

AZURERM = ProviderFacts(name="azurerm", source="azurerm", version="4.55.0", version_constraint="~> 4.0")


def azurerm_resource(scope: Construct, id: str, resource_type: str, body: Mapping[str, Any]) -> GenericResource:
    return GenericResource(scope, id, provider=AZURERM, resource_type=resource_type, body=body)


def azurerm_provider(scope: Construct, subscription_id: str, id: str = "azurerm") -> GenericProvider:
    """The provider block: ``features {}`` and the subscription."""
    return GenericProvider(scope, id, provider=AZURERM, body={"features": [{}], "subscription_id": subscription_id})
