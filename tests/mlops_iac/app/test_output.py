"""The output directory under faults: lock, leftovers of killed runs, atomic exchange, modes.

Writers run as real processes (a small script using mlops_iac.app.output) so that SIGKILL, flock and the
exchange are exercised as they are in a synth, without the cost of a synth."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from mlops_iac.app import output
from mlops_iac.app.output import FAULT_ENV, OutputBusy, output_lock, replace_atomically

REPO = Path(__file__).resolve().parents[3]
FILES = 20  # files per output generation: a half-written output would miss some

# Writes generation N (FILES files naming N) into <target> through replace_atomically.
WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from mlops_iac.app.output import replace_atomically
    target, first, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    for generation in range(first, first + count):
        with replace_atomically(target) as staging:
            for i in range({FILES}):
                (staging / f"f{{i}}.txt").write_text(str(generation))
""")

# Holds the lock until its stdin closes; says "held" once it has it.
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mlops_iac.app.output import output_lock
    with output_lock(Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.read()
""")


def python(script: str, *args, env=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=REPO,
                            env={**os.environ, **(env or {})}, text=True, **kwargs)


def generation(target: Path) -> int:
    """The one generation every file of a complete output names (fails on a partial one)."""
    values = {p.read_text() for p in target.iterdir()}
    assert len(list(target.iterdir())) == FILES and len(values) == 1, sorted(p.name for p in target.iterdir())
    return int(values.pop())


def siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir())


def write(target: Path, first: int, count: int = 1, env=None) -> int:
    return python(WRITER, target, first, count, env=env).wait(timeout=60)


@pytest.mark.parametrize("step", ["staged", "swapped", "cleaned"])
def test_a_writer_killed_at_any_step_leaves_a_complete_output_and_the_next_run_cleans_up(tmp_path, step):
    target = tmp_path / "out"
    assert write(target, 1) == 0
    assert write(target, 2, env={FAULT_ENV: step}) == -signal.SIGKILL
    assert generation(target) == (1 if step == "staged" else 2)
    if step != "cleaned":
        assert any(".staging-" in name for name in siblings(target))  # the kill left it behind
    assert write(target, 3) == 0
    assert generation(target) == 3
    assert siblings(target) == ["out"]


def test_the_two_rename_fallback_is_what_leaves_no_output_when_killed_between_renames(tmp_path, monkeypatch):
    """Where renameat2 is missing the swap is two renames; a kill between them (step "retired")
    leaves no out/ until the next run - the window the exchange closes on Linux."""
    target = tmp_path / "out"
    assert write(target, 1) == 0
    fallback = "import mlops_iac.app.output as o; o._exchange = lambda a, b: False\n" + WRITER
    assert python(fallback, target, 2, 1, env={FAULT_ENV: "retired"}).wait(timeout=60) == -signal.SIGKILL
    assert not target.exists() and any(".retired-" in name for name in siblings(target))
    assert write(target, 3) == 0
    assert generation(target) == 3 and siblings(target) == ["out"]


def test_a_reader_never_sees_the_output_missing_or_partial_while_writers_are_killed(tmp_path):
    """Writers swap generations back to back and are SIGKILLed after random delays; a reader
    polls all the while. Every look finds a complete generation."""
    target = tmp_path / "out"
    assert write(target, 0) == 0
    looks, problems, stop = [0], [], threading.Event()

    def look() -> None:
        """Pin the directory now at out/ (it must exist) and check it is complete, unless it was
        swapped out while being read (then its files are being removed)."""
        fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY)  # FileNotFoundError: no out/ at all
        try:
            names = os.listdir(fd)
            values = {Path(f"/proc/self/fd/{fd}/{name}").read_text() for name in names}
            if (len(names), len(values)) != (FILES, 1) and os.fstat(fd).st_ino == os.stat(target).st_ino:
                problems.append(f"partial output: {len(names)} files, generations {sorted(values)}")
        except FileNotFoundError:
            if os.fstat(fd).st_ino == os.stat(target).st_ino:
                raise
        finally:
            os.close(fd)
        looks[0] += 1

    def read() -> None:
        while not stop.is_set():
            try:
                look()
            except OSError as error:
                problems.append(repr(error)[:200])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_number, delay in enumerate([0.15, 0.3, 0.45, 0.6, 0.2, 0.5]):
            writer = python(WRITER, target, 1000 * (round_number + 1), 10_000)
            time.sleep(delay)
            writer.kill()
            writer.wait(timeout=10)
    finally:
        stop.set()
        reader.join(timeout=10)
    assert problems == [] and looks[0] > 100
    assert write(target, 99) == 0
    assert generation(target) == 99 and siblings(target) == ["out"]


def test_modes_follow_the_umask_not_mkdtemp(tmp_path):
    target = tmp_path / "out"
    previous = os.umask(0o027)
    try:
        with replace_atomically(target) as staging:
            (staging / "stacks").mkdir()
            (staging / "stacks" / "main.tf.json").write_text("{}")
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o750
    assert (target / "stacks").stat().st_mode & 0o777 == 0o750
    assert (target / "stacks" / "main.tf.json").stat().st_mode & 0o777 == 0o640


def test_a_failed_run_removes_its_staging_and_keeps_the_previous_output(tmp_path):
    target = tmp_path / "out"
    assert write(target, 1) == 0
    with pytest.raises(RuntimeError), replace_atomically(target) as staging:
        (staging / "half.txt").write_text("x")
        raise RuntimeError("synth failed")
    assert generation(target) == 1 and siblings(target) == ["out"]


def test_a_second_run_waits_for_the_lock_and_names_its_holder(tmp_path):
    target = tmp_path / "out"
    holder = python(HOLDER, target, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        said: list[str] = []
        threading.Timer(0.6, holder.stdin.close).start()
        started = time.monotonic()
        with output_lock(target, timeout=30, say=said.append):
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=10)
    assert 0.4 < waited < 10
    assert siblings(target) == []  # the lock file goes with its last holder
    assert len(said) == 1 and said[0].startswith(f"another synth is running (pid {holder.pid}, since ")
    assert "waiting" in said[0]


def test_a_second_run_gives_up_after_the_bound_with_a_clear_error(tmp_path, monkeypatch):
    target = tmp_path / "out"
    holder = python(HOLDER, target, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv(output.LOCK_TIMEOUT_ENV, "0.3")
        with pytest.raises(OutputBusy) as busy, output_lock(target, say=lambda line: None):
            pass
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert f"another synth is running (pid {holder.pid}" in str(busy.value)
    assert "gave up after 0.3 s (set MLOPS_IAC_LOCK_TIMEOUT to wait longer)" in str(busy.value)


def test_a_killed_holder_does_not_block_the_next_run(tmp_path):
    target = tmp_path / "out"
    holder = python(HOLDER, target, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=10)
    holder.stdin.close()
    holder.stdout.close()
    assert siblings(target) == ["out.lock"]  # the killed holder could not remove it
    with output_lock(target, timeout=0):
        pass
    assert siblings(target) == []


def test_the_lock_is_reentrant_within_a_run(tmp_path):
    """deploy and plan hold the lock around their synth, which takes it again."""
    target = tmp_path / "out"
    with output_lock(target, timeout=0), replace_atomically(target) as staging:
        (staging / "x").write_text("1")
    assert (target / "x").read_text() == "1"
