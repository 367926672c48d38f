"""`mlops-iac plan`: per stack in dependency order; a stack whose dependency is not applied yet
waits instead of failing. Terraform is a fake here (recording calls, holding applied outputs);
tests/integration/test_offline_workflow.py runs the same command with real Terraform."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_iac.config import ConfigError
from mlops_iac.app.cli import main
from mlops_iac.app.layout import StackInfo
from mlops_iac.app.plan import plan_stacks, select, write_reports
from mlops_iac.app.terraform import TerraformError

PLATFORM = StackInfo("dev-platform", "dev", "platform", (), "azurerm")
WORKSPACE = StackInfo("dev-workspace", "dev", "workspace", ("dev-platform",), "azurerm")
OTHER = StackInfo("stg-workspace", "stg", "workspace", (), "azurerm")


def a_plan(*actions: str) -> dict:
    return {"resource_changes": [
        {"address": f"databricks_directory.d{n}", "mode": "managed", "type": "databricks_directory",
         "name": f"d{n}", "change": {"actions": [action], "before": None, "after": {"path": f"/d{n}"}}}
        for n, action in enumerate(actions)]}


class FakeTerraform:
    """Applied outputs per stack; plans every stack it is asked to; fails where told."""

    def __init__(self, applied: dict[str, dict] | None = None, failing: tuple[str, ...] = ()) -> None:
        self.applied = applied or {}
        self.failing = failing
        self.calls: list[tuple[str, str]] = []

    def init(self, stack_dir: Path) -> None:
        self.calls.append(("init", stack_dir.name))

    def outputs(self, stack_dir: Path) -> dict:
        self.calls.append(("outputs", stack_dir.name))
        return self.applied.get(stack_dir.name, {})

    def plan_json(self, stack_dir: Path) -> dict:
        self.calls.append(("plan", stack_dir.name))
        if stack_dir.name in self.failing:
            raise TerraformError(stack_dir, ["plan"], "Error: Invalid provider configuration")
        return a_plan("create", "create", "no-op")


def describe(stack: str) -> str:
    return f"{stack}: 3 resources (synthesized)"


def test_a_new_environment_plans_its_platform_and_its_workspace_waits(tmp_path):
    terraform = FakeTerraform()
    results = plan_stacks([PLATFORM, WORKSPACE], tmp_path, terraform, describe)

    assert [(r.stack, r.status) for r in results] == [("dev-platform", "planned"), ("dev-workspace", "waiting")]
    assert results[1].waiting_for == "dev-platform"
    assert results[1].line() == "dev-workspace: waiting for dev-platform apply (dev-workspace: 3 resources (synthesized))"
    assert ("plan", "dev-workspace") not in terraform.calls  # never "Unable to find remote state"
    assert results[0].detail == "2 resource changes"
    written = json.loads((tmp_path / "plans" / "dev-platform.json").read_text())
    assert len(written["resource_changes"]) == 3


def test_after_the_platform_apply_the_workspace_is_planned(tmp_path):
    terraform = FakeTerraform(applied={"dev-platform": {"cross-stack-output-x": {"value": "https://adb"}}})
    results = plan_stacks([WORKSPACE], tmp_path, terraform, describe)
    assert [(r.stack, r.status) for r in results] == [("dev-workspace", "planned")]
    # the dependency was initialized to read its state, then the stack itself was planned
    assert terraform.calls == [("init", "dev-platform"), ("outputs", "dev-platform"),
                               ("init", "dev-workspace"), ("plan", "dev-workspace")]


def test_a_failed_plan_is_reported_and_the_other_stacks_still_plan(tmp_path, capsys):
    terraform = FakeTerraform(failing=("dev-platform",))
    results = plan_stacks([PLATFORM, WORKSPACE, OTHER], tmp_path, terraform, describe)
    assert [(r.stack, r.status) for r in results] == [
        ("dev-platform", "failed"), ("dev-workspace", "waiting"), ("stg-workspace", "planned")]
    assert "Invalid provider configuration" in capsys.readouterr().out


def test_reports_list_every_stack_and_explain_waiting(tmp_path):
    results = plan_stacks([PLATFORM, WORKSPACE], tmp_path, FakeTerraform(), describe)
    write_reports(results, tmp_path)
    index = json.loads((tmp_path / "plans" / "plans.json").read_text())
    assert [(e["stack"], e["status"], e["plan"]) for e in index] == [
        ("dev-platform", "planned", "dev-platform.json"), ("dev-workspace", "waiting", None)]
    markdown = (tmp_path / "plans" / "plans.md").read_text()
    assert "| `dev-workspace` | waiting for `dev-platform` apply |" in markdown
    assert "planned for real after the merge deploys its dependency" in markdown


def test_plan_report_merges_runs_and_reviews_the_planned_changes(tmp_path, capsys):
    """CI plans one stack per matrix job; one report merges them for the PR comment."""
    for stack, terraform in (("a", FakeTerraform()), ("b", FakeTerraform())):
        results = plan_stacks([PLATFORM] if stack == "a" else [WORKSPACE], tmp_path / stack, terraform, describe)
        write_reports(results, tmp_path / stack)
    assert main(["plan-report", str(tmp_path / "a" / "plans"), str(tmp_path / "b" / "plans" / "plans.json")]) == 0
    out = capsys.readouterr().out
    assert out.count("### Terraform plan per stack") == 1
    assert "| `dev-platform` | planned |" in out and "| `dev-workspace` | waiting for `dev-platform` apply |" in out
    # then mlops-review's summary of the planned stack's changes (the waiting one has no plan)
    review = out.split("| `dev-workspace` |", 1)[1]
    assert "`databricks_directory` **/d0**" in review and "`databricks_directory` **/d1**" in review


def test_select_keeps_deploy_order_and_rejects_an_unknown_glob_with_a_suggestion():
    stacks = [PLATFORM, WORKSPACE, OTHER]
    assert [s.id for s in select(stacks, ["*-workspace"])] == ["dev-workspace", "stg-workspace"]
    assert select(stacks, []) == stacks
    with pytest.raises(ConfigError) as caught:
        select(stacks, ["dev-workspce"])
    [diagnostic] = caught.value.diagnostics
    assert "'dev-workspce' matches no stack" in diagnostic.render()
    assert diagnostic.suggestion == "dev-workspace"
