"""The Azure platform of one environment (azurerm provider)."""
from __future__ import annotations

import re

from cdktf import TerraformStack
from constructs import Construct

from constructs_lib.azure import (
    AzurePlatform, azurerm_provider, AzurePlatformProps, CustomerManagedKeyProps, KeyVaultProps, LakehouseStorageProps,
    LogAnalyticsProps, PrivateLinkProps, VnetInjectionProps, WorkspaceKeyProps, WorkspaceProps,
)
from constructs_lib.azure.private_link import ZONES
from mlops_iac.config.model import EnvironmentConfig

from .backends import configure_backend
from .layout import has_platform_resources  # noqa: F401  (the app asks here)
from .naming import PLATFORM, stack_id

MANAGED_BY = "mlops-iac"


def environment_tags(env: EnvironmentConfig) -> dict[str, str]:
    return dict(sorted({**env.azure.tags, "environment": env.name, "managed_by": MANAGED_BY}.items()))


def platform_props(env: EnvironmentConfig) -> AzurePlatformProps:
    """Map the typed environment model to the construct's props (the only place that knows both)."""
    azure, ws, tags = env.azure, env.workspace, environment_tags(env)
    posture, cmk = env.security_posture, env.security.customer_managed_keys
    common = dict(resource_group_name=azure.resource_group, location=azure.location, tags=tags)
    workspace = None
    if env.greenfield:
        vnet = ws.vnet and VnetInjectionProps(
            virtual_network_id=ws.vnet.virtual_network_id,
            public_subnet_name=ws.vnet.public_subnet.name,
            private_subnet_name=ws.vnet.private_subnet.name,
            public_subnet_nsg_association_id=ws.vnet.public_subnet.nsg_association_id,
            private_subnet_nsg_association_id=ws.vnet.private_subnet.nsg_association_id,
        )
        workspace = WorkspaceProps(
            name=ws.name, sku=ws.sku, managed_resource_group_name=env.managed_resource_group,
            no_public_ip=ws.no_public_ip, public_network_access=ws.public_network_access,
            network_security_group_rules=ws.network_security_group_rules, vnet=vnet,
            customer_managed_key=cmk and WorkspaceKeyProps(cmk.key_vault_id, cmk.key_vault_key_id), **common)
    storage = env.storage and LakehouseStorageProps(
        account_name=env.storage.account, replication=env.storage.replication,
        containers=env.storage.containers, public_network_access=not posture.private,
        shared_access_key=posture.shared_access_key, soft_delete_days=posture.soft_delete_days,
        sas_expiration=env.security.sas_expiration,
        customer_managed_key=cmk and CustomerManagedKeyProps(cmk.key_vault_key_id, cmk.user_assigned_identity_id),
        **common)
    key_vault = env.key_vault and env.key_vault.name and KeyVaultProps(
        name=env.key_vault.name, tenant_id=azure.tenant_id, sku=env.key_vault.sku,
        purge_protection=env.key_vault.purge_protection,
        soft_delete_retention_days=env.key_vault.soft_delete_retention_days,
        firewall=posture.private, allowed_ip_ranges=env.network.key_vault_allowed_ip_ranges,
        # a Key Vault-backed secret scope is read by the Databricks control plane over the public
        # endpoint: such a vault admits selected networks instead of none
        public_network_access=not posture.private or env.secret_scope is not None, **common)
    return AzurePlatformProps(
        create_resource_group=azure.create_resource_group, workspace=workspace,
        storage=storage, key_vault=key_vault, private_link=_private_link(env, common),
        logging=_logging(env, common), **common)


def _private_link(env: EnvironmentConfig, common: dict) -> PrivateLinkProps | None:
    vnet = env.workspace.vnet
    if not env.security_posture.private or vnet is None or vnet.private_endpoint_subnet_id is None:
        return None  # the config rules refuse private without a subnet
    zones = env.network.private_dns_zones
    adopted = {ZONES[sub]: zone_id for sub, zone_id in (
        ("blob", zones.blob), ("dfs", zones.dfs), ("vault", zones.vault), ("databricks_ui_api", zones.databricks))
        if zone_id is not None}
    return PrivateLinkProps(subnet_id=vnet.private_endpoint_subnet_id, virtual_network_id=vnet.virtual_network_id,
                            existing_zone_ids=adopted, **common)


def _logging(env: EnvironmentConfig, common: dict) -> LogAnalyticsProps | None:
    logging = env.security.logging
    if not env.security_posture.logging:
        return None
    name = re.sub(r"[^A-Za-z0-9-]", "-", f"log-{env.azure.resource_group}")[:63].strip("-")
    return LogAnalyticsProps(name=None if logging.log_analytics_workspace_id else name,
                             existing_id=logging.log_analytics_workspace_id,
                             retention_days=logging.retention_days, **common)


class PlatformStack(TerraformStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        id = stack_id(env.name, PLATFORM)
        super().__init__(scope, id)
        configure_backend(self, env.state, id)
        azurerm_provider(self, env.azure.subscription_id,
                         storage_use_azuread=env.storage is not None and not env.security_posture.shared_access_key)
        self.platform = AzurePlatform(self, "platform", platform_props(env))
