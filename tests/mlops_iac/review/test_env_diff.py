"""The environment diff on the reference fixture estate: only real differences remain."""
import pytest

from mlops_iac.review.env_diff import environment_diff
from mlops_iac.review.resources import read_synth


@pytest.fixture(scope="module")
def qa_vs_prod(example_out) -> str:
    return environment_diff(read_synth(example_out), "qa", "prod")


def test_names_ids_and_hosts_are_normalized_away(qa_vs_prod):
    assert "stmlops<env>" in qa_vs_prod and "stmlopsqa" not in qa_vs_prod.split("### platform")[1].split("- differs")[1]
    assert "3f2a1b4c" not in qa_vs_prod and "adb-2718281828459045" not in qa_vs_prod
    assert "- differs: `databricks_job` <env>-churn-model-deployment" in qa_vs_prod


def test_real_differences_remain(qa_vs_prod):
    assert "- only in prod: `azurerm_databricks_workspace` dbw-mlops-<env>" in qa_vs_prod  # QA adopts one
    assert "- only in qa: `databricks_cluster_policy` <env>-personal" in qa_vs_prod
    assert "- only in prod: `databricks_job` <env>-churn-retraining-trigger" in qa_vs_prod
    assert "- only in qa: `databricks_job` <env>-churn-test-integration-test" in qa_vs_prod
    assert "  - `job_cluster[main].new_cluster.num_workers`: qa `2` / prod `8`" in qa_vs_prod
    assert "  - `schedule.pause_status`: qa `PAUSED` / prod `UNPAUSED`" in qa_vs_prod


def test_an_environment_compared_with_itself_has_no_differences(example_out):
    text = environment_diff(read_synth(example_out), "prod", "prod")
    assert "0 resources differ." in text


def test_fails_for_an_unknown_environment(example_out):
    with pytest.raises(ValueError, match="no stacks for environment"):
        environment_diff(read_synth(example_out), "qa", "staging")
