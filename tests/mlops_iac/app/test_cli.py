"""The main job as a user runs it: exit codes, messages, and output that is never half-written."""
import os
import subprocess
import sys
from pathlib import Path

import yaml
from ruamel.yaml import YAML

from tests.conftest import estate_copy


def run_synth(cwd: Path, *args: str, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("MLOPS_IAC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "mlops_iac.app", "synth", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def project_copy(tmp_path: Path) -> Path:
    """The reference fixture estate in tmp_path."""
    return estate_copy(tmp_path)


def stack_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.json"))}


def test_synth_writes_every_stack_and_prints_a_summary(tmp_path):
    project = project_copy(tmp_path)
    result = run_synth(project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("prodfix-platform") and "azurerm: 7 resources" in lines[0]
    assert "1 databricks workspace" in lines[0] and "3 storage container" in lines[0]
    assert [line.split()[0] for line in lines[:6]] == [
        "prodfix-platform", "prodfix-workspace", "qa-platform", "qa-workspace", "prod-platform", "prod-workspace"]
    assert lines[-1].startswith("wrote cdktf.out/ in ")
    assert len(list((project / "cdktf.out" / "stacks").iterdir())) == 6
    assert sorted(p.name for p in project.iterdir()) == ["cdktf.out", "envs", "projects"]  # no staging left


def test_fails_with_every_error_file_and_line_and_keeps_previous_output(tmp_path):
    project = project_copy(tmp_path)
    previous = project / "cdktf.out" / "marker.txt"
    previous.parent.mkdir()
    previous.write_text("previous synth")
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text().replace("account: stmlopsprod", "acount: stmlopsprod")
                    .replace("name: kv-mlops-prod", "name: kv-mlops-qa"))
    result = run_synth(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "envs/prod.yaml:26:3: storage.acount: unknown key 'acount'" in result.stderr
    assert "did you mean 'account'?" in result.stderr
    assert "envs/prod.yaml:26:3: storage.account: missing required key 'account'" in result.stderr
    assert result.stderr.rstrip().endswith("2 errors; nothing written")
    assert sorted(p.name for p in (project / "cdktf.out").iterdir()) == ["marker.txt"]
    assert sorted(p.name for p in project.iterdir()) == ["cdktf.out", "envs", "projects"]


def test_output_is_byte_identical_whatever_the_key_order_and_hash_seed(tmp_path):
    # GIVEN the example environments, and a copy with every mapping's keys in reverse order
    first = project_copy(tmp_path / "a")
    second = project_copy(tmp_path / "b")
    for path in [*(second / "envs").glob("*.yaml"), *(second / "projects").rglob("*.y*ml")]:
        data = _reverse_keys(YAML(typ="safe", pure=True).load(path.read_text()))
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    # WHEN both are synthesized with different hash seeds
    assert run_synth(first, seed="1").returncode == 0
    assert run_synth(second, seed="4242").returncode == 0
    # THEN every JSON file is byte-identical
    a, b = stack_bytes(first / "cdktf.out"), stack_bytes(second / "cdktf.out")
    assert sorted(a) == sorted(b) and len(a) == 8  # manifest, guardrails report, 6 stacks
    assert [name for name in a if a[name] != b[name]] == []


def _reverse_keys(value):
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    return value


def test_spec_warnings_are_printed_and_do_not_stop_the_synth(tmp_path, capsys):
    import pytest

    from mlops_iac.app.cli import GuardrailError, synthesize
    from tests.mlops_iac.config.projects.helpers import JOB, write_project

    envs = write_project(tmp_path, {"jobs/train.yml": JOB.replace("num_workers: 1}", "num_workers: 1, spark_conf: {a.b: true}}")})
    with pytest.raises(GuardrailError):  # the minimal estate lacks tags etc.: synth ran to the guardrails
        synthesize(envs, tmp_path / "out")
    assert (tmp_path / "out" / "stacks" / "dev-workspace" / "cdk.tf.json").exists()
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("warning: projects/demo/jobs/train.yml:5:124: tasks[train].new_cluster.spark_conf.a.b: boolean "
                      "true where text is expected: sent as 'true', as Terraform would convert it")
