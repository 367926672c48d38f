"""The Azure platform of one environment (azurerm provider)."""
from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_lib.azure import (
    AzurePlatform, azurerm_provider, AzurePlatformProps, KeyVaultProps, LakehouseStorageProps, VnetInjectionProps,
    WorkspaceProps,
)
from mlops_config.model import EnvironmentConfig

from .backends import configure_backend
from .layout import has_platform_resources  # noqa: F401  (the app asks here)
from .naming import PLATFORM, stack_id

MANAGED_BY = "mlops-iac"


def environment_tags(env: EnvironmentConfig) -> dict[str, str]:
    return dict(sorted({**env.azure.tags, "environment": env.name, "managed_by": MANAGED_BY}.items()))


def platform_props(env: EnvironmentConfig) -> AzurePlatformProps:
    """Map the typed environment model to the construct's props (the only place that knows both)."""
    azure, ws, tags = env.azure, env.workspace, environment_tags(env)
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
            network_security_group_rules=ws.network_security_group_rules, vnet=vnet, **common)
    storage = env.storage and LakehouseStorageProps(
        account_name=env.storage.account, replication=env.storage.replication,
        containers=env.storage.containers, **common)
    key_vault = env.key_vault and env.key_vault.name and KeyVaultProps(
        name=env.key_vault.name, tenant_id=azure.tenant_id, sku=env.key_vault.sku,
        purge_protection=env.key_vault.purge_protection,
        soft_delete_retention_days=env.key_vault.soft_delete_retention_days, **common)
    return AzurePlatformProps(
        create_resource_group=azure.create_resource_group, workspace=workspace,
        storage=storage, key_vault=key_vault, **common)


class PlatformStack(TerraformStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        id = stack_id(env.name, PLATFORM)
        super().__init__(scope, id)
        configure_backend(self, env.state, id)
        azurerm_provider(self, env.azure.subscription_id)
        self.platform = AzurePlatform(self, "platform", platform_props(env))
