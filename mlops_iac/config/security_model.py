"""Typed model of an environment's Azure security footprint: private networking, data
protection, diagnostics and customer-managed keys.

Stage defaults: a setting left out (null) takes the value of the environment's stage - on in
production, off elsewhere - so a production environment is private and logged without asking,
and any other environment opts in with the same key. ``EnvironmentConfig.security_posture``
resolves them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .fields import setting

GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
AZURE_ID = r"/subscriptions/" + GUID + r"/resourceGroups/[^/]+/providers/[A-Za-z.]+/.+"
DNS_ZONE_ID = r"/subscriptions/" + GUID + r"/resourceGroups/[^/]+/providers/Microsoft\.Network/privateDnsZones/.+"
KEY_ID = r"https://[A-Za-z0-9-]{3,24}\.vault\.azure\.net/keys/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?"
CIDR = r"(\d{1,3}\.){3}\d{1,3}(/\d{1,2})?"


@dataclass(frozen=True)
class PrivateDnsZones:
    blob: Optional[str] = setting(
        "Resource id of an existing privatelink.blob.core.windows.net zone (a central hub zone). "
        "Left out: the zone is created in the environment's resource group and linked to the "
        "workspace VNet.", default=None, pattern=DNS_ZONE_ID, expected="a private DNS zone resource id")
    dfs: Optional[str] = setting(
        "Existing privatelink.dfs.core.windows.net zone. Left out: created and linked.",
        default=None, pattern=DNS_ZONE_ID, expected="a private DNS zone resource id")
    vault: Optional[str] = setting(
        "Existing privatelink.vaultcore.azure.net zone. Left out: created and linked.",
        default=None, pattern=DNS_ZONE_ID, expected="a private DNS zone resource id")
    databricks: Optional[str] = setting(
        "Existing privatelink.azuredatabricks.net zone. Left out: created and linked.",
        default=None, pattern=DNS_ZONE_ID, expected="a private DNS zone resource id")


@dataclass(frozen=True)
class NetworkConfig:
    private: Optional[bool] = setting(
        "Storage, Key Vault and the workspace reachable only through private endpoints in the "
        "workspace VNet (workspace.vnet.private_endpoint_subnet_id): public network access off on "
        "storage, Key Vault firewall deny-by-default, workspace front-end and browser-authentication "
        "private endpoints. Left out: true in production when the workspace is created in your VNet "
        "(workspace.vnet), false otherwise (an adopted workspace's network belongs to its owner).",
        default=None)
    private_dns_zones: PrivateDnsZones = setting(
        "Adopt central private DNS zones by id instead of creating them per environment.",
        default=PrivateDnsZones())
    key_vault_allowed_ip_ranges: tuple[str, ...] = setting(
        "Public IP ranges the Key Vault firewall admits besides trusted Azure services. A Key "
        "Vault-backed secret scope is read by the Azure Databricks control plane over the public "
        "endpoint, so list your region's Azure Databricks control-plane addresses here (Azure "
        "Databricks 'IP addresses and domains' reference). Left out: none.",
        default=(), pattern=CIDR, unique=True, expected="an IPv4 address or CIDR range, e.g. 20.42.4.208/28")


@dataclass(frozen=True)
class LoggingConfig:
    enabled: Optional[bool] = setting(
        "Diagnostic settings of storage (account, blob, queue, table, file) and Key Vault to a Log "
        "Analytics workspace. Left out: true in production, false elsewhere.", default=None)
    log_analytics_workspace_id: Optional[str] = setting(
        "Send logs to an existing (central) Log Analytics workspace. Left out: one is created in "
        "the environment's resource group.", default=None, pattern=AZURE_ID,
        expected="an Azure resource id of a Log Analytics workspace")
    retention_days: int = setting("Retention of a created Log Analytics workspace.",
                                  default=90, minimum=30, maximum=730)


@dataclass(frozen=True)
class CustomerManagedKeys:
    key_vault_key_id: str = setting(
        "Key Vault key (versionless or versioned id) that encrypts the lakehouse storage and the "
        "workspace's managed services and disks.", pattern=KEY_ID,
        expected="https://<vault>.vault.azure.net/keys/<name>[/<version>]")
    key_vault_id: str = setting(
        "Resource id of the vault that holds the key (the workspace needs it).",
        pattern=AZURE_ID, expected="an Azure resource id of a Key Vault")
    user_assigned_identity_id: str = setting(
        "User-assigned managed identity the storage account uses to read the key (it needs the "
        "'Key Vault Crypto Service Encryption User' role on the key).",
        pattern=AZURE_ID, expected="an Azure resource id of a user-assigned identity")


@dataclass(frozen=True)
class SecurityConfig:
    shared_access_key: Optional[bool] = setting(
        "Allow storage account keys and SAS signed with them (and SFTP local users). false: Entra "
        "ID only (the azurerm provider then uses Entra ID for data-plane calls). Left out: false in "
        "production, true elsewhere.", default=None)
    soft_delete_days: Optional[int] = setting(
        "Days deleted blobs and containers stay recoverable (blob versioning is not available on "
        "accounts with a hierarchical namespace, which the lakehouse needs). Left out: 30 in "
        "production, 7 elsewhere.", default=None, minimum=1, maximum=365)
    sas_expiration: str = setting(
        "Longest validity a SAS token should have (days.hours:minutes:seconds); longer ones are "
        "logged by Azure.", default="1.00:00:00", pattern=r"\d{1,3}\.\d{2}:\d{2}:\d{2}",
        expected="D.HH:MM:SS, e.g. 1.00:00:00")
    logging: LoggingConfig = setting("Diagnostic logs.", default=LoggingConfig())
    customer_managed_keys: Optional[CustomerManagedKeys] = setting(
        "Encrypt storage and the workspace with your own Key Vault key (workspace sku premium, "
        "infrastructure encryption on). Left out: Microsoft-managed keys.", default=None)


@dataclass(frozen=True)
class SecurityPosture:
    """The stage defaults applied: what the platform stack builds."""
    private: bool
    shared_access_key: bool
    soft_delete_days: int
    logging: bool
