"""The databricks provider of the pinned bindings (@cdktf/provider-databricks 15.16.1), without
loading them: the workspace constructs are generic resources (constructs_lib.generic)."""
from __future__ import annotations

from typing import Any, Mapping

from constructs import Construct

from ..generic import GenericDataSource, GenericProvider, GenericResource, ProviderFacts

DATABRICKS = ProviderFacts(name="databricks", source="databricks/databricks", version="1.99.0",
                           version_constraint="~> 1.0")


def databricks_resource(scope: Construct, id: str, resource_type: str, body: Mapping[str, Any]) -> GenericResource:
    return GenericResource(scope, id, provider=DATABRICKS, resource_type=resource_type, body=body)


def databricks_data(scope: Construct, id: str, data_type: str, body: Mapping[str, Any]) -> GenericDataSource:
    return GenericDataSource(scope, id, provider=DATABRICKS, data_type=data_type, body=body)


def databricks_provider(scope: Construct, id: str, body: Mapping[str, Any]) -> GenericProvider:
    return GenericProvider(scope, id, provider=DATABRICKS, body=body)
