"""Batches written by Python after app.synth() are the same Terraform JSON as batches cdktf
resolves and writes; a batch with a token only cdktf can resolve still goes through Node."""
import json

import cdktf
from cdktf import TerraformStack
from cdktf_cdktf_provider_databricks.cluster_policy import ClusterPolicy
from constructs import Construct

from constructs_lib import bulk_output
from constructs_lib.bulk import ResourceBatch
from constructs_lib.databricks.provider import databricks_provider, databricks_resource


def build(app, *, typed_policy: bool = False, cross_stack: bool = False):
    """A stack with a cluster policy and a batch whose job uses its id, a reference to another
    batch resource, an integral float and a nested list."""
    stack = TerraformStack(app, "work")
    home = TerraformStack(app, "home") if cross_stack else stack
    for each in {stack, home}:
        databricks_provider(each, "databricks", {})
    policy = (ClusterPolicy(home, "policy", name="jobs").id if typed_policy
              else databricks_resource(home, "policy", "databricks_cluster_policy", {"name": "jobs"}).attribute("id"))
    batch = ResourceBatch(Construct(stack, "project-demo"))
    folder = batch.root.scope("folder").resource("directory", "databricks_directory", {"path": "/x"})
    job = batch.root.scope("job-a").resource("job", "databricks_job", {
        "name": "a", "timeout_seconds": 60.0, "max_retries": 0.5,
        "job_cluster": [{"new_cluster": {"policy_id": policy, "spark_conf": {"k": f"pre-{policy}"}}}],
        "parameter": [{"name": "folder", "default": folder.ref("path")}], "tags": {}, "library": []})
    job.add_override("lifecycle.prevent_destroy", True)
    return batch


def synthesized(tmp_path, name: str, by_python: bool, **options):
    app = cdktf.App(outdir=str(tmp_path / name), stack_traces=False)
    batch = build(app, **options)
    bulk_output.synth(app) if by_python else app.synth()
    stacks = {p.parent.name: json.loads(p.read_text()) for p in (tmp_path / name / "stacks").glob("*/cdk.tf.json")}
    return stacks, batch


def test_a_batch_written_by_python_is_the_json_cdktf_writes(tmp_path):
    expected, _ = synthesized(tmp_path, "node", by_python=False)
    actual, batch = synthesized(tmp_path, "python", by_python=True)
    assert batch.written_by_python and actual == expected
    job = next(iter(actual["work"]["resource"]["databricks_job"].values()))
    policy_id = next(iter(actual["work"]["resource"]["databricks_cluster_policy"]))
    assert job["job_cluster"][0]["new_cluster"]["spark_conf"]["k"] == f"pre-${{databricks_cluster_policy.{policy_id}.id}}"
    assert job["timeout_seconds"] == 60 and isinstance(job["timeout_seconds"], int)


def test_the_file_python_writes_is_deterministic(tmp_path):
    synthesized(tmp_path, "one", by_python=True)
    synthesized(tmp_path, "two", by_python=True)
    first, second = (tmp_path / name / "stacks" / "work" / "cdk.tf.json" for name in ("one", "two"))
    assert first.read_bytes() == second.read_bytes()


def test_tokens_only_cdktf_resolves_send_the_batch_through_node(tmp_path):
    for options in ({"typed_policy": True}, {"cross_stack": True}):
        name = "-".join(options)
        expected, _ = synthesized(tmp_path, name + "-node", by_python=False, **options)
        actual, batch = synthesized(tmp_path, name + "-python", by_python=True, **options)
        assert not batch.written_by_python and actual == expected
        job = next(iter(actual["work"]["resource"]["databricks_job"].values()))
        assert "TfToken" not in json.dumps(job)
