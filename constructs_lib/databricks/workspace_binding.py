"""Bind the databricks provider of a stack to exactly one workspace.

Terraform providers cannot use for_each, so each workspace gets its own stack and provider.
Credentials are never set here: the provider authenticates as the deploying identity through
the environment (Azure CLI, managed identity or ARM_* / DATABRICKS_* variables in CI).
"""
from __future__ import annotations

from constructs import Construct

from ..azure.workspace import IWorkspace
from ..generic import GenericProvider
from .provider import databricks_provider


def bind_workspace_provider(scope: Construct, workspace: IWorkspace, id: str = "databricks") -> GenericProvider:
    return databricks_provider(scope, id, {"host": workspace.workspace_url,
                                           "azure_workspace_resource_id": workspace.workspace_resource_id})
