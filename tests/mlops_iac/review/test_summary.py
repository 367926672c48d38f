"""The pull-request summary on crafted before/after synth outputs, checked as exact Markdown."""
import copy
import json
from pathlib import Path

from mlops_iac.review.changes import compare_synth
from mlops_iac.review.cli import main
from mlops_iac.review.markdown import render
from mlops_iac.review.resources import read_synth
from mlops_iac.review.risks import assess

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
- **access** (prod-workspace): data-scientists loses access: ACL of job prod-churn-train
- **prod schedule** (prod-workspace): production schedule of prod-churn-train `0 0 0 * * ?` (UTC) unpaused: PAUSED -> UNPAUSED
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
- ~ `databricks_permissions` **ACL of job prod-churn-train**
  - `access_control[data-scientists]`: removed (was `{"group_name": "data-scientists", "permission_level": "CAN_VIEW"}`)
"""


def test_summary_of_crafted_changes_is_exact_markdown(tmp_path):
    # GIVEN the base branch's synth and the pull request's
    base, head = write_synth(tmp_path / "base", BASE), write_synth(tmp_path / "head", head_stacks())
    # WHEN summarized
    changes = compare_synth(read_synth(base), read_synth(head))
    text = render(changes, assess(changes.changes, {"prod-platform", "prod-workspace"}))
    # THEN risks come first, tasks are compared by key (the inserted task is one addition), the
    # ACL is named by the job it protects
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
        "app-1 loses access: ACL of job prod-churn-train",
        "jobs: `node_type_id.values` allows more (b)",
        "jobs: `num_workers.maxValue` raised 4 -> 10",
        "jobs: max_clusters_per_user 2 -> 5",
        "jobs: rule `spark_version` removed",
        "owner of ACL of job prod-churn-train: app-1 -> app-2",
        'run_as of prod-churn-train: (none) -> {"user_name": "alice@contoso.com"}',
    ]


def summarize(tmp_path: Path, base: dict, head: dict, production: set[str] = frozenset()) -> str:
    changes = compare_synth(read_synth(write_synth(tmp_path / "base", base)),
                            read_synth(write_synth(tmp_path / "head", head)))
    return render(changes, assess(changes.changes, set(production)))


def test_a_long_value_is_folded_over_several_lines_never_cut(tmp_path):
    path = "/Repos/mlops-prod/churn/notebooks/features/" + "build_the_customer_feature_table_" * 3 + "Train"
    head = copy.deepcopy(BASE)
    head["prod-workspace"]["databricks_job"]["train"]["task"].append(
        {"task_key": "features", "notebook_task": {"notebook_path": path}})
    head["prod-workspace"]["databricks_job"]["train"]["task"][0]["notebook_task"]["notebook_path"] = path
    text = summarize(tmp_path, BASE, head)
    assert text.split("### prod-workspace\n\n")[1] == f"""\
- ~ `databricks_job` **prod-churn-train**
  - `task[features]`: added
    ```
    {{
      "notebook_task": {{
        "notebook_path": "{path}"
      }},
      "task_key": "features"
    }}
    ```
  - `task[train].notebook_task.notebook_path`: changed
    ```diff
    - /t
    + {path}
    ```
"""


def test_a_value_holding_backticks_gets_a_longer_fence(tmp_path):
    head = copy.deepcopy(BASE)
    head["prod-workspace"]["databricks_job"]["train"]["description"] = "run ```make``` first"
    text = summarize(tmp_path, BASE, head)
    assert "  - `description`: added\n    ````\n    run ```make``` first\n    ````\n" in text


JOB_SCHEDULES = {
    "daily": {"name": "prod-churn-daily", "schedule": {"quartz_cron_expression": "0 0 5 * * ?", "timezone_id": "UTC"}},
    "paused": {"name": "prod-churn-paused", "schedule": {"quartz_cron_expression": "0 0 6 * * ?",
                                                         "pause_status": "PAUSED"}},
    "files": {"name": "prod-churn-files", "trigger": {"file_arrival": {"url": "/Volumes/x"}, "pause_status": "UNPAUSED"}},
    "stream": {"name": "prod-churn-stream", "continuous": {"pause_status": "UNPAUSED"}},
}


def test_a_new_or_unpaused_production_schedule_is_a_risk_of_its_own(tmp_path):
    # GIVEN jobs created in production: unpaused by default, paused, a file trigger, continuous
    base = {"prod-workspace": {"databricks_job": {}}, "qa-workspace": {"databricks_job": {}}}
    head = {"prod-workspace": {"databricks_job": copy.deepcopy(JOB_SCHEDULES)},
            "qa-workspace": {"databricks_job": {"daily": {**JOB_SCHEDULES["daily"], "name": "qa-churn-daily"}}}}
    changes = compare_synth(read_synth(write_synth(tmp_path / "b", base)), read_synth(write_synth(tmp_path / "h", head)))
    risks = [(r.stack, r.message) for r in assess(changes.changes, {"prod-workspace"}) if r.kind == "prod schedule"]
    # THEN each one that runs on its own is flagged, in production only; the paused one is not
    assert risks == [
        ("prod-workspace", "new production continuous run of prod-churn-stream, unpaused"),
        ("prod-workspace", "new production schedule of prod-churn-daily `0 0 5 * * ?` (UTC), unpaused"),
        ("prod-workspace", "new production trigger of prod-churn-files on file arrival, unpaused"),
    ]


def test_unpausing_pausing_and_removing_a_production_schedule_are_risks(tmp_path):
    base = {"prod-workspace": {"databricks_job": copy.deepcopy(JOB_SCHEDULES)}}
    head = copy.deepcopy(base)
    jobs = head["prod-workspace"]["databricks_job"]
    jobs["paused"]["schedule"]["pause_status"] = "UNPAUSED"
    jobs["daily"]["schedule"]["pause_status"] = "PAUSED"
    del jobs["stream"]["continuous"]
    jobs["files"]["trigger"]["file_arrival"]["url"] = "/Volumes/y"  # still running: no schedule risk
    changes = compare_synth(read_synth(write_synth(tmp_path / "b", base)), read_synth(write_synth(tmp_path / "h", head)))
    assert sorted(r.message for r in assess(changes.changes, {"prod-workspace"}) if r.kind == "prod schedule") == [
        "production continuous run of prod-churn-stream removed",
        "production schedule of prod-churn-daily paused: UNPAUSED -> PAUSED",
        "production schedule of prod-churn-paused `0 0 6 * * ?` (UTC) unpaused: PAUSED -> UNPAUSED",
    ]


def _workspace(env: str, workers: int) -> dict:
    job = {"name": f"{env}-churn-train", "task": [
        {"task_key": "train", "new_cluster": {"num_workers": workers},
         "notebook_task": {"notebook_path": f"/Repos/mlops-{env}/churn/Train"}}]}
    return {"databricks_job": {"train": job}, "databricks_permissions": {"train_acl": {
        "job_id": "${databricks_job.train.id}",
        "access_control": [{"group_name": "readers", "permission_level": "CAN_VIEW"}]}}}


def test_a_change_made_the_same_in_several_environments_is_shown_once(tmp_path):
    # GIVEN three environments whose job gets the same new notebook, and prod alone more workers
    base = {f"{env}-workspace": _workspace(env, 2) for env in ("prod", "prodfix", "qa")}
    head = copy.deepcopy(base)
    for env in ("prod", "prodfix", "qa"):
        task = head[f"{env}-workspace"]["databricks_job"]["train"]["task"][0]
        task["notebook_task"]["notebook_path"] = f"/Repos/mlops-{env}/churn/Train2"
        head[f"{env}-workspace"]["databricks_permissions"]["train_acl"]["access_control"] = []
    head["prod-workspace"]["databricks_job"]["train"]["task"][0]["new_cluster"]["num_workers"] = 8
    text = summarize(tmp_path, base, head)
    # THEN the shared change comes once, listing the environments; prod's own change stays in prod
    assert text.split("| qa-workspace | 0 | 2 | 0 | 0 |\n")[1] == """
### workspace: same change in prod, prodfix, qa

`<env>` stands for each environment's name.

- ~ `databricks_job` **<env>-churn-train**
  - `task[train].notebook_task.notebook_path`: `/Repos/mlops-<env>/churn/Train` -> `/Repos/mlops-<env>/churn/Train2`
- ~ `databricks_permissions` **ACL of job <env>-churn-train**
  - `access_control[readers]`: removed (was `{"group_name": "readers", "permission_level": "CAN_VIEW"}`)

### prod-workspace

- ~ `databricks_job` **prod-churn-train**
  - `task[train].new_cluster.num_workers`: `2` -> `8`
"""
    # AND the same risk in every environment is one line listing the stacks
    assert "- **access** (prod-workspace, prodfix-workspace, qa-workspace): readers loses access: " \
           "ACL of job <env>-churn-train\n" in text
    assert "### Risks (1)" in text


def test_changes_that_differ_between_environments_are_not_grouped(tmp_path):
    base = {f"{env}-workspace": _workspace(env, 2) for env in ("prod", "qa")}
    head = copy.deepcopy(base)
    head["prod-workspace"]["databricks_job"]["train"]["task"][0]["new_cluster"]["num_workers"] = 8
    head["qa-workspace"]["databricks_job"]["train"]["task"][0]["new_cluster"]["num_workers"] = 4
    text = summarize(tmp_path, base, head)
    assert "same change" not in text
    assert "### prod-workspace" in text and "### qa-workspace" in text


def test_access_resources_are_named_by_the_object_they_protect(tmp_path):
    stack = {
        "databricks_directory": {"d": {"path": "/Shared/mlops/prod/churn/experiments"}},
        "databricks_mlflow_experiment": {"exp": {"name": "${databricks_directory.d.path}/training"}},
        "databricks_registered_model": {"m": {"name": "churn_classifier", "catalog_name": "ml_prod",
                                              "schema_name": "churn"}},
        "databricks_secret_scope": {"scope": {"name": "mlops"}},
        "databricks_group": {"g": {"display_name": "readers"}},
        "databricks_user": {"u": {"user_name": "erin.walsh@contoso.com", "display_name": "Erin"}},
        "databricks_permissions": {"exp_acl": {"experiment_id": "${databricks_mlflow_experiment.exp.id}",
                                               "access_control": []},
                                   "tokens": {"authorization": "tokens", "access_control": []}},
        "databricks_grants": {"m_grants": {"model": "${databricks_registered_model.m.id}", "grant": []}},
        "databricks_secret_acl": {"acl": {"scope": "${databricks_secret_scope.scope.name}", "principal": "readers",
                                          "permission": "READ"}},
        "databricks_group_member": {"member": {"group_id": "${databricks_group.g.id}",
                                               "member_id": "${databricks_user.u.id}"}},
    }
    changes = compare_synth({}, read_synth(write_synth(tmp_path / "h", {"prod-workspace": stack})))
    names = sorted(c.name for c in changes.changes if c.rtype in (
        "databricks_permissions", "databricks_grants", "databricks_secret_acl", "databricks_group_member"))
    assert names == ["ACL of authorization tokens", "ACL of experiment /Shared/mlops/prod/churn/experiments/training",
                     "ACL of model churn_classifier",
                     "erin.walsh@contoso.com in group readers", "secret ACL of scope mlops for readers"]


def test_a_new_production_schedule_in_a_plan_is_a_risk():
    # Plans hold blocks as one-item lists and unset attributes as null
    from mlops_iac.review.changes import from_plan

    after = {"name": "prod-churn-x", "schedule": [{"quartz_cron_expression": "0 0 1 * * ?", "timezone_id": "UTC",
                                                  "pause_status": None}]}
    plan = {"resource_changes": [{"address": "databricks_job.x", "mode": "managed", "type": "databricks_job",
                                  "change": {"actions": ["create"], "before": None, "after": after}}]}
    changes = from_plan(plan, "prod-workspace").changes
    assert [r.message for r in assess(changes, {"prod-workspace"}) if r.kind == "prod schedule"] == [
        "new production schedule of prod-churn-x `0 0 1 * * ?` (UTC), unpaused"]
    assert [r.kind for r in assess(changes, set())] == []
