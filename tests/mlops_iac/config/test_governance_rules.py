"""One failing case per identity / compute rule: the message and the line it points at."""
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs

DEPLOYER = """\
service_principals:
  deployer: {application_id: 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51, external: true}
deployer: deployer
"""


def errors_for(tmp_path, extra: str, files: dict | None = None) -> list[str]:
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return config_errors(write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "dev.yaml": MINIMAL_ENV + extra}))


def test_fails_when_a_group_member_is_not_declared(tmp_path):
    errors = errors_for(tmp_path, "users:\n  ann@contoso.com: {}\ngroups:\n  ds:\n    users: [anne@contoso.com]\n")
    assert errors == ["envs/dev.yaml:12:13: groups.ds.users[0]: user 'anne@contoso.com' is not declared\n"
                      "  (expected a key of users (ann@contoso.com))\n  did you mean 'ann@contoso.com'?"]


def test_fails_when_a_user_name_is_not_an_email(tmp_path):
    errors = errors_for(tmp_path, "users:\n  alice: {}\n")
    assert errors == ["envs/dev.yaml:9:3: users.alice: 'alice' is not a user name\n"
                      "  (expected the user's e-mail address (user name))"]


def test_fails_when_groups_nest_in_a_cycle(tmp_path):
    errors = errors_for(tmp_path, "groups:\n  a: {groups: [b]}\n  b: {groups: [a]}\n")
    assert errors[0] == ("envs/dev.yaml:9:16: groups.a.groups[0]: group 'a' would contain itself through 'b'\n"
                         "  (expected nested groups without cycles)")
    assert len(errors) == 2


def test_fails_when_an_external_group_lists_members(tmp_path):
    errors = errors_for(tmp_path, "users:\n  a@contoso.com: {}\ngroups:\n  sso:\n    external: true\n"
                                  "    users: [a@contoso.com]\n")
    assert errors == ["envs/dev.yaml:13:12: groups.sso.users: external group 'sso' lists users\n"
                      "  (expected members of an external group are managed where the group is (Entra ID))"]


def test_fails_when_builtin_group_entitlements_are_not_explicitly_asked_for(tmp_path):
    errors = errors_for(tmp_path, "groups:\n  users:\n    entitlements: {allow_cluster_create: true}\n")
    assert errors[0].startswith("envs/dev.yaml:10:19: groups.users.entitlements: entitlements of the built-in "
                                "'users' group are not managed by default\n  (expected manage_builtin_entitlements: true")


def test_fails_when_a_service_principal_is_declared_twice(tmp_path):
    errors = errors_for(tmp_path, "service_principals:\n  a: {application_id: 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51}\n"
                                  "  b: {application_id: 3F2A1B4C-5d6e-4f70-8a9b-0c1d2e3f4a51}\n")
    assert errors == ["envs/dev.yaml:10:23: service_principals.b.application_id: application id already used by "
                      "service principal 'a'\n  (expected one declaration per service principal)"]


def test_fails_when_two_groups_share_a_display_name(tmp_path):
    errors = errors_for(tmp_path, "groups:\n  ds: {}\n  data: {display_name: DS}\n")
    assert errors[0].startswith("envs/dev.yaml:9:7: groups.ds: group name 'ds' is also used by group 'data'")


def test_fails_when_the_deployer_is_not_declared(tmp_path):
    errors = errors_for(tmp_path, DEPLOYER.replace("deployer: deployer", "deployer: deployr"))
    assert errors == ["envs/dev.yaml:10:11: deployer: service principal 'deployr' is not declared\n"
                      "  (expected a key of service_principals (deployer))\n  did you mean 'deployer'?"]


def test_fails_when_a_policy_sets_definition_and_family(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  p:\n    definition: {num_workers: {type: fixed, value: 1}}\n"
                                  "    family: personal-vm\n")
    assert errors == ["envs/dev.yaml:11:13: cluster_policies.p.family: policy 'p' sets definition and family\n"
                      "  (expected exactly one of definition, definition_file or family (policy_family_id))"]


def test_fails_when_overrides_have_no_family(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  p:\n    definition: {}\n    overrides: {num_workers: {type: fixed, value: 1}}\n")
    assert errors == ["envs/dev.yaml:11:16: cluster_policies.p.overrides: overrides need a policy family\n"
                      "  (expected family: <policy family id>, or put the rules in the definition)"]


def test_fails_when_a_policy_name_is_over_100_characters(tmp_path):
    errors = errors_for(tmp_path, f"cluster_policies:\n  p: {{definition: {{}}, name: {'n' * 101}}}\n")
    # The value itself is cut at 80 characters in the message (diagnostics.safe_text).
    assert errors == [f"envs/dev.yaml:9:29: cluster_policies.p.name: policy name '{'n' * 80}\u2026 (101 characters)' "
                      "has 101 characters\n  (expected at most 100)"]


def test_fails_when_two_policies_share_a_name(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  a: {definition: {}, name: Jobs}\n"
                                  "  b: {definition: {}, name: jobs}\n")
    assert errors == ["envs/dev.yaml:10:6: cluster_policies.b: policy name 'jobs' is also used by policy 'a'\n"
                      "  (expected unique cluster policy names in a workspace)"]


def test_fails_when_production_has_a_personal_compute_policy(tmp_path):
    env = MINIMAL_ENV.replace("development", "production") + \
        "cluster_policies:\n  personal: {purpose: personal, family: personal-vm}\n"
    errors = config_errors(write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "prod.yaml": env}))
    assert errors == ["envs/prod.yaml:9:23: cluster_policies.personal.purpose: personal compute policy 'personal' "
                      "in production environment 'prod'\n  (expected no personal compute in production: remove it "
                      "with 'personal: null' in envs/prod.yaml)"]


def test_fails_when_two_policies_claim_job_compute(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  a: {purpose: job, definition: {}}\n"
                                  "  b: {purpose: job, definition: {}}\n")
    assert errors[0].startswith("envs/dev.yaml:10:16: cluster_policies.b.purpose: policies a, b all have purpose job")


def test_fails_when_max_clusters_per_user_is_zero(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  a: {definition: {}, max_clusters_per_user: 0}\n")
    assert errors == ["envs/dev.yaml:9:46: cluster_policies.a.max_clusters_per_user: 0 is out of range\n"
                      "  (expected at least 1)"]


def test_fails_when_a_library_names_two_kinds(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  a:\n    definition: {}\n    libraries:\n"
                                  "      - {pypi: {package: x}, jar: /Volumes/a/b.jar}\n")
    assert errors[0].startswith("envs/dev.yaml:12:9: cluster_policies.a.libraries[0]: library sets 2 kinds")


def test_fails_when_an_init_script_is_not_declared_or_its_file_is_missing(tmp_path):
    errors = errors_for(tmp_path, "init_scripts:\n  libs: {file: scripts/libs.sh}\ncluster_policies:\n"
                                  "  a: {definition: {}, init_scripts: [lib]}\n")
    assert errors == [  # rules and files are independent: both reported in one run
        "envs/dev.yaml:9:16: init_scripts.libs.file: file 'scripts/libs.sh' not found\n"
        "  (expected a file relative to the project root (the folder that holds envs/))",
        "envs/dev.yaml:11:38: cluster_policies.a.init_scripts[0]: init script 'lib' is not declared\n"
        "  (expected a key of init_scripts (libs))\n  did you mean 'libs'?"]
    errors = errors_for(tmp_path, "init_scripts:\n  libs: {file: scripts/libs.sh}\n")
    assert errors[0].startswith("envs/dev.yaml:9:16: init_scripts.libs.file: file 'scripts/libs.sh' not found")


def test_fails_when_a_definition_file_is_not_a_json_object(tmp_path):
    errors = errors_for(tmp_path, "cluster_policies:\n  a: {definition_file: p.json}\n", {"p.json": "[1, 2]"})
    assert errors == ["envs/dev.yaml:9:24: cluster_policies.a.definition_file: 'p.json' holds no JSON object\n"
                      "  (expected an object mapping attribute paths to policy rules)"]
    errors = errors_for(tmp_path, "cluster_policies:\n  a: {definition_file: p.json}\n", {"p.json": "{nope"})
    assert "'p.json' is not valid JSON" in errors[0]


def test_fails_when_a_file_points_outside_the_project(tmp_path):
    errors = errors_for(tmp_path, "init_scripts:\n  x: {file: ../outside.sh}\n")
    assert errors[0].startswith("envs/dev.yaml:9:13: init_scripts.x.file: '../outside.sh' points outside the project")


CLUSTER = "clusters:\n  c:\n    spark_version: 15.4.x-cpu-ml-scala2.12\n    node_type_id: Standard_DS3_v2\n"


def test_fails_when_a_cluster_names_an_unknown_policy(tmp_path):
    errors = errors_for(tmp_path, CLUSTER + "    num_workers: 1\n    policy: shared\n")
    assert errors == ["envs/dev.yaml:13:13: clusters.c.policy: cluster policy 'shared' is not declared\n"
                      "  (expected a key of cluster_policies (none declared))"]


def test_fails_when_a_cluster_sets_both_sizes(tmp_path):
    errors = errors_for(tmp_path, CLUSTER + "    num_workers: 1\n    autoscale: {min_workers: 3, max_workers: 2}\n")
    assert errors == [
        "envs/dev.yaml:10:5: clusters.c: cluster 'c' sets both num_workers and autoscale\n"
        "  (expected exactly one of num_workers or autoscale)",
        "envs/dev.yaml:13:16: clusters.c.autoscale: min_workers is above max_workers\n  (expected min_workers <= max_workers)",
    ]


def test_fails_when_a_cluster_never_terminates(tmp_path):
    errors = errors_for(tmp_path, CLUSTER + "    num_workers: 1\n    autotermination_minutes: 0\n")
    assert errors == ["envs/dev.yaml:13:30: clusters.c.autotermination_minutes: 0 minutes is outside what Databricks "
                      "accepts\n  (expected 10-43200 (an interactive cluster must stop when idle))"]


def test_fails_when_a_cluster_uses_a_drifting_access_mode_alias(tmp_path):
    errors = errors_for(tmp_path, CLUSTER + "    num_workers: 1\n    data_security_mode: DATA_SECURITY_MODE_STANDARD\n")
    assert errors == ["envs/dev.yaml:13:25: clusters.c.data_security_mode: DATA_SECURITY_MODE_STANDARD is an alias "
                      "Databricks reports back as USER_ISOLATION (a permanent diff)\n  (expected USER_ISOLATION)\n"
                      "  did you mean 'USER_ISOLATION'?"]


def test_fails_when_single_user_mode_has_no_user(tmp_path):
    errors = errors_for(tmp_path, CLUSTER + "    num_workers: 1\n    data_security_mode: SINGLE_USER\n")
    assert errors[0].startswith("envs/dev.yaml:13:25: clusters.c.data_security_mode: single_user_name goes with "
                                "SINGLE_USER only")


def test_fails_when_a_key_vault_is_neither_created_nor_adopted(tmp_path):
    errors = errors_for(tmp_path, "key_vault: {sku: standard}\n")
    assert errors == ["envs/dev.yaml:8:12: key_vault: key_vault sets neither name nor existing\n"
                      "  (expected exactly one of key_vault.name (create) or key_vault.existing (adopt))"]


def test_fails_when_a_secret_scope_has_no_key_vault(tmp_path):
    errors = errors_for(tmp_path, "secret_scope: {name: mlops}\n")
    assert errors == ["envs/dev.yaml:8:15: secret_scope: a Key Vault-backed secret scope needs a key_vault\n"
                      "  (expected a key_vault section, or remove secret_scope)"]
