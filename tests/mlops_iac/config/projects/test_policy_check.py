"""Clusters of job and pipeline specs against the policy they run under: one failing case per rule
type, with the message and the line (the attribute's, or the cluster's when it is left out)."""
import json

from mlops_iac.config import load_environments
from tests.conftest import config_errors
from tests.mlops_iac.config.projects.helpers import write_project

POLICY = {
    "cluster_type": {"type": "fixed", "value": "job"},
    "node_type_id": {"type": "allowlist", "values": ["Standard_DS3_v2", "Standard_DS4_v2"]},
    "num_workers": {"type": "range", "minValue": 1, "maxValue": 16},
    "spark_version": {"type": "regex", "pattern": "1[45]\\.[0-9]+\\.x-cpu-ml-scala2\\.12"},
    "data_security_mode": {"type": "fixed", "value": "SINGLE_USER"},
    "instance_pool_id": {"type": "forbidden"},
    "driver_node_type_id": {"type": "blocklist", "values": ["Standard_E64ds_v5"], "isOptional": True},
    "runtime_engine": {"type": "unlimited", "defaultValue": "STANDARD"},
    "custom_tags.team": {"type": "fixed", "value": "ml"},
}

JOB = """\
name: train
job_clusters:
  - job_cluster_key: main
    new_cluster:
      spark_version: 15.4.x-cpu-ml-scala2.12
      node_type_id: Standard_DS3_v2
      num_workers: 2
tasks:
  - task_key: train
    job_cluster_key: main
    notebook_task: {notebook_path: /Workspace/train}
"""

PIPELINE = """\
name: monitoring
catalog: main
schema: ml
libraries: [{notebook: {path: /Workspace/dlt}}]
clusters:
  - label: default
    num_workers: 1
"""


def _estate(tmp_path, specs, policy=POLICY, extra_policies: str = ""):
    envs = write_project(tmp_path, specs)
    (tmp_path / "envs" / "policies").mkdir(exist_ok=True)
    (tmp_path / "envs" / "policies" / "jobs.json").write_text(json.dumps(policy, indent=2))
    (envs / "defaults.yaml").write_text(
        "azure: {tenant_id: 11111111-2222-3333-4444-555555555555, location: eastus2}\n"
        "cluster_policies:\n  jobs: {purpose: job, definition_file: envs/policies/jobs.json}\n"
        + extra_policies + "projects: [demo]\n")
    return envs


def policy_errors(tmp_path, job: str = JOB, policy=POLICY, **kw) -> list[str]:
    return config_errors(_estate(tmp_path, {"jobs/train.yml": job}, policy, **kw))


def test_a_cluster_within_its_policy_passes_and_gets_fixed_tags(tmp_path):
    envs = load_environments(_estate(tmp_path, {"jobs/train.yml": JOB}))
    body = envs[0].config.deployments[0].jobs[0].body
    assert body["job_cluster"][0]["new_cluster"]["custom_tags"]["team"] == "ml"


def test_fails_when_a_value_is_outside_the_allowlist(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("Standard_DS3_v2", "i3.xlarge"))
    assert found[0] == ("projects/demo/jobs/train.yml:6:21: job_clusters[main].new_cluster.node_type_id: breaks "
                        "cluster policy 'jobs': 'i3.xlarge' is not in the allowlist (allowlist rule on "
                        "node_type_id)\n  (expected one of Standard_DS3_v2, Standard_DS4_v2)")
    assert len(found) == 1


def test_fails_when_a_number_is_above_the_range(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("num_workers: 2", "num_workers: 500"))
    assert found[0] == ("projects/demo/jobs/train.yml:7:20: job_clusters[main].new_cluster.num_workers: breaks "
                        "cluster policy 'jobs': 500 is above the maximum (range rule on num_workers)\n"
                        "  (expected 1 to 16)")


def test_fails_when_a_number_is_below_the_range(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("num_workers: 2", "num_workers: 0"))
    assert "0 is below the minimum (range rule on num_workers)\n  (expected 1 to 16)" in found[0]
    assert found[0].startswith("projects/demo/jobs/train.yml:7:20: ")


def test_fails_when_the_runtime_does_not_match_the_whole_regex(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("15.4.x-cpu-ml-scala2.12", "15.4.x-cpu-ml-scala2.12-photon"))
    assert found[0] == ("projects/demo/jobs/train.yml:5:22: job_clusters[main].new_cluster.spark_version: breaks "
                        "cluster policy 'jobs': '15.4.x-cpu-ml-scala2.12-photon' does not match the pattern "
                        "(regex rule on spark_version)\n"
                        "  (expected a value matching 1[45]\\.[0-9]+\\.x-cpu-ml-scala2\\.12)")


def test_fails_when_a_fixed_value_differs(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("num_workers: 2", "num_workers: 2\n      data_security_mode: USER_ISOLATION"))
    assert found[0] == ("projects/demo/jobs/train.yml:8:27: job_clusters[main].new_cluster.data_security_mode: "
                        "breaks cluster policy 'jobs': 'USER_ISOLATION' differs from the fixed value "
                        "(fixed rule on data_security_mode)\n  (expected fixed: SINGLE_USER)")


def test_fails_when_a_forbidden_attribute_is_set(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("num_workers: 2", "num_workers: 2\n      instance_pool_id: pool-1"))
    assert found[0] == ("projects/demo/jobs/train.yml:8:25: job_clusters[main].new_cluster.instance_pool_id: "
                        "breaks cluster policy 'jobs': 'pool-1' is set but the attribute is forbidden "
                        "(forbidden rule on instance_pool_id)\n  (expected forbidden: leave it out)")


def test_fails_when_a_value_is_in_the_blocklist(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("num_workers: 2", "num_workers: 2\n      driver_node_type_id: Standard_E64ds_v5"))
    assert found[0] == ("projects/demo/jobs/train.yml:8:28: job_clusters[main].new_cluster.driver_node_type_id: "
                        "breaks cluster policy 'jobs': 'Standard_E64ds_v5' is in the blocklist "
                        "(blocklist rule on driver_node_type_id)\n  (expected none of Standard_E64ds_v5)")


def test_fails_when_a_required_attribute_is_left_out(tmp_path):
    found = policy_errors(tmp_path, JOB.replace("      node_type_id: Standard_DS3_v2\n", ""))
    assert found[0] == ("projects/demo/jobs/train.yml:5:7: job_clusters[main].new_cluster: breaks cluster policy "
                        "'jobs': node_type_id is not set and the policy requires it (no defaultValue, not "
                        "isOptional) (allowlist rule on node_type_id)\n"
                        "  (expected one of Standard_DS3_v2, Standard_DS4_v2)")


def test_an_attribute_left_out_takes_the_policy_default(tmp_path):
    policy = {**POLICY, "node_type_id": {**POLICY["node_type_id"], "defaultValue": "Standard_DS3_v2"}}
    envs = load_environments(_estate(tmp_path, {"jobs/train.yml": JOB.replace("      node_type_id: Standard_DS3_v2\n", "")},
                                     policy))
    assert envs[0].config.deployments[0].jobs[0].body["job_cluster"][0]["new_cluster"]["apply_policy_default_values"]


def test_unlimited_accepts_anything(tmp_path):
    envs = load_environments(_estate(tmp_path, {"jobs/train.yml": JOB.replace(
        "num_workers: 2", "num_workers: 2\n      runtime_engine: PHOTON")}))
    assert envs[0].config.deployments[0].jobs[0].body["job_cluster"][0]["new_cluster"]["runtime_engine"] == "PHOTON"


def test_fails_when_a_fixed_tag_is_overwritten(tmp_path):
    # The tool writes the policy's fixed tags on every cluster, so a spec cannot break them; a
    # policy fixing a tag to something else than the tool's own environment tag can be broken.
    policy = {**POLICY, "custom_tags.environment": {"type": "fixed", "value": "production"}}
    found = policy_errors(tmp_path, policy=policy)
    assert found[0] == ("projects/demo/jobs/train.yml:5:7: job_clusters[main].new_cluster: breaks cluster "
                        "policy 'jobs': 'dev' differs from the fixed value (fixed rule on "
                        "custom_tags.environment)\n  (expected fixed: production)")


def test_fails_when_an_override_breaks_the_policy_at_the_override_line(tmp_path):
    project = ("repo: {url: https://github.com/contoso/demo, provider: gitHub}\n"
               "follow: {default: {branch: main}}\n"
               "overrides:\n  prod:\n    jobs/train.yml:\n"
               "      job_clusters: [{job_cluster_key: main, new_cluster: {num_workers: 64}}]\n")
    envs = _estate(tmp_path, {"jobs/train.yml": JOB})
    (tmp_path / "projects" / "demo" / "project.yaml").write_text(project)
    found = config_errors(envs)
    assert found == ["projects/demo/project.yaml:6:73: job_clusters[main].new_cluster.num_workers: breaks cluster "
                     "policy 'jobs': 64 is above the maximum (range rule on num_workers) (in environment prod)\n"
                     "  (expected 1 to 16)"]


def test_fails_when_a_pipeline_runs_under_a_job_policy(tmp_path):
    found = config_errors(_estate(tmp_path, {"jobs/train.yml": JOB, "delta_live_tables/monitoring.yml": PIPELINE},
                                  policy={"cluster_type": {"type": "fixed", "value": "job"}}))
    assert found[0] == ("projects/demo/delta_live_tables/monitoring.yml:6:5: clusters[default]: breaks cluster "
                        "policy 'jobs': 'dlt' differs from the fixed value (fixed rule on cluster_type)\n"
                        "  (expected fixed: job; a DLT pipeline needs a policy that allows cluster_type dlt "
                        "(purpose: pipeline))")


def test_pipelines_get_the_pipeline_policy(tmp_path):
    extra = "  dlt: {purpose: pipeline, definition: {cluster_type: {type: fixed, value: dlt}}}\n"
    envs = load_environments(_estate(tmp_path, {"jobs/train.yml": JOB, "delta_live_tables/monitoring.yml": PIPELINE},
                                     policy={"cluster_type": {"type": "fixed", "value": "job"}},
                                     extra_policies=extra))
    deployment = envs[0].config.deployments[0]
    assert str(deployment.pipelines[0].body["cluster"][0]["policy_id"]) == "{policy:dlt}"
    assert str(deployment.jobs[0].body["job_cluster"][0]["new_cluster"]["policy_id"]) == "{policy:jobs}"


def test_fails_when_a_job_cluster_runs_under_a_pipeline_policy(tmp_path):
    extra = "  dlt: {purpose: pipeline, definition: {cluster_type: {type: fixed, value: dlt}}}\n"
    job = JOB.replace("num_workers: 2", "num_workers: 2\n      policy_id: dlt")
    found = policy_errors(tmp_path, job, policy={}, extra_policies=extra)
    assert found[0] == ("projects/demo/jobs/train.yml:5:7: job_clusters[main].new_cluster: breaks cluster "
                        "policy 'dlt': 'job' differs from the fixed value (fixed rule on cluster_type)\n"
                        "  (expected fixed: dlt)")
