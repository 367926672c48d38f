"""Ctrl-C, SIGTERM, SIGKILL and a concurrent run against `python -m stacks synth` (real processes).

Ctrl-C is simulated as the terminal sends it: SIGINT to the whole process group (the synth is
started in a session of its own)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_iac.app.output import FAULT_ENV
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, write_envs

REPO = Path(__file__).resolve().parents[3]
# The minimal estate, tagged so that its guardrails pass.
DEFAULTS = MINIMAL_DEFAULTS.replace("{cost_center: ml-platform}", "{cost_center: ml-platform, project: lab}")


def estate(tmp_path: Path) -> Path:
    envs = write_envs(tmp_path, {"defaults.yaml": DEFAULTS, "dev.yaml": MINIMAL_ENV})
    previous = tmp_path / "out"
    previous.mkdir()
    (previous / "marker.txt").write_text("previous synth")
    return envs


def start_synth(tmp_path: Path, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mlops_iac.app", "synth", "--envs", str(tmp_path / "envs"),
                             "--out", str(tmp_path / "out")], cwd=REPO, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, out, err


def assert_old_or_new_output(tmp_path: Path) -> str:
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    if names == ["marker.txt"]:
        return "old"
    assert names == ["guardrails.json", "manifest.json", "stacks"], names
    assert sorted(p.name for p in (out / "stacks").iterdir()) == ["dev-platform", "dev-workspace"]
    return "new"


def no_leftovers(tmp_path: Path, lock_file_allowed: bool = False) -> None:
    """No staging or retired directory, no lock file (a run removes it at its end; a signal in the
    microseconds between creating and locking it may leave the empty file, which is harmless)."""
    names = sorted(p.name for p in tmp_path.iterdir() if not (lock_file_allowed and p.name == "out.lock"))
    assert names == ["envs", "out"]


def no_process_of(pgid: int) -> None:
    """The synth's process group (Python) and the jsii kernel it started are all gone."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"processes of group {pgid} still running")


# From module loading through config, construct and jsii synth to the swap (a synth of the
# minimal estate takes ~1.5 s here).
DELAYS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.1]


@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_at_any_moment_exits_130_with_a_message_and_keeps_the_previous_output(tmp_path, delay):
    estate(tmp_path)
    synth = start_synth(tmp_path)
    time.sleep(delay)
    os.killpg(synth.pid, signal.SIGINT)
    code, out, err = finish(synth)
    assert "Traceback" not in err and "internal error" not in err and "Exception ignored" not in err, err
    assert "jsii" not in err.lower(), err
    state = assert_old_or_new_output(tmp_path)
    if code == 0:  # finished before the signal arrived
        assert state == "new"
    else:
        assert code == 130, err
        assert err.startswith("interrupted (SIGINT)") and len(err.splitlines()) == 1, err
        if state == "old":
            assert "nothing written" in err or "the previous" in err
        else:  # the signal came during or after the swap: the message must say so
            assert "was written" in err, err
    no_leftovers(tmp_path, lock_file_allowed=True)
    no_process_of(synth.pid)


def test_sigterm_exits_143_with_a_message(tmp_path):
    estate(tmp_path)
    synth = start_synth(tmp_path)
    staging = tmp_path / f"out.staging-{synth.pid}"  # made before the synth starts its work
    deadline = time.monotonic() + 30
    while not staging.exists() and synth.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    synth.send_signal(signal.SIGTERM)  # to Python alone, as a supervisor would
    code, out, err = finish(synth)
    assert code == 143, err
    # Usually before the swap; on a fast machine the signal may come during or after it, and the
    # message must then say the output was written (never claim the previous one was kept).
    if assert_old_or_new_output(tmp_path) == "old":
        assert err == f"interrupted (SIGTERM): stopped before writing; the previous {tmp_path / 'out'}/ is kept\n"
    else:
        assert err == f"interrupted (SIGTERM) after {tmp_path / 'out'}/ was written\n"
    no_leftovers(tmp_path)
    no_process_of(synth.pid)


def test_a_synth_killed_after_staging_keeps_the_old_output_and_the_next_one_cleans_up(tmp_path):
    estate(tmp_path)
    code, _, _ = finish(start_synth(tmp_path, env={FAULT_ENV: "staged"}))
    assert code == -signal.SIGKILL
    assert assert_old_or_new_output(tmp_path) == "old"
    assert any(".staging-" in p.name for p in tmp_path.iterdir())
    code, _, err = finish(start_synth(tmp_path))
    assert code == 0, err
    assert assert_old_or_new_output(tmp_path) == "new"
    no_leftovers(tmp_path)


def test_two_synths_at_once_take_turns(tmp_path):
    estate(tmp_path)
    first, second = start_synth(tmp_path), start_synth(tmp_path)
    (code1, out1, err1), (code2, out2, err2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    waited = [err for err in (err1, err2) if "another synth is running (pid " in err]
    assert len(waited) == 1 and "waiting" in waited[0]
    assert assert_old_or_new_output(tmp_path) == "new"
    no_leftovers(tmp_path)
