"""Azure constructs: the platform an environment's Databricks workspace lives on."""
from .key_vault import IKeyVault, ImportedKeyVault, KeyVault, KeyVaultProps
from .lakehouse_storage import CustomerManagedKeyProps, LakehouseStorage, LakehouseStorageProps
from .monitoring import LogAnalytics, LogAnalyticsProps
from .platform import AzurePlatform, AzurePlatformProps
from .private_link import PrivateLink, PrivateLinkProps
from .provider import AZURERM, azurerm_provider, azurerm_resource
from .workspace import (
    ImportedWorkspace, IWorkspace, VnetInjectionProps, Workspace, WorkspaceKeyProps, WorkspaceProps,
)

__all__ = [
    "AZURERM", "AzurePlatform", "AzurePlatformProps", "CustomerManagedKeyProps", "IKeyVault", "ImportedKeyVault", "ImportedWorkspace",
    "IWorkspace", "KeyVault",
    "KeyVaultProps", "LakehouseStorage", "LakehouseStorageProps", "LogAnalytics", "LogAnalyticsProps",
    "PrivateLink", "PrivateLinkProps", "VnetInjectionProps", "Workspace", "WorkspaceKeyProps", "WorkspaceProps", "azurerm_provider", "azurerm_resource",
]
