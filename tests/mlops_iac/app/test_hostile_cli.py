"""The synth command on special files given as an init script or a policy definition: exit 1 with
the line that names the file, promptly, never a hang or an internal error."""
from __future__ import annotations

import contextlib
import io
import os
import threading

import pytest

from mlops_iac.app.cli import main
from tests.conftest import estate_copy


@pytest.mark.parametrize("rel,make,at", [
    ("envs/init_scripts/install_inhouse_libs.sh", os.mkfifo, "envs/defaults.yaml:46:32: init_scripts.install-inhouse-libs.file:"),
    ("envs/policies/job-compute.json", lambda path: os.symlink("/dev/zero", path),
     "envs/defaults.yaml:51:22: cluster_policies.job-compute.definition_file:"),
])
def test_synth_refuses_special_files_without_hanging(tmp_path, rel, make, at):
    root = estate_copy(tmp_path / "estate")
    (root / rel).unlink()
    make(root / rel)
    result: dict = {}

    def synth() -> None:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            result["code"] = main(["synth", "--envs", str(root / "envs"), "--out", str(tmp_path / "out")])
        result["stderr"] = err.getvalue()

    thread = threading.Thread(target=synth, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "synth hung"
    assert result["code"] == 1 and "internal error" not in result["stderr"]
    assert any(line.startswith(at) for line in result["stderr"].splitlines()), result["stderr"]
    assert not (tmp_path / "out").exists()
