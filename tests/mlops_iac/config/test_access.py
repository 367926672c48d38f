"""The access matrix (envs/access.yaml): resolution per environment, and one failing case per rule."""
import textwrap

from mlops_iac.config import load_environments
from mlops_iac.config.access_model import Grant, PrincipalRef
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs

IDENTITY = """\
users:
  ann@contoso.com: {}
groups:
  ds: {users: [ann@contoso.com]}
  ops: {}
service_principals:
  ci: {application_id: 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51, external: true}
deployer: ci
"""

ROLES = """\
roles:
  scientists: {group: ds}
  operators: {group: ops}
  deployer: {deployer: true}
"""


def envs_with(tmp_path, matrix: str, roles: str = ROLES, extra: str = "", prod_extra: str = ""):
    prod = MINIMAL_ENV.replace("development", "production").replace("-dev", "-prod")
    return write_envs(tmp_path, {
        "defaults.yaml": MINIMAL_DEFAULTS + IDENTITY,
        "dev.yaml": MINIMAL_ENV + extra,
        "prod.yaml": prod + prod_extra,
        "access.yaml": roles + "matrix:\n" + textwrap.indent(textwrap.dedent(matrix), "  "),
    })


def test_levels_resolve_by_environment_then_stage_then_default(tmp_path):
    envs = envs_with(tmp_path, """\
        scientists:
          experiment: {dev: CAN_MANAGE, production: CAN_READ, default: CAN_EDIT}
          job: {default: CAN_VIEW, prod: null}
        deployer: {experiment: CAN_MANAGE, job: IS_OWNER}
        """)
    dev, prod = (e.config for e in load_environments(envs))
    ds, ci = PrincipalRef("group", "ds"), PrincipalRef("service_principal", "ci")
    assert dev.access.grants("experiment") == (Grant(ds, "CAN_MANAGE", "scientists"), Grant(ci, "CAN_MANAGE", "deployer"))
    assert prod.access.grants("experiment")[0] == Grant(ds, "CAN_READ", "scientists")
    assert [g.level for g in dev.access.grants("job")] == ["CAN_VIEW", "IS_OWNER"]
    assert prod.access.grants("job") == (Grant(ci, "IS_OWNER", "deployer"),)


def test_object_overrides_replace_or_withhold_a_role(tmp_path):
    policy = "cluster_policies:\n  p:\n    definition: {}\n    access: {scientists: NONE, operators: CAN_USE}\n"
    envs = envs_with(tmp_path, "scientists: {cluster_policy: CAN_USE}\ndeployer: {cluster_policy: CAN_USE}\n",
                     extra=policy)
    dev = load_environments(envs)[0].config
    overrides = dev.cluster_policies["p"].access
    assert [(g.role, g.level) for g in dev.access.grants("cluster_policy", overrides)] == [
        ("operators", "CAN_USE"), ("deployer", "CAN_USE")]


def test_fails_when_a_level_is_not_valid_for_the_asset_kind(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientists: {experiment: {prod: CAN_VIEW}}\n"))
    assert errors == ["envs/access.yaml:6:35: matrix.scientists.experiment.prod: CAN_VIEW is not a level for "
                      "experiment objects\n  (expected one of CAN_READ, CAN_EDIT, CAN_MANAGE (NONE for no access))\n  did you mean 'CAN_READ'?"]


def test_fails_when_an_asset_kind_is_unknown(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientists: {experiments: CAN_READ}\n"))
    assert errors[0].startswith("envs/access.yaml:6:29: matrix.scientists.experiments: unknown asset kind 'experiments'")
    assert errors[0].endswith("did you mean 'experiment'?")


def test_fails_when_an_environment_key_is_unknown(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientists: {experiment: {prd: CAN_READ}}\n"))
    assert errors == ["envs/access.yaml:6:34: matrix.scientists.experiment.prd: 'prd' is neither an environment nor a "
                      "stage\n  (expected an environment (dev, prod), a stage or default)\n  did you mean 'prod'?"]


def test_fails_when_a_matrix_role_is_not_defined(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientist: {experiment: CAN_READ}\n"))
    assert errors == ["envs/access.yaml:6:14: matrix.scientist: role 'scientist' is not defined under roles\n"
                      "  (expected one of deployer, operators, scientists)\n  did you mean 'scientists'?"]


def test_fails_when_a_role_has_two_players(tmp_path):
    roles = ROLES.replace("{group: ds}", "{group: ds, user: ann@contoso.com}")
    errors = config_errors(envs_with(tmp_path, "scientists: {experiment: CAN_READ}\n", roles=roles))
    assert errors[0] == ("envs/access.yaml:2:15: roles.scientists: role 'scientists' names 2 players\n"
                         "  (expected exactly one of group, service_principal, user or deployer: true)")


def test_fails_when_a_role_is_played_by_an_undeclared_group(tmp_path):
    roles = ROLES.replace("{group: ops}", "{group: operations}")
    errors = config_errors(envs_with(tmp_path, "operators: {job: {prod: CAN_VIEW}}\ndeployer: {job: IS_OWNER}\n",
                                     roles=roles))
    assert errors == ["envs/access.yaml:6:27: matrix.operators.job.prod: role 'operators' gets CAN_VIEW in environment "
                      "'prod', but group 'operations' is not declared in environment 'prod'\n"
                      "  (expected the role's player declared in envs/prod.yaml)"]


def test_fails_when_the_deployer_role_has_no_deployer(tmp_path):
    envs = envs_with(tmp_path, "deployer: {experiment: CAN_MANAGE}\n", prod_extra="deployer: null\n")
    (envs / "prod.yaml").write_text((envs / "prod.yaml").read_text())
    errors = config_errors(envs)
    assert errors == ["envs/access.yaml:6:26: matrix.deployer.experiment: role 'deployer' gets CAN_MANAGE in "
                      "environment 'prod', but the environment declares no deployer\n"
                      "  (expected the role's player declared in envs/prod.yaml)"]


def test_fails_when_admins_get_object_permissions(tmp_path):
    roles = ROLES + "  admins: {group: admins}\n"
    errors = config_errors(envs_with(tmp_path, "admins: {directory: CAN_MANAGE}\n", roles=roles,
                                     extra="groups:\n  admins: {}\n", prod_extra="groups:\n  admins: {}\n"))
    assert len(errors) == 2  # dev and prod
    assert errors[:1] == ["envs/access.yaml:7:23: matrix.admins.directory: role 'admins' gives the admins group CAN_MANAGE "
                      "on directory objects in 'dev'\n  (expected no object permissions for admins (Databricks rejects them; "
                      "admins can do everything anyway))"]


def test_fails_when_one_principal_gets_two_levels_on_one_kind(tmp_path):
    roles = ROLES + "  leads: {group: ds}\n"
    errors = config_errors(envs_with(tmp_path, "scientists: {experiment: CAN_READ}\nleads: {experiment: CAN_EDIT}\n",
                                     roles=roles))
    assert errors[0] == ("envs/access.yaml:7:28: matrix.scientists.experiment: group 'ds' gets experiment levels from "
                         "roles 'leads' and 'scientists' in 'dev'\n"
                         "  (expected one level per principal and object (two levels drift forever))")


def test_fails_when_the_deployer_gets_less_than_manage(tmp_path):
    errors = config_errors(envs_with(tmp_path, "deployer: {experiment: {prod: CAN_READ, default: CAN_MANAGE}}\n"))
    assert errors == ["envs/access.yaml:6:33: matrix.deployer.experiment.prod: the deployer 'ci' would get only "
                      "CAN_READ on experiment objects in 'prod'\n  (expected CAN_MANAGE (Databricks keeps the deploying "
                      "identity at manage level))"]


def test_fails_when_jobs_have_no_single_owner(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientists: {job: CAN_VIEW}\ndeployer: {job: CAN_MANAGE}\n"))
    assert errors[0] == ("envs/access.yaml:7:19: matrix.deployer.job: jobs in 'dev' have 0 IS_OWNER grants\n"
                         "  (expected exactly one IS_OWNER, a user or service principal (usually the deployer))")


def test_fails_when_a_group_would_own_pipelines(tmp_path):
    errors = config_errors(envs_with(tmp_path, "scientists: {pipeline: IS_OWNER}\ndeployer: {pipeline: CAN_MANAGE}\n"))
    assert errors[0] == ("envs/access.yaml:6:26: matrix.scientists.pipeline: group 'ds' cannot own pipelines\n"
                         "  (expected a user or service principal as IS_OWNER)")


def test_fails_when_an_object_override_names_an_unknown_role_or_level(tmp_path):
    policy = "cluster_policies:\n  p:\n    definition: {}\n    access: {scientist: CAN_USE, operators: CAN_MANAGE}\n"
    errors = config_errors(envs_with(tmp_path, "deployer: {cluster_policy: CAN_USE}\n", extra=policy))
    assert errors == [
        "envs/dev.yaml:11:25: cluster_policies.p.access.scientist: role 'scientist' is not defined in envs/access.yaml\n"
        "  (expected one of deployer, operators, scientists)\n  did you mean 'scientists'?",
        "envs/dev.yaml:11:45: cluster_policies.p.access.operators: CAN_MANAGE is not a level for cluster policy "
        "objects\n  (expected one of CAN_USE (NONE for no access))",
    ]
