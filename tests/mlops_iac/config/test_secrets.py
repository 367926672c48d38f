"""Literal secrets in configuration are located errors at load time: specs, project.yaml,
environment files and init scripts; secret references are accepted where the API resolves them."""
from pathlib import Path

from tests.fake_secrets import by_key, by_value
from tests.conftest import config_errors
from tests.mlops_iac.config.projects.helpers import PROJECT, deployments, errors, job, write_project

ADVICE = "(expected a secret reference {{secrets/mlops/<key>}} with the value stored in the Key Vault behind the secret scope"


def _spec_with(env_vars: dict[str, str]) -> str:
    lines = "".join(f"        {key}: '{value}'\n" for key, value in env_vars.items())
    return ("name: t\ntasks:\n  - task_key: t\n    notebook_task: {notebook_path: /Shared/nb}\n"
            "    new_cluster:\n      spark_version: 15.4.x-cpu-ml-scala2.12\n      num_workers: 1\n"
            "      spark_env_vars:\n" + lines)


def _by_line(found: list[str]) -> dict[int, str]:
    return {int(e.split(":")[1]): e for e in found if "literal secret" in e}


def test_every_secret_shape_in_a_spec_is_an_error_at_its_line(tmp_path: Path):
    values = by_value()
    env_vars = {f"V{i}": value for i, value in enumerate(values.values())}
    found = errors(tmp_path, {"jobs/t.yml": _spec_with(env_vars)})
    lines = _by_line(found)
    assert sorted(lines) == list(range(9, 9 + len(values)))
    for i, (what, value) in enumerate(values.items()):
        error = lines[9 + i]
        assert error.startswith(f"projects/demo/jobs/t.yml:{9 + i}:{9 + len(f'V{i}: ')}: tasks[t].new_cluster.spark_env_vars.V{i}: "
                                f"literal secret: this looks like {'an' if what[0] in 'aA' else 'a'} {what.strip()} ('")
        assert ADVICE in error and value not in error


def test_keys_that_name_a_secret_are_errors_in_any_case(tmp_path: Path):
    found = _by_line(errors(tmp_path, {"jobs/t.yml": _spec_with(by_key())}))
    assert [found[9 + i].split(": ", 2)[1:] for i in range(len(by_key()))] == [
        [f"tasks[t].new_cluster.spark_env_vars.{key}", f"literal secret: this looks like a literal value under "
         f"'{key}' ('{value[:4]}\u2026')\n  {ADVICE}, never the secret itself)"] for key, value in by_key().items()]


def test_a_job_parameter_named_like_a_secret_is_an_error(tmp_path: Path):
    spec = "name: t\nparameters:\n  - {name: db_password, default: fakepass9}\n" \
           "tasks: [{task_key: t, existing_cluster_id: x, notebook_task: {notebook_path: /Shared/nb}}]\n"
    [error] = [e for e in errors(tmp_path, {"jobs/t.yml": spec}) if "literal secret" in e]
    assert error.startswith("projects/demo/jobs/t.yml:3:34: parameters[db_password].default: literal secret: this looks "
                            "like a literal value under 'db_password' ('fake\u2026')")


def test_secret_references_are_accepted_where_databricks_resolves_them(tmp_path: Path):
    ref = "{{secrets/mlops/sp-secret}}"
    spec = f"""\
    name: t
    parameters: [{{name: client_secret, default: '{ref}'}}]
    tasks:
      - task_key: t
        notebook_task: {{notebook_path: /Shared/nb}}
        new_cluster:
          spark_version: 15.4.x-cpu-ml-scala2.12
          num_workers: 1
          spark_conf: {{spark.hadoop.fs.azure.account.oauth2.client.secret: '{ref}'}}
          spark_env_vars: {{AZURE_CLIENT_SECRET: '{ref}'}}
    """
    pipeline = f"name: p\ncatalog: main\nlibraries: [{{notebook: {{path: /Shared/dlt}}}}]\n" \
               f"configuration: {{storage.password: '{ref}'}}\n"
    deployed = deployments(tmp_path, {"jobs/t.yml": spec, "delta_live_tables/p.yml": pipeline})["prod"]
    body = job(deployed, "t")
    assert body["parameter"][0]["default"] == ref
    assert body["task"][0]["new_cluster"]["spark_env_vars"] == {"AZURE_CLIENT_SECRET": ref}
    assert deployed.pipelines[0].body["configuration"] == {"storage.password": ref}


def test_a_secret_in_a_project_variable_is_an_error_in_project_yaml(tmp_path: Path):
    project = PROJECT + "variables:\n  api_token: {default: '" + by_value()["GitLab token"] + "'}\n"
    [error] = [e for e in errors(tmp_path, {}, project=project) if "literal secret" in e]
    assert error.startswith("projects/demo/project.yaml:7:24: variables.api_token.default: literal secret: "
                            "this looks like a GitLab token ('glpa\u2026')")


def test_a_secret_in_an_environment_file_is_an_error_at_its_line(tmp_path: Path):
    extra = "workspace: {root_folder: '/Shared/" + by_value()["Databricks personal access token"] + "'}\n"
    error = _once_per_environment([e for e in errors(tmp_path, {}, envs_extra=extra) if "literal secret" in e])
    assert error.startswith("envs/defaults.yaml:6:26: workspace.root_folder: literal secret: this looks like a "
                            "Databricks personal access token ('dapi\u2026')")


def test_a_secret_in_an_init_script_is_an_error_at_the_scripts_line(tmp_path: Path):
    extra = "init_scripts:\n  setup: {file: envs/init_scripts/setup.sh}\n"
    script = tmp_path / "envs" / "init_scripts" / "setup.sh"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/bash\nset -e\nexport AZURE_STORAGE_KEY=" + by_value()["Azure storage account key"] + "\n")
    found = [e for e in errors(tmp_path, {}, envs_extra=extra) if "literal secret" in e]
    assert found and found[0].startswith("envs/init_scripts/setup.sh:3:26: (script): literal secret: this looks "
                                         "like an Azure storage account key ('Fake\u2026')")
    assert "{{secrets/mlops/<key>}}" in found[0] and "Fake" * 5 not in found[0]


def _once_per_environment(found: list[str]) -> str:
    """A finding in a file every environment shares is reported once per environment, naming it."""
    assert sorted(e.rsplit("(in environment ", 1)[1].split(")")[0] for e in found) == ["dev", "prod", "qa"], found
    assert len({e.rsplit(" (in environment ", 1)[0] for e in found}) == 1, found
    return found[0]


def _with_policy(tmp_path: Path, policy: str) -> Path:
    envs = write_project(tmp_path, {})
    defaults = envs / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("  big: {definition: {}}\n", "  big: {definition: {}}\n" + policy))
    return envs


def test_a_secret_in_an_inline_policy_definition_is_an_error_at_its_line(tmp_path: Path):
    envs = _with_policy(tmp_path, "  inline: {definition: {spark_env_vars.DB_PASSWORD: {type: fixed, value: fakepass9}}}\n")
    error = _once_per_environment([e for e in config_errors(envs) if "literal secret" in e])
    assert error.startswith("envs/defaults.yaml:5:53: cluster_policies.inline.definition.spark_env_vars.DB_PASSWORD"
                            ".value: literal secret: this looks like a literal value under "
                            "'spark_env_vars.DB_PASSWORD' ('fake\u2026')")


def test_a_secret_in_a_policy_file_is_an_error_at_the_files_line(tmp_path: Path):
    envs = _with_policy(tmp_path, "  filed: {definition_file: envs/policies/filed.json}\n")
    (envs / "policies").mkdir()
    (envs / "policies" / "filed.json").write_text(
        '{\n  "spark_version": {"type": "unlimited"},\n  "spark_env_vars.HF_TOKEN": {"type": "fixed", "value": "'
        + by_value()["GitHub token"] + '"}\n}\n')
    error = _once_per_environment([e for e in config_errors(envs) if "literal secret" in e])
    assert error.startswith("envs/policies/filed.json:3:58: spark_env_vars.HF_TOKEN.value: literal secret: this "
                            "looks like a GitHub token ('ghp_\u2026')")


def test_a_projects_files_are_scanned_once_however_many_environments_deploy_them(tmp_path: Path, monkeypatch):
    import mlops_iac.config.secrets as secrets

    secret = next(iter(by_value().values()))
    scanned: list[str] = []
    original = secrets.find_secret
    monkeypatch.setattr(secrets, "find_secret", lambda value, key=None: scanned.append(value) or original(value, key))
    found = _by_line(errors(tmp_path, {"jobs/t.yml": _spec_with({"V": secret})}))
    assert scanned.count(secret) == 1  # the scan result is kept by the project, not redone per environment
    assert list(found) == [9] and ADVICE in found[9]
