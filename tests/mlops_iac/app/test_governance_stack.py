"""Governance of the reference fixture estate as synthesized: identities, policies, ACLs, secrets."""
import json

import pytest

from tests.conftest import only, resources

DEPLOYERS = {"prodfix": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", "qa": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a52",
             "prod": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a53"}
ENVS = ("prodfix", "qa", "prod")


def by(items: dict, key: str) -> dict:
    return {item[key]: item for item in items.values()}


def acl_of(stack: dict, ref_fragment: str) -> dict[str, str]:
    """principal -> level of the databricks_permissions whose object reference contains ref_fragment."""
    for acl in resources(stack, "databricks_permissions").values():
        if any(ref_fragment in str(v) for k, v in acl.items() if k.endswith(("_id", "_path"))):
            return {next(v for k, v in c.items() if k != "permission_level"): c["permission_level"]
                    for c in acl["access_control"]}
    raise AssertionError(f"no ACL for {ref_fragment}")


@pytest.mark.parametrize("env", ENVS)
def test_groups_and_their_members(example_stacks, env):
    stack = example_stacks[f"{env}-workspace"]
    groups = by(resources(stack, "databricks_group"), "display_name")
    assert sorted(groups) == ["data-scientists", "ml-engineers", "readers"]
    assert len(resources(stack, "databricks_group_member")) == 5
    users = by(resources(stack, "databricks_user"), "user_name")
    assert sorted(users) == ["alice.nguyen@contoso.com", "bob.martin@contoso.com", "carol.diaz@contoso.com",
                             "dan.okafor@contoso.com"]
    assert [u["user_name"] for u in stack["data"]["databricks_user"].values()] == ["erin.walsh@contoso.com"]
    assert [sp["application_id"] for sp in stack["data"]["databricks_service_principal"].values()] == [DEPLOYERS[env]]


def test_entitlements_differ_per_environment(example_stacks):
    def group(env, name):
        return by(resources(example_stacks[f"{env}-workspace"], "databricks_group"), "display_name")[name]
    assert group("prodfix", "ml-engineers")["allow_cluster_create"] is True
    assert group("qa", "ml-engineers")["allow_cluster_create"] is False
    assert group("prod", "data-scientists")["databricks_sql_access"] is False
    assert group("prodfix", "data-scientists")["databricks_sql_access"] is True
    for env in ENVS:
        assert "databricks_entitlements" not in example_stacks[f"{env}-workspace"].get("resource", {})


def test_policies_per_environment_and_no_personal_compute_in_prod(example_stacks):
    names = {env: sorted(p["name"] for p in resources(example_stacks[f"{env}-workspace"],
                                                       "databricks_cluster_policy").values()) for env in ENVS}
    assert names == {"prodfix": ["prodfix-job-compute", "prodfix-personal", "prodfix-pipeline-compute",
                                 "prodfix-shared-interactive"],
                     "qa": ["qa-job-compute", "qa-personal", "qa-pipeline-compute", "qa-shared-interactive"],
                     "prod": ["prod-job-compute", "prod-pipeline-compute", "prod-shared-interactive"]}


@pytest.mark.parametrize("env", ENVS)
def test_policy_json_is_canonical_and_fixes_the_init_script(example_stacks, env):
    for policy in resources(example_stacks[f"{env}-workspace"], "databricks_cluster_policy").values():
        body = policy.get("definition") or policy["policy_family_definition_overrides"]
        assert body == json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        if "definition" in policy:
            assert json.loads(body)["init_scripts.0.workspace.destination"]["value"] == \
                f"/Shared/mlops/{env}/init_scripts/install-inhouse-libs.sh"


def test_can_use_grants_follow_the_matrix(example_stacks):
    ds, mle, ci = "data-scientists", "ml-engineers", DEPLOYERS
    assert acl_of(example_stacks["prodfix-workspace"], "cluster-policies_job-compute") == {
        ds: "CAN_USE", mle: "CAN_USE", ci["prodfix"]: "CAN_USE"}
    assert acl_of(example_stacks["prod-workspace"], "cluster-policies_job-compute") == {ci["prod"]: "CAN_USE"}


def test_environment_folder_acl_is_open_in_prodfix_and_read_only_in_prod(example_stacks):
    assert acl_of(example_stacks["prodfix-workspace"], "environment-folder") == {
        "data-scientists": "CAN_EDIT", "ml-engineers": "CAN_EDIT", "readers": "CAN_READ",
        DEPLOYERS["prodfix"]: "CAN_MANAGE"}
    assert acl_of(example_stacks["prod-workspace"], "environment-folder") == {
        "data-scientists": "CAN_READ", "ml-engineers": "CAN_READ", "readers": "CAN_READ",
        DEPLOYERS["prod"]: "CAN_MANAGE"}


@pytest.mark.parametrize("env", ENVS)
def test_secret_scope_is_bound_to_the_environments_own_vault(example_stacks, env):
    stack = example_stacks[f"{env}-workspace"]
    scope = only(resources(stack, "databricks_secret_scope"))
    assert scope["name"] == "mlops" and scope["backend_type"] == "AZURE_KEYVAULT"
    ref = f"data.terraform_remote_state.cross-stack-reference-input-{env}-platform.outputs.cross-stack-output-azurerm_key_vault"
    assert scope["keyvault_metadata"]["resource_id"].startswith("${" + ref)
    assert scope["keyvault_metadata"]["dns_name"].startswith("${" + ref)
    acls = {a["principal"]: a["permission"] for a in resources(stack, "databricks_secret_acl").values()}
    assert acls[DEPLOYERS[env]] == "MANAGE"
    assert acls.get("data-scientists") == ("READ" if env == "prodfix" else None)


def test_shared_cluster_only_in_prodfix_under_its_policy_with_policy_tags(example_stacks):
    cluster = only(resources(example_stacks["prodfix-workspace"], "databricks_cluster"))
    assert cluster["policy_id"].startswith("${databricks_cluster_policy.governance_cluster-policies_shared-interactive")
    assert cluster["autotermination_minutes"] == 45
    # the policy fixes custom_tags.cost_center: written on the cluster too, so no perpetual diff
    assert cluster["custom_tags"] == {"cost_center": "ml-platform", "environment": "prodfix", "managed_by": "mlops-iac",
                                      "project": "exploration"}
    assert cluster["init_scripts"] == [{"workspace": {"destination": "/Shared/mlops/prodfix/init_scripts/install-inhouse-libs.sh"}}]
    for env in ("qa", "prod"):
        assert resources(example_stacks[f"{env}-workspace"], "databricks_cluster") == {}


def test_no_acl_ever_names_admins_and_each_object_has_one_acl(example_stacks):
    for env in ENVS:
        acls = resources(example_stacks[f"{env}-workspace"], "databricks_permissions").values()
        objects = [next(v for k, v in a.items() if k.endswith(("_id", "_path"))) for a in acls]
        assert len(objects) == len(set(objects))
        assert "admins" not in json.dumps(list(acls))
