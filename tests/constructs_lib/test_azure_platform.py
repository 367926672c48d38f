import json

from cdktf import Testing as TfTesting
from cdktf_cdktf_provider_azurerm.databricks_workspace import DatabricksWorkspace
from cdktf_cdktf_provider_azurerm.storage_account import StorageAccount

from constructs_lib.azure import (
    AzurePlatform, AzurePlatformProps, KeyVault, KeyVaultProps, LakehouseStorage,
    LakehouseStorageProps, VnetInjectionProps, Workspace, WorkspaceProps,
)
from tests.conftest import only, resources

COMMON = dict(resource_group_name="rg-x", location="westeurope")
NSG = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/n/providers/Microsoft.Network/x"


def test_workspace_with_all_defaults_is_premium_with_secure_cluster_connectivity(synth):
    # GIVEN only the required props WHEN synthesized THEN premium, no public IP, public access on
    tf = synth(lambda s: Workspace(s, "ws", WorkspaceProps(name="dbw-x", managed_resource_group_name="m", **COMMON)))
    ws = only(resources(tf, "azurerm_databricks_workspace"))
    assert ws["sku"] == "premium"
    assert ws["custom_parameters"] == {"no_public_ip": True}
    assert ws["public_network_access_enabled"] is True
    assert "network_security_group_rules_required" not in ws
    assert ws["managed_resource_group_name"] == "m"


def test_private_workspace_defaults_nsg_rules_and_injects_the_vnet(synth):
    vnet = VnetInjectionProps("vnet-id", "host", "container", NSG + "/host", NSG + "/container")
    props = WorkspaceProps(name="dbw-x", managed_resource_group_name="m", public_network_access=False,
                           vnet=vnet, **COMMON)
    tf = synth(lambda s: Workspace(s, "ws", props))
    assert TfTesting.to_have_resource_with_properties(json.dumps(tf), DatabricksWorkspace.TF_RESOURCE_TYPE, {
        "public_network_access_enabled": False,
        "network_security_group_rules_required": "NoAzureDatabricksRules",
        "custom_parameters": {
            "no_public_ip": True, "virtual_network_id": "vnet-id", "public_subnet_name": "host",
            "private_subnet_name": "container",
            "public_subnet_network_security_group_association_id": NSG + "/host",
            "private_subnet_network_security_group_association_id": NSG + "/container",
        },
    })


def test_imported_workspace_creates_nothing_and_normalizes_the_url():
    ref = Workspace.from_workspace_attributes("https://adb-1.2.azuredatabricks.net/", "/subscriptions/x")
    assert ref.workspace_url == "https://adb-1.2.azuredatabricks.net"
    assert ref.workspace_resource_id == "/subscriptions/x"


def test_lakehouse_storage_is_adls_gen2_hardened_with_one_container_per_name(synth):
    props = LakehouseStorageProps(account_name="stx", containers=("silver", "bronze"), **COMMON)
    tf = synth(lambda s: LakehouseStorage(s, "lake", props))
    assert TfTesting.to_have_resource_with_properties(json.dumps(tf), StorageAccount.TF_RESOURCE_TYPE, {
        "is_hns_enabled": True, "min_tls_version": "TLS1_2", "https_traffic_only_enabled": True,
        "allow_nested_items_to_be_public": False, "account_kind": "StorageV2",
        "account_replication_type": "ZRS",
    })
    containers = resources(tf, "azurerm_storage_container")
    assert sorted(c["name"] for c in containers.values()) == ["bronze", "silver"]
    assert all(c["container_access_type"] == "private" for c in containers.values())
    assert all("${azurerm_storage_account." in c["storage_account_id"] for c in containers.values())


def test_adding_a_container_keeps_the_ids_of_the_others(synth):
    def ids(names):
        tf = synth(lambda s: LakehouseStorage(s, "lake", LakehouseStorageProps(
            account_name="stx", containers=names, **COMMON)))
        return set(resources(tf, "azurerm_storage_container"))
    before, after = ids(("bronze", "gold")), ids(("bronze", "aaa-new", "gold"))
    assert before < after and len(after - before) == 1


def test_key_vault_uses_rbac_and_keeps_purge_protection_by_default(synth):
    tf = synth(lambda s: KeyVault(s, "kv", KeyVaultProps(name="kv-x", tenant_id="t", **COMMON)))
    vault = only(resources(tf, "azurerm_key_vault"))
    assert vault["rbac_authorization_enabled"] is True
    assert vault["purge_protection_enabled"] is True and vault["soft_delete_retention_days"] == 90
    assert "access_policy" not in vault and vault["sku_name"] == "standard"


def test_platform_creates_the_group_first_and_tags_everything(synth):
    tags = {"environment": "x", "cost_center": "c"}
    props = AzurePlatformProps(
        tags=tags,
        workspace=WorkspaceProps(name="dbw-x", managed_resource_group_name="m", tags=tags, **COMMON),
        storage=LakehouseStorageProps(account_name="stx", tags=tags, **COMMON),
        key_vault=KeyVaultProps(name="kv-x", tenant_id="t", tags=tags, **COMMON),
        **COMMON)
    tf = synth(lambda s: AzurePlatform(s, "platform", props))
    group = only(resources(tf, "azurerm_resource_group"))
    assert group["name"] == "rg-x" and group["tags"] == {"cost_center": "c", "environment": "x"}
    for rtype in ("azurerm_databricks_workspace", "azurerm_storage_account", "azurerm_key_vault"):
        resource = only(resources(tf, rtype))
        assert resource["resource_group_name"].startswith("${azurerm_resource_group."), rtype
        assert resource["tags"] == group["tags"], rtype


def test_platform_with_an_existing_group_and_nothing_else_is_empty(synth):
    tf = synth(lambda s: AzurePlatform(s, "platform", AzurePlatformProps(create_resource_group=False, **COMMON)))
    assert tf.get("resource", {}) == {}

