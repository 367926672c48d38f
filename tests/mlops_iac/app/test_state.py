"""State that works in CI: local state is a sandbox choice and an error under CI=true unless
allowed; offline mode puts every stack's state (and cross-stack reads) in a local folder and is
refused in CI."""
from __future__ import annotations

import json

import pytest

from mlops_iac.config import ConfigError, load_environments
from mlops_iac.app.cli import main
from mlops_iac.app.state_policy import ALLOW_LOCAL_STATE_ENV, OFFLINE_STATE_ENV
from tests.mlops_iac.app.ci_estate import DEV, FILES, write_estate

NOT_A_SANDBOX = DEV.replace("  sandbox: true\n", "")


@pytest.fixture
def ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv(ALLOW_LOCAL_STATE_ENV, raising=False)
    monkeypatch.delenv(OFFLINE_STATE_ENV, raising=False)


def synth(envs, out) -> int:
    return main(["synth", "--envs", str(envs), "--out", str(out)])


def test_local_state_under_ci_is_a_located_error_that_says_how_to_allow_it(tmp_path, ci, capsys):
    envs = write_estate(tmp_path, dict(FILES, **{"dev.yaml": NOT_A_SANDBOX}))
    assert synth(envs, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert err.startswith("envs/dev.yaml:9:12: state.backend: 'dev' keeps local Terraform state, which a CI "
                          "runner loses when the job ends (CI=true)\n")
    assert f"state.sandbox: true; or {ALLOW_LOCAL_STATE_ENV}=1 for this run" in err
    assert not (tmp_path / "out").exists()


def test_local_state_by_default_is_reported_at_the_environment_file(tmp_path, ci, capsys):
    implicit = NOT_A_SANDBOX.replace("state:\n  backend: local\n", "")
    envs = write_estate(tmp_path, dict(FILES, **{"dev.yaml": implicit}))
    assert synth(envs, tmp_path / "out") == 1
    assert capsys.readouterr().err.startswith("envs/dev.yaml:1:1: state.backend: 'dev' keeps local")


def test_a_sandbox_or_an_explicit_allowance_may_keep_local_state_in_ci(tmp_path, ci, monkeypatch):
    from mlops_iac.app.state_policy import local_state_in_ci

    sandbox = load_environments(write_estate(tmp_path / "a"))
    assert local_state_in_ci(sandbox, {"CI": "true"}) == []
    plain = load_environments(write_estate(tmp_path / "b", dict(FILES, **{"dev.yaml": NOT_A_SANDBOX})))
    assert len(local_state_in_ci(plain, {"CI": "true"})) == 1
    assert local_state_in_ci(plain, {"CI": "true", ALLOW_LOCAL_STATE_ENV: "1"}) == []
    assert local_state_in_ci(plain, {}) == []  # on a laptop local state is fine


def test_sandbox_only_applies_to_local_state(tmp_path):
    prd = FILES["prd.yaml"].replace("  key_prefix: prd/\n", "  key_prefix: prd/\n  sandbox: true\n")
    with pytest.raises(ConfigError) as caught:
        load_environments(write_estate(tmp_path, dict(FILES, **{"prd.yaml": prd})))
    assert [d.render() for d in caught.value.diagnostics] == [
        "envs/prd.yaml:19:12: state.sandbox: 'sandbox' only applies to backend: local\n"
        "  (expected backend: local, or remove the key)"]


def test_offline_mode_is_refused_in_ci(tmp_path, ci, monkeypatch, capsys):
    monkeypatch.setenv(OFFLINE_STATE_ENV, str(tmp_path / "state"))
    assert synth(write_estate(tmp_path), tmp_path / "out") == 1
    assert "must never run in a pipeline" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_offline_mode_keeps_every_stack_and_every_cross_stack_read_in_the_offline_folder(tmp_path, monkeypatch):
    from mlops_iac.app.summary import read_stacks

    monkeypatch.delenv("CI", raising=False)
    state = tmp_path / "offline-state"
    monkeypatch.setenv(OFFLINE_STATE_ENV, str(state))
    assert synth(write_estate(tmp_path), tmp_path / "out") == 0
    stacks = read_stacks(tmp_path / "out")
    for stack_id, stack in stacks.items():
        assert stack["terraform"]["backend"] == {"local": {"path": str(state / f"{stack_id}.tfstate")}}
    [(name, remote)] = stacks["prd-workspace"]["data"]["terraform_remote_state"].items()
    assert remote["backend"] == "local" and remote["config"]["path"] == str(state / "prd-platform.tfstate")


def test_without_offline_mode_the_configured_backends_stay(tmp_path, monkeypatch):
    from mlops_iac.app.summary import read_stacks

    monkeypatch.delenv(OFFLINE_STATE_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert synth(write_estate(tmp_path), tmp_path / "out") == 0
    stacks = read_stacks(tmp_path / "out")
    prd = stacks["prd-workspace"]["terraform"]["backend"]["azurerm"]
    assert prd["key"] == "prd/prd-workspace.tfstate" and prd["use_azuread_auth"] is True
    assert stacks["dev-platform"]["terraform"]["backend"] == {
        "local": {"path": "../../../terraform-state/dev-platform.tfstate"}}
    remote = stacks["prd-workspace"]["data"]["terraform_remote_state"]["cross-stack-reference-input-prd-platform"]
    assert remote["backend"] == "azurerm" and json.dumps(remote).count("prd/prd-platform.tfstate") == 1
