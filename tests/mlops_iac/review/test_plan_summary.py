"""The summary of a real Terraform plan: tests/fixtures/review/prodfix-workspace.plan.json was made
offline from this project's own stacks (apply this commit's prodfix, change the config as a pull
request would, plan): `MLOPS_WRITE_PLAN_FIXTURE=1 pytest tests/integration -k real_plan`. The
expected Markdown beside it is the exact comment a reviewer gets."""
import json

from mlops_iac.review.changes import from_plan
from mlops_iac.review.cli import main
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "review"


def test_plan_actions_come_from_terraform():
    plan = json.loads((FIXTURES / "prodfix-workspace.plan.json").read_text())
    changes = from_plan(plan, "prodfix-workspace").changes
    assert sorted((c.action, c.name) for c in changes) == [
        # named by what they protect: from the plan's configuration references, or (deleted, no
        # longer configured) from the prior state's depends_on
        ("delete", "ACL of job prodfix-churn-model-deployment"),
        ("delete", "bob.martin@contoso.com in group data-scientists"),
        ("delete", "prodfix-churn-model-deployment"),
        ("update", "ACL of experiment /Shared/mlops/prodfix/churn/experiments/training"),
        ("update", "ACL of experiment /Shared/mlops/prodfix/churn/experiments/tuning"),
        ("update", "prodfix-churn-model-train"),
    ]
    train = next(c for c in changes if c.name == "prodfix-churn-model-train")
    assert [(f.path, f.before, f.after) for f in train.fields] == [
        ("job_cluster[main].new_cluster[0].num_workers", 2, 4)]


def test_plan_summary_markdown_is_exact(capsys):
    assert main(["plan", "--stack", "prodfix-workspace", str(FIXTURES / "prodfix-workspace.plan.json")]) == 0
    assert capsys.readouterr().out == (FIXTURES / "prodfix-workspace.plan.md").read_text()


def test_plan_needs_one_stack_per_file(capsys):
    assert main(["plan", "--stack", "a", "x.json", "y.json"]) == 2
    assert "one --stack per plan file" in capsys.readouterr().err
