"""Generic resources synthesize exactly as the typed azurerm binding would, without loading it in
the app (the test loads it to compare)."""
import json

import cdktf
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup

from constructs_lib.azure import azurerm_provider, azurerm_resource


def synth_stacks(tmp_path, build) -> dict:
    app = cdktf.App(outdir=str(tmp_path), stack_traces=False)
    build(app)
    app.synth()
    return {p.parent.name: json.loads(p.read_text()) for p in (tmp_path / "stacks").glob("*/cdk.tf.json")}


def test_generic_provider_and_resource_match_the_typed_binding(tmp_path):
    def typed(app):
        stack = TerraformStack(app, "s")
        AzurermProvider(stack, "azurerm", subscription_id="sub", features=[AzurermProviderFeatures()])
        group = ResourceGroup(stack, "rg", name="rg-x", location="westeurope", tags={"a": "b"})
        TerraformOutput(stack, "name", value=group.name)

    def generic(app):
        stack = TerraformStack(app, "s")
        azurerm_provider(stack, "sub")
        group = azurerm_resource(stack, "rg", "azurerm_resource_group",
                                 {"name": "rg-x", "location": "westeurope", "tags": {"a": "b"}, "unset": None})
        TerraformOutput(stack, "name", value=group.attribute("name"))

    expected, actual = synth_stacks(tmp_path / "typed", typed)["s"], synth_stacks(tmp_path / "generic", generic)["s"]
    assert actual == expected
    assert actual["output"]["name"]["value"] == "${azurerm_resource_group.rg.name}"


def test_generic_attributes_are_tokens_that_cross_stacks(tmp_path):
    def build(app):
        platform = TerraformStack(app, "platform")
        azurerm_provider(platform, "sub")
        vault = azurerm_resource(platform, "vault", "azurerm_key_vault", {"name": "kv"})
        consumer = TerraformStack(app, "consumer")
        TerraformOutput(consumer, "uri", value=vault.attribute("vault_uri"))

    stacks = synth_stacks(tmp_path, build)
    assert "terraform_remote_state" in stacks["consumer"]["data"]
    assert stacks["platform"]["output"]  # cdktf added the cross-stack output


def test_generic_databricks_provider_data_source_and_resource_match_the_typed_binding(tmp_path):
    from cdktf_cdktf_provider_databricks.data_databricks_user import DataDatabricksUser
    from cdktf_cdktf_provider_databricks.group_member import GroupMember
    from cdktf_cdktf_provider_databricks.provider import DatabricksProvider

    from constructs_lib.databricks.provider import databricks_data, databricks_provider, databricks_resource

    def typed(app):
        stack = TerraformStack(app, "s")
        DatabricksProvider(stack, "databricks", host="https://adb-1.azuredatabricks.net")
        user = DataDatabricksUser(stack, "user", user_name="a@example.com")
        GroupMember(stack, "member", group_id="g", member_id=user.id)

    def generic(app):
        stack = TerraformStack(app, "s")
        databricks_provider(stack, "databricks", {"host": "https://adb-1.azuredatabricks.net"})
        user = databricks_data(stack, "user", "databricks_user", {"user_name": "a@example.com"})
        databricks_resource(stack, "member", "databricks_group_member",
                            {"group_id": "g", "member_id": user.attribute("id")})

    expected, actual = synth_stacks(tmp_path / "typed", typed)["s"], synth_stacks(tmp_path / "generic", generic)["s"]
    assert actual == expected
    assert actual["terraform"]["required_providers"]["databricks"]["source"] == "databricks/databricks"
