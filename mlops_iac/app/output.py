"""Write synthesized output all or nothing, one run at a time, surviving a kill at any instant.

- One writer at a time: ``cdktf.out.lock`` beside the output is held with ``flock`` for the whole
  run (and removed at its end); a second run waits (bounded by ``MLOPS_IAC_LOCK_TIMEOUT`` seconds)
  and says who holds it. The kernel drops the lock when its holder dies, so a killed run never
  blocks the next one (it only leaves the file).
- All or nothing: the run writes into ``cdktf.out.staging-*``; a failed run removes it and leaves
  ``cdktf.out`` untouched.
- Never without output: on Linux the staging directory and ``cdktf.out`` are exchanged with one
  ``renameat2(RENAME_EXCHANGE)``, so ``cdktf.out`` is complete (old or new) at every instant.
  Elsewhere (or on a file system without the exchange) two renames are used, with a window of
  microseconds without ``cdktf.out`` between them.
- Leftovers of killed runs (``cdktf.out.staging-*``, ``cdktf.out.retired-*``) are removed by the
  next run, under the lock, so a live run's staging directory is never touched.
- Modes follow the umask (``mkdir``, not ``mkdtemp``'s 0700).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

LOCK_TIMEOUT_ENV = "MLOPS_IAC_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0  # seconds a run waits for another one
LOCK_POLL = 0.2
# Test hook: the run SIGKILLs itself at the named step (staged, swapped, retired, cleaned).
FAULT_ENV = "MLOPS_IAC_FAULT_AT"
STAGING, RETIRED, LOCK = ".staging-", ".retired-", ".lock"

AT_FDCWD = -100
RENAME_EXCHANGE = 2

_held: dict[Path, int] = {}  # lock files this process holds -> depth (the lock is re-entrant)
replaced: list[Path] = []  # outputs this run has replaced (the interrupt message says so)


class OutputBusy(Exception):
    """Another run kept the output locked past the wait bound."""


def _fault(step: str) -> None:
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def lock_path(target: Path) -> Path:
    return target.with_name(target.name + LOCK)


def _holder(fd: int) -> str:
    """'pid N, since T' as the holder wrote it into the lock file."""
    text = os.pread(fd, 200, 0).decode(errors="replace").split()
    if len(text) >= 2:
        return f"pid {text[0]}, since {time.strftime('%H:%M:%S', time.localtime(float(text[1])))}"
    return "pid unknown"


def lock_timeout(environ=os.environ) -> float:
    raw = environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


@contextmanager
def output_lock(target: Path, timeout: Optional[float] = None,
                say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)
                ) -> Iterator[None]:
    """Hold ``<target>.lock`` for the block; wait up to ``timeout`` seconds for another holder.

    The holder removes the file before it lets go, so a run leaves nothing behind; a waiter that
    then gets the lock of the removed file sees it is no longer the one at the path and retries.
    """
    path = lock_path(Path(os.path.abspath(target)))
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _lock(path, lock_timeout() if timeout is None else timeout, say)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            os.unlink(path)
    finally:
        os.close(fd)  # releases the flock


def _lock(path: Path, timeout: float, say: Callable[[str], None]) -> int:
    """An open descriptor of the lock file at ``path`` that this process holds the flock of."""
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                if time.monotonic() >= deadline:
                    raise OutputBusy(f"another synth is running ({_holder(fd)}) and holds {path}; gave up "
                                     f"after {timeout:g} s (set {LOCK_TIMEOUT_ENV} to wait longer)")
                if not announced:
                    say(f"another synth is running ({_holder(fd)}); waiting up to {timeout:g} s for {path}...")
                    announced = True
                time.sleep(LOCK_POLL)
            if _same_file(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the previous holder removed it: lock the file now at the path


def _same_file(fd: int, path: Path) -> bool:
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino)


def remove_leftovers(target: Path) -> list[Path]:
    """Staging and retired directories of killed runs; call only while holding the lock."""
    stale = sorted(p for pattern in (STAGING, RETIRED) for p in target.parent.glob(f"{target.name}{pattern}*"))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False when the platform cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # file system without the exchange
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the new ``target``; the old one (if any) is removed after the swap."""
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif _exchange(staging, target):
        _fault("swapped")
        shutil.rmtree(staging)  # now holds the previous output
    else:
        retired = target.with_name(f"{target.name}{RETIRED}{os.getpid()}")
        os.rename(target, retired)
        _fault("retired")
        os.rename(staging, target)
        shutil.rmtree(retired)
    _fault("cleaned")


@contextmanager
def replace_atomically(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory beside ``target``; on success it becomes ``target``.

    On any exception (an interrupt included) the staging directory is removed and ``target`` is
    not touched.
    """
    target = Path(os.path.abspath(target))
    with output_lock(target):
        remove_leftovers(target)
        staging = target.with_name(f"{target.name}{STAGING}{os.getpid()}")
        staging.mkdir()  # 0777 & ~umask
        try:
            yield staging
            _fault("staged")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # The swap and its record are one step for a signal: one that arrives meanwhile is
        # delivered after both, so the interrupt message tells the truth about the output.
        held = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            swap_in(staging, target)
            replaced.append(target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
