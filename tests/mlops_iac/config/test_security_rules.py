"""The security footprint settings: stage defaults, and located errors for what Azure would reject."""
from mlops_iac.config import load_environments
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs
from tests.mlops_iac.config.test_rules import ADOPTED, VNET

PE_SUBNET = ("    private_endpoint_subnet_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
             "rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe\n")
PROD = MINIMAL_ENV.replace("development", "production")


def _load(tmp_path, text):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "env.yaml": text})
    return load_environments(envs)[0].config


def _errors(tmp_path, text):
    return config_errors(write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "env.yaml": text}))


def test_production_in_its_own_vnet_is_private_keyless_and_logged_by_default(tmp_path):
    posture = _load(tmp_path, PROD + VNET + PE_SUBNET).security_posture
    assert (posture.private, posture.shared_access_key, posture.soft_delete_days, posture.logging) == (True, False, 30, True)


def test_development_defaults_are_open_and_each_can_be_turned_on(tmp_path):
    assert _load(tmp_path / "a", MINIMAL_ENV).security_posture == type(_load(tmp_path / "a", MINIMAL_ENV).security_posture)(
        private=False, shared_access_key=True, soft_delete_days=7, logging=False)
    opted = _load(tmp_path / "b", MINIMAL_ENV + VNET + PE_SUBNET + "network: {private: true}\n"
                  "security: {shared_access_key: false, logging: {enabled: true}, soft_delete_days: 14}\n")
    assert opted.security_posture.private and not opted.security_posture.shared_access_key
    assert opted.security_posture.logging and opted.security_posture.soft_delete_days == 14


def test_production_without_a_private_endpoint_subnet_is_an_error_at_the_vnet(tmp_path):
    errors = _errors(tmp_path, PROD + VNET)
    assert errors == ["envs/env.yaml:9:5: workspace.vnet: private networking needs "
                      "workspace.vnet.private_endpoint_subnet_id (a subnet of the workspace VNet for private endpoints)"
                      "\n  (expected workspace.vnet.private_endpoint_subnet_id, or network.private: false)"]


def test_private_networking_on_an_adopted_workspace_is_an_error_at_the_setting(tmp_path):
    errors = _errors(tmp_path, ADOPTED + "network:\n  private: true\n")
    assert len(errors) == 1 and errors[0].startswith(
        "envs/env.yaml:11:12: network.private: private networking needs the workspace VNet, but the workspace is adopted")


def test_customer_managed_keys_need_a_premium_workspace(tmp_path):
    cmk = ("security:\n  customer_managed_keys:\n"
           "    key_vault_key_id: https://kv-keys.vault.azure.net/keys/lake\n"
           "    key_vault_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/k/providers/Microsoft.KeyVault/vaults/kv-keys\n"
           "    user_assigned_identity_id: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/k/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id\n")
    errors = _errors(tmp_path, MINIMAL_ENV.replace("  name: dbw-dev\n", "  name: dbw-dev\n  sku: standard\n") + cmk)
    assert len(errors) == 1 and errors[0].startswith(
        "envs/env.yaml:11:5: security.customer_managed_keys: customer-managed keys need a premium workspace, not 'standard'")


def test_a_key_id_that_is_not_a_key_vault_key_is_refused_at_its_line(tmp_path):
    errors = _errors(tmp_path, MINIMAL_ENV + "security:\n  customer_managed_keys:\n    key_vault_key_id: kv/lake\n"
                     "    key_vault_id: x\n    user_assigned_identity_id: y\n")
    assert any(e.startswith("envs/env.yaml:10:23: security.customer_managed_keys.key_vault_key_id:") for e in errors)
    assert any("https://<vault>.vault.azure.net/keys/<name>[/<version>]" in e for e in errors)
