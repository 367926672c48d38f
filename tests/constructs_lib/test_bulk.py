"""Resources emitted in a batch look exactly like typed resources at the same place in the tree:
same logical id, same construct path, references that Terraform resolves; tokens inside bodies
resolve at synth."""
import json

import cdktf
import pytest
from cdktf import TerraformStack
from cdktf_cdktf_provider_databricks.cluster_policy import ClusterPolicy
from cdktf_cdktf_provider_databricks.directory import Directory
from cdktf_cdktf_provider_databricks.provider import DatabricksProvider
from constructs import Construct

from constructs_lib.bulk import ResourceBatch, unique_id

PATHS = [
    ("project-churn", "job-model-train", "job"),
    ("governance", "secret-scope", "scope"),  # a component the previous one ends with
    ("Default", "x", "Resource"),  # hidden components
    ("single",),
    ("member-data-scientists-user-alice.nguyen@contoso.com", "acl"),  # characters ids leave out
    ("a" * 150, "b" * 150, "leaf"),  # readable part cut at 240 characters
]


@pytest.mark.parametrize("components", PATHS)
def test_unique_id_is_the_logical_id_cdktf_allocates(components, tmp_path):
    stack = TerraformStack(cdktf.Testing.app(outdir=str(tmp_path)), "test")
    scope = stack
    for component in components[:-1]:
        scope = Construct(scope, component)
    typed = Directory(scope, components[-1], path="/x")
    assert unique_id(list(components)) == stack.get_logical_id(typed)


def test_batch_resources_have_paths_ids_and_references_like_typed_ones(tmp_path):
    app = cdktf.App(outdir=str(tmp_path), stack_traces=False)
    stack = TerraformStack(app, "test")
    DatabricksProvider(stack, "databricks")
    policy = ClusterPolicy(stack, "policy", name="jobs")  # a typed resource: its id is a token
    owner = Construct(stack, "project-demo")
    batch = ResourceBatch(owner)
    folder = batch.root.scope("folder").resource("directory", "databricks_directory", {"path": "/x"})
    job = batch.root.scope("job-a").resource("job", "databricks_job", {
        "name": "a", "description": None, "job_cluster": [{"new_cluster": {"policy_id": policy.id}}],
        "parameter": [{"name": "folder", "default": folder.ref("path")}]})
    job.add_override("lifecycle.prevent_destroy", True)
    with pytest.raises(ValueError, match="already an element named 'job-a'"):
        batch.root.scope("job-a")
    assert [r.terraform_resource_type for r in ResourceBatch.all_in(stack)[0].find()] == \
        ["databricks_directory", "databricks_job"]
    app.synth()
    tf = json.loads((tmp_path / "stacks" / "test" / "cdk.tf.json").read_text())
    policy_id = next(iter(tf["resource"]["databricks_cluster_policy"]))
    folder_id, folder = next(iter(tf["resource"]["databricks_directory"].items()))
    job_id, job = next(iter(tf["resource"]["databricks_job"].items()))
    assert job_id == unique_id(["project-demo", "job-a", "job"])
    assert job["//"]["metadata"] == {"path": "test/project-demo/job-a/job", "uniqueId": job_id}
    assert job["job_cluster"][0]["new_cluster"]["policy_id"] == f"${{databricks_cluster_policy.{policy_id}.id}}"
    assert job["parameter"][0]["default"] == f"${{databricks_directory.{folder_id}.path}}"
    assert job["lifecycle"] == {"prevent_destroy": True} and "description" not in job
    assert folder["//"]["metadata"]["path"] == "test/project-demo/folder/directory"


def test_a_stack_shares_one_batch_and_ids_stay_unique_below_each_construct(tmp_path):
    stack = TerraformStack(cdktf.Testing.app(outdir=str(tmp_path / "a")), "test")
    first, second = Construct(stack, "project-a"), Construct(stack, "project-b")
    batch = ResourceBatch.shared(first)
    assert ResourceBatch.shared(second) is batch and ResourceBatch.all_in(stack) == [batch]
    batch.scope_at(first).resource("job", "databricks_job", {"name": "a"})
    batch.scope_at(second).resource("job", "databricks_job", {"name": "b"})
    with pytest.raises(ValueError, match="project-a: there is already an element named 'job'"):
        batch.scope_at(first).resource("job", "databricks_job", {"name": "c"})
    other = TerraformStack(cdktf.Testing.app(outdir=str(tmp_path / "b")), "other")
    with pytest.raises(ValueError, match="not in stack test"):
        batch.scope_at(other)
    assert [r.path for r in batch.find()] == ["test/project-a/job", "test/project-b/job"]
