"""Reusable CDK for Terraform constructs for MLOps platforms on Azure Databricks.

Import from here or from the family modules (``constructs_lib.azure``,
``constructs_lib.databricks``). Constructs take typed props and never read YAML.
"""
from . import _bindings

_bindings.prepare()  # before any binding import below: load only the submodules we use

from .azure import (  # noqa: E402
    AzurePlatform, AzurePlatformProps, ImportedWorkspace, IWorkspace, KeyVault, KeyVaultProps,
    LakehouseStorage, LakehouseStorageProps, VnetInjectionProps, Workspace, WorkspaceProps,
)
from .databricks import WorkspaceFolder, WorkspaceFolderProps, bind_workspace_provider  # noqa: E402

__all__ = [
    "AzurePlatform", "AzurePlatformProps", "ImportedWorkspace", "IWorkspace", "KeyVault",
    "KeyVaultProps", "LakehouseStorage", "LakehouseStorageProps", "VnetInjectionProps",
    "Workspace", "WorkspaceFolder", "WorkspaceFolderProps", "WorkspaceProps",
    "bind_workspace_provider",
]
