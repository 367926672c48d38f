"""The pull-request summary on crafted before/after synth outputs, checked as exact Markdown."""
import copy
import json
from pathlib import Path

from review.changes import compare_synth
from review.cli import main
from review.markdown import render
from review.resources import read_synth
from review.risks import assess

JOB = {"name": "prod-churn-train", "task": [
    {"task_key": "train", "new_cluster": {"num_workers": 2}, "notebook_task": {"notebook_path": "/t"}},
    {"task_key": "validate", "notebook_task": {"notebook_path": "/v"}}],
    "schedule": {"quartz_cron_expression": "0 0 0 * * ?", "timezone_id": "UTC", "pause_status": "PAUSED"}}
ACL = {"job_id": "${databricks_job.train.id}", "access_control": [
    {"group_name": "data-scientists", "permission_level": "CAN_VIEW"},
    {"service_principal_name": "app-1", "permission_level": "IS_OWNER"}]}
BASE = {
    "prod-platform": {"azurerm_storage_account": {"lake": {"name": "stmlopsprod", "is_hns_enabled": True,
                                                           "account_tier": "Standard"}}},
    "prod-workspace": {"databricks_job": {"train": JOB, "old": {"name": "prod-churn-old", "task": []}},
                       "databricks_permissions": {"train_acl": ACL}},
}


def write_synth(root: Path, stacks: dict) -> Path:
    """A cdktf.out directory: manifest.json and stacks/<id>/cdk.tf.json."""
    manifest = {"stacks": {}}
    for stack_id, resources in stacks.items():
        path = root / "stacks" / stack_id / "cdk.tf.json"
        path.parent.mkdir(parents=True)
        body = {"resource": {t: {n: {"//": {"metadata": {}}, **c} for n, c in items.items()}
                             for t, items in resources.items()}}
        path.write_text(json.dumps(body))
        manifest["stacks"][stack_id] = {"synthesizedStackPath": f"stacks/{stack_id}/cdk.tf.json"}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def head_stacks() -> dict:
    head = copy.deepcopy(BASE)
    head["prod-platform"]["azurerm_storage_account"]["lake"]["is_hns_enabled"] = False  # forces a replacement
    job = head["prod-workspace"]["databricks_job"]["train"]
    job["task"].insert(0, {"task_key": "features", "notebook_task": {"notebook_path": "/f"}})  # insert: by key
    job["task"][1]["new_cluster"]["num_workers"] = 8
    job["schedule"]["pause_status"] = "UNPAUSED"
    del head["prod-workspace"]["databricks_job"]["old"]
    head["prod-workspace"]["databricks_job"]["score"] = {"name": "prod-churn-score", "task": []}
    head["prod-workspace"]["databricks_permissions"]["train_acl"]["access_control"].pop(0)
    return head


EXPECTED = """\
## Infrastructure change summary

Compared: synthesized configuration (no provider access).

### Risks (5)

- **stateful** (prod-platform): replace of stateful `azurerm_storage_account` stmlopsprod (because is_hns_enabled changed): its data or history is lost
- **access** (prod-workspace): data-scientists loses access: ACL of train_acl
- **prod schedule** (prod-workspace): production schedule of prod-churn-train: PAUSED -> UNPAUSED
- **prod** (prod-platform): production stack prod-platform changes (1 resources)
- **prod** (prod-workspace): production stack prod-workspace changes (4 resources)

| stack | create | update | replace | delete |
|---|---:|---:|---:|---:|
| prod-platform | 0 | 0 | 1 | 0 |
| prod-workspace | 1 | 2 | 0 | 1 |

### prod-platform

- -/+ `azurerm_storage_account` **stmlopsprod** (replaced: is_hns_enabled)
  - `is_hns_enabled`: `true` -> `false`

### prod-workspace

- - `databricks_job` **prod-churn-old**
- + `databricks_job` **prod-churn-score**
- ~ `databricks_job` **prod-churn-train**
  - `schedule.pause_status`: `PAUSED` -> `UNPAUSED`
  - `task[features]`: added `{"notebook_task": {"notebook_path": "/f"}, "task_key": "features"}`
  - `task[train].new_cluster.num_workers`: `2` -> `8`
- ~ `databricks_permissions` **ACL of train_acl**
  - `access_control[data-scientists]`: removed (was `{"group_name": "data-scientists", "permission_level": "CAN_VIEW"}`)
"""


def test_summary_of_crafted_changes_is_exact_markdown(tmp_path):
    # GIVEN the base branch's synth and the pull request's
    base, head = write_synth(tmp_path / "base", BASE), write_synth(tmp_path / "head", head_stacks())
    # WHEN summarized
    changes = compare_synth(read_synth(base), read_synth(head))
    text = render(changes, assess(changes.changes, {"prod-platform", "prod-workspace"}))
    # THEN risks come first, tasks are compared by key (the inserted task is one addition)
    assert text == EXPECTED


def test_cli_writes_the_summary_and_no_changes_is_said_plainly(tmp_path, capsys):
    base = write_synth(tmp_path / "base", BASE)
    assert main(["summary", "--base", str(base), "--head", str(base)]) == 0
    assert capsys.readouterr().out.endswith("No changes.\n")
    head = write_synth(tmp_path / "head", head_stacks())
    out = tmp_path / "comment.md"
    assert main(["--output", str(out), "summary", "--base", str(base), "--head", str(head)]) == 0
    assert out.read_text().startswith("## Infrastructure change summary")


def test_a_new_environment_without_base_output_is_all_creates(tmp_path):
    head = write_synth(tmp_path / "head", BASE)
    changes = compare_synth(read_synth(tmp_path / "missing"), read_synth(head))
    assert {c.action for c in changes.changes} == {"create"} and len(changes.changes) == 4


def test_owner_and_run_as_changes_and_loosened_policies_are_risks(tmp_path):
    policy = {"name": "jobs", "max_clusters_per_user": 2, "definition": json.dumps(
        {"num_workers": {"type": "range", "maxValue": 4}, "spark_version": {"type": "fixed", "value": "15.4"},
         "node_type_id": {"type": "allowlist", "values": ["a"]}})}
    base = {"dev-workspace": {"databricks_cluster_policy": {"p": policy}, "databricks_permissions": {"train_acl": ACL},
                              "databricks_job": {"train": JOB}}}
    head = copy.deepcopy(base)
    loose = head["dev-workspace"]["databricks_cluster_policy"]["p"]
    loose["max_clusters_per_user"] = 5
    loose["definition"] = json.dumps({"num_workers": {"type": "range", "maxValue": 10},
                                      "node_type_id": {"type": "allowlist", "values": ["a", "b"]}})
    head["dev-workspace"]["databricks_permissions"]["train_acl"]["access_control"][1]["service_principal_name"] = "app-2"
    head["dev-workspace"]["databricks_job"]["train"]["run_as"] = {"user_name": "alice@contoso.com"}
    changes = compare_synth(read_synth(write_synth(tmp_path / "b", base)), read_synth(write_synth(tmp_path / "h", head)))
    messages = sorted(r.message for r in assess(changes.changes, set()))
    assert messages == [
        "app-1 loses access: ACL of train_acl",
        "jobs: `node_type_id.values` allows more (b)",
        "jobs: `num_workers.maxValue` raised 4 -> 10",
        "jobs: max_clusters_per_user 2 -> 5",
        "jobs: rule `spark_version` removed",
        "owner of ACL of train_acl: app-1 -> app-2",
        'run_as of prod-churn-train: (none) -> {"user_name": "alice@contoso.com"}',
    ]
