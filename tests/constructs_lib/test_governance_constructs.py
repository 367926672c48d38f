import base64
import json

import pytest

from constructs_lib.databricks import (
    AccessGrant, ClusterPolicy, ClusterPolicyProps, EntitlementsSpec, GroupSpec, InitScript, InitScriptProps,
    InteractiveCluster, InteractiveClusterProps, KeyVaultSecretScope, KeyVaultSecretScopeProps, LibraryProps,
    ObjectPermissions, PermissionsError, ServicePrincipalSpec, UserSpec, WorkspaceIdentity, WorkspaceIdentityProps,
)
from tests.conftest import only, resources

DS = AccessGrant("group", "data-scientists", "CAN_USE")
CI = AccessGrant("service_principal", "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", "CAN_USE")


def identity(**kw) -> WorkspaceIdentityProps:
    return WorkspaceIdentityProps(**kw)


def test_identity_creates_declared_principals_and_looks_up_external_ones(synth):
    props = identity(
        users=[UserSpec("ann@contoso.com", "Ann"), UserSpec("eve@contoso.com", external=True)],
        service_principals=[ServicePrincipalSpec("ci", "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", external=True)],
        groups=[GroupSpec("ds", "data-scientists", users=["ann@contoso.com", "eve@contoso.com"],
                          service_principals=["ci"], entitlements=EntitlementsSpec(workspace_access=True,
                                                                                   allow_cluster_create=False))])
    tf = synth(lambda s: WorkspaceIdentity(s, "identity", props))
    assert [u["user_name"] for u in resources(tf, "databricks_user").values()] == ["ann@contoso.com"]
    assert [u["user_name"] for u in tf["data"]["databricks_user"].values()] == ["eve@contoso.com"]
    group = only(resources(tf, "databricks_group"))
    assert group == {**group, "display_name": "data-scientists", "workspace_access": True,
                     "allow_cluster_create": False}
    assert "databricks_sql_access" not in group  # left out: not managed
    members = resources(tf, "databricks_group_member")
    assert len(members) == 3
    assert {m["member_id"].split(".")[0] for m in members.values()} == {
        "${databricks_user", "${data", }


def test_builtin_group_entitlements_are_only_managed_when_asked(synth):
    def build(manage: bool):
        return synth(lambda s: WorkspaceIdentity(s, "identity", identity(groups=[GroupSpec(
            "users", "users", entitlements=EntitlementsSpec(allow_cluster_create=False),
            manage_builtin_entitlements=manage)])))
    assert resources(build(False), "databricks_entitlements") == {}
    assert resources(build(False), "databricks_group") == {}  # looked up, never created
    assert only(resources(build(True), "databricks_entitlements"))["allow_cluster_create"] is False


def test_identity_ids_come_from_names_so_adding_a_user_renames_nothing(synth):
    def ids(names):
        tf = synth(lambda s: WorkspaceIdentity(s, "identity", identity(users=[UserSpec(n) for n in names])))
        return set(resources(tf, "databricks_user"))
    before, after = ids(["b@contoso.com", "c@contoso.com"]), ids(["a@contoso.com", "b@contoso.com", "c@contoso.com"])
    assert before < after


def test_cluster_policy_definition_is_canonical_json_with_init_scripts_fixed(synth):
    props = ClusterPolicyProps(name="dev-jobs", definition={"b": {"type": "fixed", "value": 1}, "a": {"value": 2, "type": "fixed"}},
                               init_script_paths=["/Shared/x.sh"], access=[DS, CI],
                               libraries=[LibraryProps(pypi_package="mlflow-skinny==2.16.2")])
    tf = synth(lambda s: ClusterPolicy(s, "jobs", props))
    policy = only(resources(tf, "databricks_cluster_policy"))
    assert policy["definition"] == ('{"a":{"type":"fixed","value":2},"b":{"type":"fixed","value":1},'
                                    '"init_scripts.0.workspace.destination":{"type":"fixed","value":"/Shared/x.sh"}}')
    assert policy["libraries"] == [{"pypi": {"package": "mlflow-skinny==2.16.2"}}]
    acl = only(resources(tf, "databricks_permissions"))
    assert acl["cluster_policy_id"].startswith("${databricks_cluster_policy.")
    assert acl["access_control"] == [
        {"group_name": "data-scientists", "permission_level": "CAN_USE"},
        {"service_principal_name": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", "permission_level": "CAN_USE"}]


def test_cluster_policy_from_a_family_puts_rules_in_the_overrides(synth):
    props = ClusterPolicyProps(name="personal", policy_family_id="personal-vm",
                               family_overrides={"autotermination_minutes": {"type": "fixed", "value": 30}})
    policy = only(resources(synth(lambda s: ClusterPolicy(s, "p", props)), "databricks_cluster_policy"))
    assert policy["policy_family_id"] == "personal-vm" and "definition" not in policy
    assert policy["policy_family_definition_overrides"] == '{"autotermination_minutes":{"type":"fixed","value":30}}'


def test_fails_when_a_cluster_policy_has_definition_and_family_and_a_long_name(synth):
    props = ClusterPolicyProps(name="x" * 101, definition={}, policy_family_id="personal-vm", max_clusters_per_user=0)
    with pytest.raises(ValueError) as caught:
        synth(lambda s: ClusterPolicy(s, "p", props))
    assert str(caught.value) == ("test/p: name has 101 characters (expected 1-100); set exactly one of definition or "
                                 "policy_family_id; max_clusters_per_user must be > 0")


def test_fails_when_an_object_gets_a_second_acl(synth):
    def build(stack):
        ObjectPermissions(stack, "a", kind="directory", object_ref="/Shared/x", object_key="directory:/Shared/x",
                          grants=[AccessGrant("group", "ds", "CAN_READ")])
        ObjectPermissions(stack, "b", kind="directory", object_ref="/Shared/x", object_key="directory:/Shared/x",
                          grants=[AccessGrant("group", "ops", "CAN_READ")])
    with pytest.raises(PermissionsError, match="directory:/Shared/x already has its ACL at test/a"):
        synth(build)


def test_fails_when_an_acl_breaks_the_apply_time_rules(synth):
    grants = [AccessGrant("group", "admins", "CAN_MANAGE"), AccessGrant("group", "ds", "IS_OWNER"),
              AccessGrant("group", "ds", "CAN_VIEW"), AccessGrant("user", "a@contoso.com", "CAN_READ")]
    with pytest.raises(PermissionsError) as caught:
        synth(lambda s: ObjectPermissions(s, "acl", kind="job", object_ref="1", object_key="job:1", grants=grants))
    assert str(caught.value) == (
        "test/acl: the admins group cannot be given object permissions; group 'ds' appears at IS_OWNER and "
        "CAN_VIEW; CAN_READ is not a level for job (expected one of CAN_VIEW, CAN_MANAGE_RUN, CAN_MANAGE, "
        "IS_OWNER); group 'ds' cannot be IS_OWNER")


def test_init_script_is_an_embedded_workspace_file(synth):
    tf = synth(lambda s: InitScript(s, "libs", InitScriptProps("/Shared/mlops/dev/init_scripts/libs.sh", "pip x\n")))
    file = only(resources(tf, "databricks_workspace_file"))
    assert file["path"] == "/Shared/mlops/dev/init_scripts/libs.sh"
    assert base64.b64decode(file["content_base64"]) == b"pip x\n"


def test_interactive_cluster_with_all_defaults_under_a_policy(synth):
    props = InteractiveClusterProps("dev-shared", "15.4.x-cpu-ml-scala2.12", "Standard_DS3_v2", policy_id="p-1",
                                    num_workers=1)
    cluster = only(resources(synth(lambda s: InteractiveCluster(s, "c", props)), "databricks_cluster"))
    assert cluster["policy_id"] == "p-1" and cluster["apply_policy_default_values"] is True
    assert cluster["autotermination_minutes"] == 60 and cluster["data_security_mode"] == "USER_ISOLATION"


def test_fails_when_a_cluster_never_terminates(synth):
    props = InteractiveClusterProps("x", "15.4.x-cpu-ml-scala2.12", "Standard_DS3_v2", num_workers=1,
                                    autotermination_minutes=0)
    with pytest.raises(ValueError, match="autotermination_minutes 0 outside 10-43200"):
        synth(lambda s: InteractiveCluster(s, "c", props))


def test_secret_scope_is_bound_to_the_key_vault_with_one_acl_per_principal(synth):
    props = KeyVaultSecretScopeProps("mlops", "/subscriptions/s/kv", "https://kv-x.vault.azure.net/",
                                     acls=[AccessGrant("group", "ds", "READ"), AccessGrant("service_principal", "app", "MANAGE")])
    tf = synth(lambda s: KeyVaultSecretScope(s, "scope", props))
    scope = only(resources(tf, "databricks_secret_scope"))
    assert scope["backend_type"] == "AZURE_KEYVAULT"
    assert scope["keyvault_metadata"] == {"resource_id": "/subscriptions/s/kv", "dns_name": "https://kv-x.vault.azure.net/"}
    acls = sorted((a["principal"], a["permission"]) for a in resources(tf, "databricks_secret_acl").values())
    assert acls == [("app", "MANAGE"), ("ds", "READ")]
    assert "string_value" not in json.dumps(tf)  # secrets are never managed here
