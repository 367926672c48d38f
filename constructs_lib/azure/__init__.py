"""Azure constructs: the platform an environment's Databricks workspace lives on."""
from .key_vault import IKeyVault, ImportedKeyVault, KeyVault, KeyVaultProps
from .lakehouse_storage import LakehouseStorage, LakehouseStorageProps
from .platform import AzurePlatform, AzurePlatformProps
from .provider import AZURERM, azurerm_provider, azurerm_resource
from .workspace import ImportedWorkspace, IWorkspace, VnetInjectionProps, Workspace, WorkspaceProps

__all__ = [
    "AZURERM", "AzurePlatform", "AzurePlatformProps", "IKeyVault", "ImportedKeyVault", "ImportedWorkspace",
    "IWorkspace", "KeyVault",
    "KeyVaultProps", "LakehouseStorage", "LakehouseStorageProps", "VnetInjectionProps",
    "Workspace", "WorkspaceProps", "azurerm_provider", "azurerm_resource",
]
