"""`mlops-iac deploy` (what `make deploy` runs under CI=true): stacks applied in order with plain
terraform, stopping at the first failure."""
from __future__ import annotations

from pathlib import Path

from mlops_iac.app.cli import main
from mlops_iac.app.deploy import deploy_stacks
from mlops_iac.app.terraform import TerraformError


class FakeTerraform:
    def __init__(self, failing: str | None = None) -> None:
        self.failing = failing
        self.calls: list[tuple[str, str]] = []

    def init(self, stack_dir: Path) -> None:
        self.calls.append(("init", stack_dir.name))

    def plan_file(self, stack_dir: Path) -> str:
        self.calls.append(("plan", stack_dir.name))
        return "Plan: 2 to add, 0 to change, 0 to destroy."

    def apply_file(self, stack_dir: Path) -> None:
        self.calls.append(("apply", stack_dir.name))
        if stack_dir.name == self.failing:
            raise TerraformError(stack_dir, ["apply"], "Error: creating workspace")


def test_applies_platform_then_workspace_and_prints_one_summary_line_each(tmp_path):
    lines: list[str] = []
    terraform = FakeTerraform()
    assert deploy_stacks(["dev-platform", "dev-workspace"], tmp_path, terraform, lines.append) is True
    assert terraform.calls == [("init", "dev-platform"), ("plan", "dev-platform"), ("apply", "dev-platform"),
                               ("init", "dev-workspace"), ("plan", "dev-workspace"), ("apply", "dev-workspace")]
    assert "dev-platform: Plan: 2 to add, 0 to change, 0 to destroy." in lines


def test_a_failed_apply_stops_before_the_dependent_stack(tmp_path):
    lines: list[str] = []
    terraform = FakeTerraform(failing="dev-platform")
    assert deploy_stacks(["dev-platform", "dev-workspace"], tmp_path, terraform, lines.append) is False
    assert ("init", "dev-workspace") not in terraform.calls
    assert lines[-1].startswith("dev-platform: FAILED") and "later stacks not applied" in lines[-1]


def test_deploy_refuses_to_run_without_auto_approve(tmp_path, capsys):
    assert main(["deploy", "dev-*", "--envs", str(tmp_path / "envs")]) == 1
    assert "pass --auto-approve" in capsys.readouterr().err
