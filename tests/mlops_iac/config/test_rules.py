"""One failing case per semantic rule: the message and the line it points at."""
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs

ADOPTED = """\
stage: staging
display_name: QA
azure:
  subscription_id: 00000000-0000-0000-0000-000000000002
  resource_group: rg-qa
workspace:
  existing:
    url: https://adb-1234567890123456.7.azuredatabricks.net
    resource_id: /subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-x/providers/Microsoft.Databricks/workspaces/dbw-x
"""

VNET = """\
  vnet:
    virtual_network_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet
    public_subnet: {name: host, nsg_association_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/host}
    private_subnet: {name: container, nsg_association_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/container}
"""


def errors_for(tmp_path, **files: str) -> list[str]:
    files = {"defaults.yaml": MINIMAL_DEFAULTS, **{f"{k}.yaml": v for k, v in files.items()}}
    return config_errors(write_envs(tmp_path, files))


def test_fails_when_workspace_is_neither_created_nor_adopted(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV.replace("  name: dbw-dev\n", "  sku: premium\n"))
    assert errors == ["envs/dev.yaml:7:3: workspace: neither 'name' (create a workspace) nor 'existing' "
                      "(adopt one) is set\n  (expected exactly one of workspace.name or workspace.existing)"]


def test_fails_when_workspace_is_both_created_and_adopted(tmp_path):
    errors = errors_for(tmp_path, qa=ADOPTED.replace("workspace:\n", "workspace:\n  name: dbw-qa\n"))
    assert errors[0].startswith("envs/qa.yaml:9:5: workspace.existing: both 'name' and 'existing' are set")


def test_fails_when_an_adopted_workspace_gets_creation_settings(tmp_path):
    errors = errors_for(tmp_path, qa=ADOPTED + "  managed_resource_group: rg-qa-managed\n")
    assert errors == ["envs/qa.yaml:10:27: workspace.managed_resource_group: 'managed_resource_group' has "
                      "no effect on an adopted workspace\n"
                      "  (expected no creation settings together with workspace.existing)"]


def test_fails_when_a_private_workspace_has_no_vnet(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + "  public_network_access: false\n")
    assert errors == ["envs/dev.yaml:8:26: workspace.public_network_access: public_network_access: false "
                      "needs VNet injection\n  (expected a workspace.vnet section (virtual network and "
                      "subnets) for a private workspace)"]


def test_fails_when_a_private_workspace_asks_for_all_nsg_rules(tmp_path):
    env = MINIMAL_ENV + "  public_network_access: false\n  network_security_group_rules: AllRules\n" + VNET
    errors = errors_for(tmp_path, dev=env)
    assert errors == ["envs/dev.yaml:9:33: workspace.network_security_group_rules: AllRules is rejected by "
                      "Azure when public network access is disabled\n  (expected NoAzureDatabricksRules)"]


def test_fails_when_a_private_workspace_is_not_premium(tmp_path):
    env = MINIMAL_ENV + "  public_network_access: false\n  sku: standard\n" + VNET
    errors = errors_for(tmp_path, dev=env)
    assert errors == ["envs/dev.yaml:9:8: workspace.sku: 'standard' does not support private link\n"
                      "  (expected premium)"]


def test_fails_when_managed_resource_group_is_the_workspace_group(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + "  managed_resource_group: RG-dev\n")
    assert errors[0].startswith("envs/dev.yaml:8:27: workspace.managed_resource_group: the managed resource "
                                "group must not be the workspace's own resource group")


def test_fails_when_azurerm_state_backend_is_incomplete(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + "state:\n  backend: azurerm\n  container: tfstate\n")
    assert errors == [
        "envs/dev.yaml:9:12: state.backend: azurerm backend needs state.resource_group\n"
        "  (expected state.resource_group naming the existing state storage)",
        "envs/dev.yaml:9:12: state.backend: azurerm backend needs state.storage_account\n"
        "  (expected state.storage_account naming the existing state storage)",
    ]


def test_fails_when_local_state_gets_remote_settings(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + "state:\n  container: tfstate\n")
    assert errors == ["envs/dev.yaml:9:14: state.container: 'container' is only used by the azurerm backend\n"
                      "  (expected backend: azurerm, or remove the key)"]


def test_fails_when_a_tag_name_is_not_allowed_by_azure(tmp_path):
    errors = errors_for(tmp_path, dev=MINIMAL_ENV.replace("  resource_group: rg-dev\n",
                                                          "  resource_group: rg-dev\n  tags: {'a/b': x}\n"))
    assert errors == ["envs/dev.yaml:6:17: azure.tags.a/b: tag name 'a/b' is not allowed by Azure\n"
                      "  (expected at most 512 characters, none of < > % & \\ ? /)"]


def test_fails_when_two_environments_share_a_storage_account(tmp_path):
    storage = "storage: {account: stshared}\n"
    prod = MINIMAL_ENV.replace("development", "production").replace("dbw-dev", "dbw-prod") \
        .replace("rg-dev", "rg-prod") + storage
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + storage, prod=prod)
    assert errors == ["envs/prod.yaml:8:20: storage.account: storage account 'stshared' is already used by "
                      "environment 'dev'\n  (expected each storage account used by one environment only)"]


def test_fails_when_two_environments_share_a_key_vault_or_workspace(tmp_path):
    vault = "key_vault: {name: kv-shared}\n"
    prod = MINIMAL_ENV.replace("development", "production") + vault
    errors = errors_for(tmp_path, dev=MINIMAL_ENV + vault, prod=prod)
    assert [e.split("\n")[0] for e in errors] == [
        "envs/prod.yaml:7:3: workspace.managed_resource_group: managed resource group 'rg-dev-dbw-managed' is "
        "already used by environment 'dev'",
        "envs/prod.yaml:7:9: workspace.name: workspace 'rg-dev/dbw-dev' is already used by environment 'dev'",
        "envs/prod.yaml:8:19: key_vault.name: key vault name 'kv-shared' is already used by environment 'dev'",
    ]


def test_fails_when_two_environments_adopt_the_same_workspace(tmp_path):
    other = ADOPTED.replace("stage: staging", "stage: production").replace("rg-qa", "rg-prod")
    errors = errors_for(tmp_path, qa=ADOPTED, prod=other)
    assert errors[0].startswith("envs/prod.yaml:8:10: workspace.existing.url: adopted workspace "
                                "'https://adb-1234567890123456.7.azuredatabricks.net' is already used by "
                                "environment 'qa'")
