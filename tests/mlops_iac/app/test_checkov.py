"""checkov (pinned, terraform_json) over every stack of the reference fixture estate: no
unsuppressed failure, production stacks held to the strict configuration, and every suppression
written down with its reason."""
import pytest

from mlops_iac.config import load_environments
from tests.checkov_scan import CONFIGS, scan, skipped_checks
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def production_stacks():
    return {f"{e.config.name}-{kind}" for e in load_environments(REFERENCE / "envs")
            if e.config.stage == "production" for kind in ("platform", "workspace")}


def test_every_reference_stack_passes_checkov(example_out, production_stacks):
    stacks = sorted(p for p in (example_out / "stacks").iterdir() if p.is_dir())
    assert stacks
    failures = {s.name: scan(s, s.name in production_stacks)["failed"] for s in stacks}
    assert {name: found for name, found in failures.items() if found} == {}


def test_the_production_platform_is_scanned_and_passes_the_network_checks(example_out):
    result = scan(example_out / "stacks" / "prod-platform", production=True)
    assert result["failed"] == [] and result["passed"] >= 20  # the storage, vault and workspace checks ran


def test_a_public_storage_account_fails_the_production_configuration(example_out, tmp_path):
    """The scan is real: the production stack with its storage made public fails."""
    import json
    source = json.loads((example_out / "stacks" / "prod-platform" / "cdk.tf.json").read_text())
    for account in source["resource"]["azurerm_storage_account"].values():
        account["public_network_access_enabled"] = True
        account["shared_access_key_enabled"] = True
    (tmp_path / "cdk.tf.json").write_text(json.dumps(source))
    failed = " ".join(scan(tmp_path, production=True)["failed"])
    assert "CKV_AZURE_59" in failed and "CKV2_AZURE_40" in failed


@pytest.mark.parametrize("production", [True, False])
def test_every_suppression_has_a_written_reason(production):
    config = CONFIGS[production]
    skip_lines = [line for line in config.read_text().splitlines() if line.strip().startswith("- CKV")]
    reasons = skipped_checks(config)
    assert len(reasons) == len(skip_lines) > 0
    assert all(len(reason) >= 30 for reason in reasons.values()), reasons


def test_production_skips_are_a_subset_of_the_non_production_ones():
    assert set(skipped_checks(CONFIGS[True])) <= set(skipped_checks(CONFIGS[False]))
