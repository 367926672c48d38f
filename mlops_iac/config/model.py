"""The typed environment model: what one environment of the MLOps platform holds.

Frozen dataclasses, defaults and docs in one place (``setting``). An environment is
``envs/defaults.yaml`` overlaid by ``envs/<name>.yaml``; the merged tree is bound to
``EnvironmentConfig``. The JSON Schema in ``envs/schema.json`` is generated from these classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from .access_model import ResolvedAccess
from .projects.deployment import ProjectDeployment
from .fields import setting
from .security_model import NetworkConfig, SecurityConfig, SecurityPosture
from .governance_model import (
    ClusterConfig, ClusterPolicyConfig, GroupConfig, GuardrailsConfig, InitScriptConfig, SecretScopeConfig,
    ServicePrincipalConfig, UserConfig,
)

GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
AZURE_ID = r"/subscriptions/" + GUID + r"/resourceGroups/[^/]+/providers/[A-Za-z.]+/.+"
RESOURCE_GROUP = r"[-\w._()]{0,89}[-\w_()]"
RESOURCE_GROUP_RULE = "1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'"
WORKSPACE_URL = r"https://adb-[0-9]+\.[0-9]+\.azuredatabricks\.net/?"

Stage = Literal["development", "staging", "production"]


@dataclass(frozen=True)
class AzureConfig:
    subscription_id: str = setting(
        "Azure subscription the environment's resources live in.",
        pattern=GUID, expected="a subscription id (GUID)")
    tenant_id: str = setting(
        "Microsoft Entra tenant of the subscription; the Key Vault trusts it.",
        pattern=GUID, expected="a tenant id (GUID)")
    location: str = setting(
        "Azure region, e.g. eastus2.", pattern=r"[a-z][a-z0-9]{2,30}",
        expected="an Azure region name in lowercase, e.g. eastus2")
    resource_group: str = setting(
        "Resource group that holds the environment's resources.",
        pattern=RESOURCE_GROUP, expected=RESOURCE_GROUP_RULE)
    create_resource_group: bool = setting(
        "Create the resource group (true) or use an existing one owned by another team (false).",
        default=True)
    tags: dict[str, str] = setting(
        "Tags on every Azure resource. 'environment' and 'managed_by' are always added.",
        default_factory=dict)


@dataclass(frozen=True)
class SubnetConfig:
    name: str = setting("Subnet name inside the virtual network.",
                        pattern=r"[\w][\w.-]{0,78}[\w]", expected="1-80 letters, digits, '.', '-', '_'")
    nsg_association_id: str = setting(
        "Resource id of the subnet's network security group association (Databricks requires one).",
        pattern=AZURE_ID, expected="an Azure resource id")


@dataclass(frozen=True)
class VnetInjection:
    virtual_network_id: str = setting(
        "Resource id of the existing virtual network the workspace is injected into.",
        pattern=AZURE_ID, expected="an Azure resource id of a virtual network")
    public_subnet: SubnetConfig = setting("Host (public) subnet delegated to Databricks.")
    private_subnet: SubnetConfig = setting("Container (private) subnet delegated to Databricks.")
    private_endpoint_subnet_id: Optional[str] = setting(
        "Resource id of a subnet of this VNet (not delegated) for the private endpoints of "
        "storage, Key Vault and the workspace. Required when network.private is on.",
        default=None, pattern=AZURE_ID, expected="an Azure resource id of a subnet")


@dataclass(frozen=True)
class ExistingWorkspace:
    url: str = setting("Workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net.",
                       pattern=WORKSPACE_URL, expected="https://adb-<id>.<n>.azuredatabricks.net")
    resource_id: str = setting(
        "Azure resource id of the workspace (Microsoft.Databricks/workspaces).",
        pattern=AZURE_ID, expected="an Azure resource id of a Databricks workspace")


@dataclass(frozen=True)
class WorkspaceConfig:
    name: Optional[str] = setting(
        "Name of the workspace to create. Required unless 'existing' adopts a workspace.",
        default=None, pattern=r"[A-Za-z0-9][A-Za-z0-9_-]{1,62}[A-Za-z0-9]",
        expected="3-64 letters, digits, '-' or '_', starting and ending with a letter or digit")
    existing: Optional[ExistingWorkspace] = setting(
        "Adopt a workspace another team owns (brownfield): nothing is created in Azure for it, "
        "the workspace stack only configures it. Left out: the platform stack creates one.",
        default=None)
    sku: Literal["premium", "standard", "trial"] = setting(
        "Pricing tier. Permissions, cluster policies and Unity Catalog need premium.",
        default="premium")
    managed_resource_group: Optional[str] = setting(
        "Resource group Azure Databricks creates for its managed resources; must not exist yet "
        "and cannot change later (ForceNew). Left out: '<resource_group>-dbw-managed'.",
        default=None, pattern=RESOURCE_GROUP, expected=RESOURCE_GROUP_RULE)
    no_public_ip: bool = setting(
        "Secure cluster connectivity: cluster nodes get no public IP.", default=True)
    public_network_access: bool = setting(
        "Reach the workspace over the public internet. false needs VNet injection (vnet) and "
        "private endpoints.", default=True)
    network_security_group_rules: Optional[Literal["AllRules", "NoAzureDatabricksRules"]] = setting(
        "Which NSG rules Azure Databricks manages. Left out: AllRules, or NoAzureDatabricksRules "
        "when public_network_access is false (Azure requires it then).", default=None)
    vnet: Optional[VnetInjection] = setting(
        "VNet injection: deploy the workspace's clusters into your own virtual network. "
        "Left out: a Databricks-managed network.", default=None)
    root_folder: str = setting(
        "Workspace folder that holds the environment's assets.", default="/Shared/mlops",
        pattern=r"/(Shared|Workspace)(/(?!\.\.?(/|$))[\w.-]+)*",
        expected="an absolute workspace path under /Shared, without '.' or '..' segments")


@dataclass(frozen=True)
class StorageConfig:
    account: str = setting(
        "ADLS Gen2 storage account for the lakehouse (hierarchical namespace, TLS 1.2, no "
        "public blob access). Globally unique in Azure.",
        pattern=r"[a-z0-9]{3,24}", expected="3-24 lowercase letters and digits")
    replication: Literal["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"] = setting(
        "Replication of the storage account.", default="ZRS")
    containers: tuple[str, ...] = setting(
        "Containers (file systems) to create, e.g. bronze, silver, gold.", default=(),
        pattern=r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]", unique=True,
        expected="3-63 lowercase letters, digits and single hyphens, starting and ending with a "
                 "letter or digit")


@dataclass(frozen=True)
class ExistingKeyVault:
    resource_id: str = setting("Azure resource id of the vault (Microsoft.KeyVault/vaults).",
                               pattern=AZURE_ID, expected="an Azure resource id of a Key Vault")
    dns_name: str = setting("Vault URI, e.g. https://kv-x.vault.azure.net/.",
                            pattern=r"https://[A-Za-z0-9-]{3,24}\.vault\.azure\.net/?",
                            expected="https://<name>.vault.azure.net/")


@dataclass(frozen=True)
class KeyVaultConfig:
    existing: Optional[ExistingKeyVault] = setting(
        "Use a vault another team owns instead of creating one (then leave out name).", default=None)
    name: Optional[str] = setting(
        "Key Vault to create for the environment's secrets (secret values never go in this config).",
        default=None,
        pattern=r"(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]",
        expected="3-24 letters, digits and single hyphens, starting with a letter and ending "
                 "with a letter or digit")
    sku: Literal["standard", "premium"] = setting("Key Vault pricing tier.", default="standard")
    purge_protection: bool = setting(
        "Forbid purging deleted secrets during the retention period.", default=True)
    soft_delete_retention_days: int = setting(
        "Days a deleted vault or secret can be recovered.", default=90, minimum=7, maximum=90)


@dataclass(frozen=True)
class StateConfig:
    backend: Literal["local", "azurerm"] = setting(
        "Where Terraform keeps state. azurerm (what every shared environment uses): a blob per "
        "stack in a storage account, with locking, authenticated with Entra ID (no access keys). "
        "local: terraform-state/<stack>.tfstate on this machine only - a sandbox choice; under "
        "CI=true it is an error unless sandbox: true or MLOPS_IAC_ALLOW_LOCAL_STATE=1.",
        default="local")
    sandbox: bool = setting(
        "local backend only: this environment is a throw-away sandbox whose state may be lost "
        "(allows local state in CI). Offline trials need no setting: MLOPS_IAC_OFFLINE_STATE_DIR "
        "(make OFFLINE=1 ...) puts every stack's state in a git-ignored folder instead.",
        default=False)
    resource_group: Optional[str] = setting(
        "azurerm backend: resource group of the state storage account.", default=None,
        pattern=RESOURCE_GROUP, expected=RESOURCE_GROUP_RULE)
    storage_account: Optional[str] = setting(
        "azurerm backend: storage account that holds the state blobs.", default=None,
        pattern=r"[a-z0-9]{3,24}", expected="3-24 lowercase letters and digits")
    container: Optional[str] = setting(
        "azurerm backend: blob container for the state blobs.", default=None,
        pattern=r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]",
        expected="3-63 lowercase letters, digits and single hyphens")
    key_prefix: str = setting(
        "azurerm backend: prefix of each stack's state blob name ('<prefix><stack>.tfstate').",
        default="", pattern=r"(?!/)(?!(.*/)?\.\.?(/|$))[\w./-]*",
        expected="letters, digits, '.', '/', '-', '_'; relative, without '.' or '..' segments")


@dataclass(frozen=True)
class EnvironmentConfig:
    name: str = setting("Environment name, taken from the file name (envs/<name>.yaml).",
                        derived=True)
    stage: Stage = setting(
        "What the environment is for: development (Prodfix), staging (QA) or production (Prod). "
        "Orders the environments and selects stage defaults.")
    display_name: str = setting("Human name used in summaries, e.g. Prod.", min_len=1, max_len=40)
    azure: AzureConfig = setting("Azure subscription, region, resource group and tags.")
    workspace: WorkspaceConfig = setting("The Databricks workspace: created or adopted.")
    storage: Optional[StorageConfig] = setting(
        "Lakehouse storage. Left out: no storage account is created.", default=None)
    key_vault: Optional[KeyVaultConfig] = setting(
        "Key Vault. Left out: no Key Vault is created.", default=None)
    network: NetworkConfig = setting(
        "Private networking of storage, Key Vault and the workspace (stage defaults: private in "
        "production).", default=NetworkConfig())
    security: SecurityConfig = setting(
        "Data protection, diagnostics and customer-managed keys (stage defaults: strict in "
        "production).", default=SecurityConfig())
    state: StateConfig = setting("Terraform state backend.", default=StateConfig())
    users: dict[str, UserConfig] = setting(
        "Users by user name (e-mail). Declared here before a group or role may name them.",
        default_factory=dict)
    service_principals: dict[str, ServicePrincipalConfig] = setting(
        "Service principals by a short name used in groups, roles and 'deployer'.", default_factory=dict)
    groups: dict[str, GroupConfig] = setting("Workspace groups and their members.", default_factory=dict)
    deployer: Optional[str] = setting(
        "The service principal CI deploys with (key of 'service_principals'): it owns and runs "
        "jobs and pipelines, and the access matrix's 'deployer' role resolves to it.", default=None)
    cluster_policies: dict[str, ClusterPolicyConfig] = setting(
        "Cluster policies by key; null in an environment file removes a default one.", default_factory=dict)
    init_scripts: dict[str, InitScriptConfig] = setting(
        "Init scripts that install in-house libraries, by key.", default_factory=dict)
    clusters: dict[str, ClusterConfig] = setting("Shared interactive clusters by name.", default_factory=dict)
    secret_scope: Optional[SecretScopeConfig] = setting(
        "The Key Vault-backed secret scope (created when the environment has a Key Vault).",
        default=SecretScopeConfig())
    retire: tuple[str, ...] = setting(
        "Production only: construct paths ('<platform|workspace>/<path below the stack>', e.g. "
        "workspace/project-churn or platform/platform/lakehouse-storage/container-bronze) whose "
        "stateful resources lose lifecycle.prevent_destroy for this release ('platform' or 'workspace' "
        "alone: the whole stack), so that the next "
        "release may remove them from the config and destroy them. Each entry must name an "
        "existing construct; remove the entry together with the object.",
        default=(), unique=True, pattern=r"(platform|workspace)(/[\w.@-]+)*",
        expected="<platform|workspace>/<construct path>, e.g. workspace/project-churn")
    guardrails: GuardrailsConfig = setting("Guardrail suppressions of this environment.",
                                           default=GuardrailsConfig())
    projects: tuple[str, ...] = setting(
        "ML projects deployed in this environment: folder names under projects/.", default=(), unique=True)
    deployments: tuple[ProjectDeployment, ...] = setting(
        "What each project becomes here, built by the loader.", default=(), derived=True)
    access: Optional[ResolvedAccess] = setting(
        "Resolved from envs/access.yaml by the loader.", default=None, derived=True)

    @property
    def greenfield(self) -> bool:
        """True when the platform stack creates the workspace."""
        return self.workspace.existing is None

    @property
    def security_posture(self) -> SecurityPosture:
        """network and security settings with the stage defaults applied (null: the stage decides)."""
        production = self.stage == "production"
        chosen = lambda value, default: default if value is None else value  # noqa: E731
        return SecurityPosture(
            private=chosen(self.network.private, production and self.greenfield and self.workspace.vnet is not None),
            shared_access_key=chosen(self.security.shared_access_key, not production),
            soft_delete_days=chosen(self.security.soft_delete_days, 30 if production else 7),
            logging=chosen(self.security.logging.enabled, production))

    @property
    def managed_resource_group(self) -> str:
        return self.workspace.managed_resource_group or f"{self.azure.resource_group}-dbw-managed"
