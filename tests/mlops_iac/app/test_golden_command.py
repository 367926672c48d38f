"""`python -m stacks golden`: one command regenerates the estate's snapshots and every fixture
expectation, rewriting only what changed and removing what is stale."""
import shutil

import pytest

from mlops_iac.app.golden import DIAGNOSTIC_CASES, ESTATE_GOLDEN, FIXTURE_ESTATES, regenerate
from tests.conftest import ESTATES, REPO, estate_copy

MINIMAL = ESTATES / "minimal"


def repository(root):
    """A repository layout in root: the minimal estate as the user's, as a fixture estate, and
    one diagnostics case."""
    estate_copy(root, MINIMAL)
    estate_copy(root / FIXTURE_ESTATES / "small", MINIMAL)
    (root / FIXTURE_ESTATES / "small" / "expected").mkdir()
    case = REPO / DIAGNOSTIC_CASES / "missing-required-key"
    shutil.copytree(case / "envs", root / DIAGNOSTIC_CASES / "missing" / "envs")
    return root


def test_regenerates_every_golden_file_and_then_nothing(tmp_path):
    root = repository(tmp_path)
    changed, checked = regenerate(root / "envs", root)
    assert sorted(str(p.relative_to(root)) for p in changed) == [
        "tests/estate/golden/sandbox-platform.tf.json", "tests/estate/golden/sandbox-workspace.tf.json",
        "tests/fixtures/diagnostics/missing/expected.txt",
        "tests/fixtures/estates/small/expected/sandbox-platform.tf.json",
        "tests/fixtures/estates/small/expected/sandbox-workspace.tf.json"]
    assert checked == 5
    assert (root / DIAGNOSTIC_CASES / "missing" / "expected.txt").read_text() == (
        REPO / DIAGNOSTIC_CASES / "missing-required-key" / "expected.txt").read_text()
    assert (root / ESTATE_GOLDEN / "sandbox-platform.tf.json").read_text() == (
        MINIMAL / "expected" / "sandbox-platform.tf.json").read_text()
    assert regenerate(root / "envs", root) == ([], 5)


def test_removes_the_snapshots_of_stacks_that_are_gone(tmp_path):
    root = repository(tmp_path)
    regenerate(root / "envs", root)
    (root / "envs" / "sandbox.yaml").rename(root / "envs" / "lab.yaml")
    changed, _ = regenerate(root / "envs", root)
    assert sorted(p.name for p in (root / ESTATE_GOLDEN).iterdir()) == ["lab-platform.tf.json", "lab-workspace.tf.json"]
    assert root / ESTATE_GOLDEN / "sandbox-platform.tf.json" in changed


def test_fails_for_a_diagnostics_case_that_synthesizes(tmp_path):
    root = repository(tmp_path)
    shutil.rmtree(root / DIAGNOSTIC_CASES / "missing" / "envs")
    shutil.copytree(MINIMAL / "envs", root / DIAGNOSTIC_CASES / "missing" / "envs")
    with pytest.raises(ValueError, match="missing: synth exited 0; a diagnostics case must fail with exit code 1"):
        regenerate(root / "envs", root)
