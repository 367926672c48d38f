"""One failing case per binding check: the message and the line it points at."""
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs


def env_errors(tmp_path, env_text: str, defaults: str = MINIMAL_DEFAULTS) -> list[str]:
    return config_errors(write_envs(tmp_path, {"defaults.yaml": defaults, "dev.yaml": env_text}))


def test_fails_when_a_key_is_unknown_and_suggests_the_closest(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "storage:\n  acount: stdev\n")
    assert errors == [
        "envs/dev.yaml:9:3: storage.account: missing required key 'account': not set in envs/dev.yaml "
        "nor in envs/defaults.yaml\n"
        "  (expected a string - ADLS Gen2 storage account for the lakehouse (hierarchical namespace, "
        "TLS 1.2, no public blob access). Globally unique in Azure.)",
        "envs/dev.yaml:9:3: storage.acount: unknown key 'acount'\n"
        "  (expected one of account, containers, replication)\n"
        "  did you mean 'account'?",
    ]


def test_fails_when_a_type_is_wrong(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV.replace("name: dbw-dev", "name: 12345"))
    assert errors == ["envs/dev.yaml:7:9: workspace.name: expected a string, got number 12345 "
                      "(quote it to make it a string)"]


def test_fails_when_a_mapping_is_expected(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "key_vault: kv-dev\n")
    assert errors == ["envs/dev.yaml:8:12: key_vault: expected a mapping, got string 'kv-dev'"]


def test_fails_when_a_required_key_is_missing(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV.replace("display_name: Dev\n", ""))
    assert len(errors) == 1
    assert errors[0].startswith("envs/dev.yaml:1:1: display_name: missing required key 'display_name'")


def test_fails_when_an_enum_value_is_unknown_and_suggests_one(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "  sku: premuim\n")
    assert errors == ["envs/dev.yaml:8:8: workspace.sku: string 'premuim' is not allowed\n"
                      "  (expected one of premium, standard, trial)\n"
                      "  did you mean 'premium'?"]


def test_fails_when_a_storage_account_name_breaks_azure_naming(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "storage: {account: St_Dev}\n")
    assert errors == ["envs/dev.yaml:8:20: storage.account: 'St_Dev' breaks the naming rule\n"
                      "  (expected 3-24 lowercase letters and digits)"]


def test_fails_when_a_key_vault_name_breaks_azure_naming(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "key_vault: {name: kv--dev}\n")
    assert errors[0].startswith("envs/dev.yaml:8:19: key_vault.name: 'kv--dev' breaks the naming rule\n"
                                "  (expected 3-24 letters, digits and single hyphens")


def test_fails_when_a_resource_group_name_breaks_azure_naming(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV.replace("rg-dev", "rg-dev."))
    assert errors == ["envs/dev.yaml:5:19: azure.resource_group: 'rg-dev.' breaks the naming rule\n"
                      "  (expected 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.')"]


def test_fails_when_a_subscription_id_is_not_a_guid(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV.replace("00000000-0000-0000-0000-000000000001", "my-sub"))
    assert errors == ["envs/dev.yaml:4:20: azure.subscription_id: 'my-sub' breaks the naming rule\n"
                      "  (expected a subscription id (GUID))"]


def test_fails_when_a_number_is_out_of_range(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "key_vault: {name: kv-dev, soft_delete_retention_days: 120}\n")
    assert errors == ["envs/dev.yaml:8:55: key_vault.soft_delete_retention_days: 120 is out of range\n"
                      "  (expected a number from 7 to 90)"]


def test_fails_when_a_list_entry_is_duplicated(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV + "storage:\n  account: stdev\n  containers: [bronze, gold, bronze]\n")
    assert errors == ["envs/dev.yaml:10:30: storage.containers[2]: duplicate entry 'bronze'\n"
                      "  (expected each entry once (first at line 10))"]


def test_fails_when_a_string_is_too_long(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV.replace("display_name: Dev", "display_name: " + "x" * 41))
    assert errors == ["envs/dev.yaml:2:15: display_name: '" + "x" * 41 + "' has 41 characters\n"
                      "  (expected 1-40 characters)"]


def test_an_error_in_defaults_points_at_defaults_yaml(tmp_path):
    errors = env_errors(tmp_path, MINIMAL_ENV, defaults=MINIMAL_DEFAULTS + "workspace: {no_public_ip: maybe}\n")
    assert errors == ["envs/defaults.yaml:5:27: workspace.no_public_ip: expected true or false, got string 'maybe' "
                      "(in environment dev)"]
