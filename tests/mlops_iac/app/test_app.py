"""Properties of the reference fixture estate's environments as synthesized: the contract reviewers rely on."""
from tests.conftest import only, resources


def test_every_environment_has_a_platform_and_a_workspace_stack(example_stacks):
    assert sorted(example_stacks) == sorted(
        f"{env}-{kind}" for env in ("prodfix", "qa", "prod") for kind in ("platform", "workspace"))


def test_prod_workspace_is_premium_and_private_as_configured(example_stacks):
    ws = only(resources(example_stacks["prod-platform"], "azurerm_databricks_workspace"))
    assert ws["name"] == "dbw-mlops-prod" and ws["sku"] == "premium"
    assert ws["public_network_access_enabled"] is False
    assert ws["network_security_group_rules_required"] == "NoAzureDatabricksRules"
    assert ws["custom_parameters"]["virtual_network_id"].endswith("/virtualNetworks/vnet-mlops-prod")
    assert ws["managed_resource_group_name"] == "rg-mlops-prod-dbw-managed"


def test_prodfix_workspace_is_public_with_default_managed_group(example_stacks):
    ws = only(resources(example_stacks["prodfix-platform"], "azurerm_databricks_workspace"))
    assert ws["public_network_access_enabled"] is True
    assert ws["managed_resource_group_name"] == "rg-mlops-prodfix-dbw-managed"
    assert ws["custom_parameters"] == {"no_public_ip": True}


def test_storage_accounts_are_adls_gen2_with_hns_on(example_stacks):
    for env in ("prodfix", "qa", "prod"):
        account = only(resources(example_stacks[f"{env}-platform"], "azurerm_storage_account"))
        assert account["name"] == f"stmlops{env}"
        assert account["is_hns_enabled"] is True and account["min_tls_version"] == "TLS1_2"
        assert account["allow_nested_items_to_be_public"] is False
        containers = resources(example_stacks[f"{env}-platform"], "azurerm_storage_container")
        assert sorted(c["name"] for c in containers.values()) == ["bronze", "gold", "silver"]


def test_each_greenfield_workspace_stack_points_at_its_own_platform_workspace(example_stacks):
    for env in ("prodfix", "prod"):
        stack = example_stacks[f"{env}-workspace"]
        provider = only({"p": p for p in stack["provider"]["databricks"]})
        remote = only(stack["data"]["terraform_remote_state"])
        assert remote["config"].get("path", remote["config"].get("key", "")).endswith(f"{env}-platform.tfstate")
        ref = f"data.terraform_remote_state.cross-stack-reference-input-{env}-platform.outputs"
        assert provider["host"].startswith(f"https://${{{ref}")
        assert provider["azure_workspace_resource_id"].startswith(f"${{{ref}")
        assert "workspace_url" in provider["host"]


def test_brownfield_qa_configures_the_adopted_workspace_and_creates_none(example_stacks):
    provider = example_stacks["qa-workspace"]["provider"]["databricks"][0]
    assert provider["host"] == "https://adb-2718281828459045.5.azuredatabricks.net"
    assert provider["azure_workspace_resource_id"].endswith("/workspaces/dbw-dataplatform-qa")
    platform = example_stacks["qa-platform"]
    assert resources(platform, "azurerm_databricks_workspace") == {}
    assert resources(platform, "azurerm_resource_group") == {}  # owned by the central team
    assert only(resources(platform, "azurerm_key_vault"))["resource_group_name"] == "rg-mlops-qa"


def test_every_stack_keeps_state_of_its_own(example_stacks):
    """Remote stacks keep their own locked azurerm blob (Entra ID auth, no key); the sandbox keeps
    local files outside cdktf.out; no two stacks share a state."""
    places = set()
    for stack_id, stack in example_stacks.items():
        [(kind, backend)] = stack["terraform"]["backend"].items()
        if kind == "azurerm":
            assert backend["key"].endswith(f"/{stack_id}.tfstate")
            assert backend["use_azuread_auth"] is True and "access_key" not in backend
            places.add((backend["storage_account_name"], backend["container_name"], backend["key"]))
        else:
            assert (kind, stack_id.split("-")[0]) == ("local", "prodfix")  # the reference's sandbox
            assert backend == {"path": f"../../../terraform-state/{stack_id}.tfstate"}
            places.add(backend["path"])
    assert len(places) == len(example_stacks)


def test_workspace_baseline_folder_per_environment(example_stacks):
    for env in ("prodfix", "qa", "prod"):
        folders = resources(example_stacks[f"{env}-workspace"], "databricks_directory")
        assert folders["environment-folder_directory_1A6C7768"]["path"] == f"/Shared/mlops/{env}"


def test_azure_resources_carry_environment_and_cost_tags(example_stacks):
    for env in ("prodfix", "qa", "prod"):
        for rtype, items in example_stacks[f"{env}-platform"]["resource"].items():
            for item in items.values():
                if "tags" in item or rtype not in ("azurerm_storage_container", "azurerm_monitor_diagnostic_setting"):
                    assert item["tags"]["environment"] == env, rtype
                    assert item["tags"]["cost_center"] == "ml-platform", rtype
                    assert item["tags"]["managed_by"] == "mlops-iac", rtype


def test_providers_are_pinned_to_the_binding_versions(example_stacks):
    assert example_stacks["prod-platform"]["terraform"]["required_providers"]["azurerm"] == {
        "source": "azurerm", "version": "4.55.0"}
    assert example_stacks["prod-workspace"]["terraform"]["required_providers"]["databricks"] == {
        "source": "databricks/databricks", "version": "1.99.0"}


def test_no_credentials_are_synthesized(example_stacks):
    import json
    text = json.dumps(example_stacks).lower()
    # as keys: "shared_access_key_enabled" (false in production) is a setting, not a credential
    for secret_key in ("\"client_secret\"", "\"access_key\"", "\"sas_token\"", "\"token\"", "\"password\""):
        assert secret_key not in text
