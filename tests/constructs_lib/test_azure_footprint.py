"""The production footprint of the Azure constructs: private endpoints with their DNS zones,
hardened storage and Key Vault, diagnostic settings and customer-managed keys."""
from constructs_lib.azure import (
    AzurePlatform, AzurePlatformProps, CustomerManagedKeyProps, KeyVault, KeyVaultProps, LakehouseStorage,
    LakehouseStorageProps, LogAnalyticsProps, PrivateLinkProps, Workspace, WorkspaceKeyProps, WorkspaceProps,
)
from tests.conftest import only, resources

COMMON = dict(resource_group_name="rg-x", location="westeurope")
SUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/n/providers/Microsoft.Network"
ZONE_HUB = SUB + "/privateDnsZones/privatelink.vaultcore.azure.net"


def _platform(**extra) -> AzurePlatformProps:
    return AzurePlatformProps(
        workspace=WorkspaceProps(name="dbw-x", managed_resource_group_name="m", **COMMON),
        storage=LakehouseStorageProps(account_name="stx", containers=("bronze",), **COMMON),
        key_vault=KeyVaultProps(name="kv-x", tenant_id="t", **COMMON), **extra, **COMMON)


def test_private_link_gives_each_service_an_endpoint_in_the_subnet_registered_in_its_zone(synth):
    link = PrivateLinkProps(subnet_id=SUB + "/virtualNetworks/v/subnets/pe", virtual_network_id=SUB + "/virtualNetworks/v",
                            **COMMON)
    tf = synth(lambda s: AzurePlatform(s, "p", _platform(private_link=link)))
    endpoints = resources(tf, "azurerm_private_endpoint").values()
    assert sorted(e["private_service_connection"][0]["subresource_names"][0] for e in endpoints) == [
        "blob", "browser_authentication", "databricks_ui_api", "dfs", "vault"]
    assert {e["subnet_id"] for e in endpoints} == {link.subnet_id}
    zones = sorted(z["name"] for z in resources(tf, "azurerm_private_dns_zone").values())
    assert zones == ["privatelink.azuredatabricks.net", "privatelink.blob.core.windows.net",
                     "privatelink.dfs.core.windows.net", "privatelink.vaultcore.azure.net"]
    links = resources(tf, "azurerm_private_dns_zone_virtual_network_link").values()
    assert len(links) == 4 and {l["virtual_network_id"] for l in links} == {link.virtual_network_id}
    assert all(l["registration_enabled"] is False for l in links)
    assert all(e["private_dns_zone_group"][0]["private_dns_zone_ids"][0].startswith("${azurerm_private_dns_zone.")
               for e in endpoints)


def test_an_adopted_central_zone_is_used_by_id_and_not_created(synth):
    link = PrivateLinkProps(subnet_id="pe", virtual_network_id="v",
                            existing_zone_ids={"privatelink.vaultcore.azure.net": ZONE_HUB}, **COMMON)
    tf = synth(lambda s: AzurePlatform(s, "p", _platform(private_link=link)))
    vault = next(e for e in resources(tf, "azurerm_private_endpoint").values()
                 if e["private_service_connection"][0]["subresource_names"] == ["vault"])
    assert vault["private_dns_zone_group"][0]["private_dns_zone_ids"] == [ZONE_HUB]
    assert "privatelink.vaultcore.azure.net" not in {z["name"] for z in resources(tf, "azurerm_private_dns_zone").values()}


def test_logging_sends_storage_services_and_the_vault_to_a_created_workspace(synth):
    tf = synth(lambda s: AzurePlatform(s, "p", _platform(logging=LogAnalyticsProps(name="log-x", **COMMON))))
    assert only(resources(tf, "azurerm_log_analytics_workspace"))["retention_in_days"] == 90
    targets = sorted(d["target_resource_id"].split("}")[-1] or "account"
                     for d in resources(tf, "azurerm_monitor_diagnostic_setting").values()
                     if "storage_account" in d["target_resource_id"])
    assert targets == ["/blobServices/default", "/fileServices/default", "/queueServices/default",
                       "/tableServices/default", "account"]
    vault = [d for d in resources(tf, "azurerm_monitor_diagnostic_setting").values() if "key_vault" in d["target_resource_id"]]
    assert only(dict(enumerate(vault)))["enabled_log"] == [{"category_group": "allLogs"}]


def test_logging_to_an_adopted_workspace_creates_none(synth):
    central = SUB.replace("Microsoft.Network", "Microsoft.OperationalInsights") + "/workspaces/central"
    tf = synth(lambda s: AzurePlatform(s, "p", _platform(logging=LogAnalyticsProps(existing_id=central, **COMMON))))
    assert resources(tf, "azurerm_log_analytics_workspace") == {}
    assert {d["log_analytics_workspace_id"] for d in resources(tf, "azurerm_monitor_diagnostic_setting").values()} == {central}


def test_hardened_storage_has_no_keys_no_public_access_soft_delete_and_a_sas_policy(synth):
    props = LakehouseStorageProps(account_name="stx", public_network_access=False, shared_access_key=False,
                                  soft_delete_days=30, sas_expiration="1.00:00:00", **COMMON)
    account = only(resources(synth(lambda s: LakehouseStorage(s, "st", props)), "azurerm_storage_account"))
    assert account["public_network_access_enabled"] is False
    assert account["shared_access_key_enabled"] is False and account["local_user_enabled"] is False
    assert account["default_to_oauth_authentication"] is True
    assert account["blob_properties"] == [{"delete_retention_policy": [{"days": 30}],
                                           "container_delete_retention_policy": [{"days": 30}]}]
    assert account["sas_policy"] == [{"expiration_period": "1.00:00:00", "expiration_action": "Log"}]
    assert "customer_managed_key" not in account and "identity" not in account


def test_customer_managed_keys_wire_storage_and_workspace(synth):
    key, identity, vault = "https://kv.vault.azure.net/keys/k", "/subscriptions/x/uami", "/subscriptions/x/kv"
    def build(s):
        LakehouseStorage(s, "st", LakehouseStorageProps(account_name="stx", **COMMON,
                                                        customer_managed_key=CustomerManagedKeyProps(key, identity)))
        Workspace(s, "ws", WorkspaceProps(name="dbw", managed_resource_group_name="m", **COMMON,
                                          customer_managed_key=WorkspaceKeyProps(vault, key)))
    tf = synth(build)
    account = only(resources(tf, "azurerm_storage_account"))
    assert account["customer_managed_key"] == [{"key_vault_key_id": key, "user_assigned_identity_id": identity}]
    assert account["identity"] == [{"type": "UserAssigned", "identity_ids": [identity]}]
    ws = only(resources(tf, "azurerm_databricks_workspace"))
    assert ws["customer_managed_key_enabled"] is True and ws["infrastructure_encryption_enabled"] is True
    assert ws["managed_services_cmk_key_vault_key_id"] == key and ws["managed_disk_cmk_key_vault_id"] == vault


def test_key_vault_firewall_denies_by_default_and_admits_trusted_services_and_listed_ranges(synth):
    props = KeyVaultProps(name="kv-x", tenant_id="t", firewall=True, allowed_ip_ranges=("20.0.0.8/29", "10.0.0.1"),
                          **COMMON)
    vault = only(resources(synth(lambda s: KeyVault(s, "kv", props)), "azurerm_key_vault"))
    assert vault["network_acls"] == [{"default_action": "Deny", "bypass": "AzureServices",
                                      "ip_rules": ["10.0.0.1", "20.0.0.8/29"], "virtual_network_subnet_ids": []}]
    assert vault["public_network_access_enabled"] is True
