"""The estate's snapshots (tests/estate/golden/<stack>.tf.json): one per stack, none stale, each
equal to the synthesized stack. After an intended change run `make golden` and commit the diff."""
import pytest

from mlops_iac.app.golden import canonical
from tests.estate.conftest import SNAPSHOTS, snapshot_ids


def test_there_is_one_snapshot_per_stack_and_none_stale(estate_stacks):
    missing = sorted(set(estate_stacks) - set(snapshot_ids()))
    stale = sorted(set(snapshot_ids()) - set(estate_stacks))
    assert (missing, stale) == ([], []), (
        f"snapshots missing for {missing}, stale for {stale}: run `make golden`")


@pytest.mark.parametrize("stack_id", snapshot_ids())
def test_stack_matches_its_snapshot(estate_stacks, stack_id):
    if stack_id not in estate_stacks:
        pytest.fail(f"{stack_id} is no longer synthesized: run `make golden` to remove its snapshot")
    expected = (SNAPSHOTS / f"{stack_id}.tf.json").read_text()
    assert canonical(estate_stacks[stack_id]) == expected, (
        f"{stack_id} differs from its snapshot; if intended, run `make golden`")
