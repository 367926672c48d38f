"""Ctrl-C and SIGTERM end a run with a one-line message and exit 130 / 143, never a traceback.

Ctrl-C sends SIGINT to the whole foreground process group, which included jsii's Node kernel.
Node died first and the Python side then failed on the closed pipe (BrokenPipeError, a jsii error,
an empty JSON reply), reported as an "internal error". Two measures:

- the kernel starts in a process group of its own (``JSII_NODE`` points, for the start only, to
  ``jsii_node.sh``, which calls ``setpgid`` and execs the real node), so a Ctrl-C reaches Python
  alone; jsii stops the kernel at exit by closing its stdin (also when Python is killed);
- the first signal is recorded before it is raised, so an error that follows it (a kernel that
  died anyway, e.g. one started earlier by other code) is reported as the interruption it is.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

LAUNCHER = Path(__file__).with_name("jsii_node.sh")
HANDLED = (signal.SIGINT, signal.SIGTERM)

_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: unwind (removing staging output), then exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _on_signal(signum: int, frame) -> None:
    _received.append(signum)
    if len(_received) == 1:  # later ones would interrupt the cleanup of the first
        raise Interrupted(signum)


def install() -> None:
    """SIGINT and SIGTERM raise Interrupted from now on (``python -m stacks`` calls it first)."""
    for signum in HANDLED:
        signal.signal(signum, _on_signal)


def ignore() -> None:
    for signum in HANDLED:
        signal.signal(signum, signal.SIG_IGN)


@contextmanager
def handled() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted inside the block (main thread only; handlers restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    previous = {signum: signal.signal(signum, _on_signal) for signum in HANDLED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def received() -> Optional[int]:
    """The first signal of this run, or None."""
    return _received[0] if _received else None


def exit_code(signum: int) -> int:
    return 128 + signum


@contextmanager
def _environ(**values: str) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def start_jsii_kernel() -> None:
    """Start jsii's Node kernel in its own process group (importing ``constructs`` starts it; a
    no-op when it runs already)."""
    if "constructs" in sys.modules or not os.access(LAUNCHER, os.X_OK):  # e.g. a wheel without it
        return
    node = os.environ.get("JSII_NODE") or shutil.which("node") or "node"
    # A signal during the start is held back until the kernel object is complete: interrupted
    # half-way, jsii's own cleanup would fail on it (an "Exception ignored" traceback at exit).
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)
    try:
        with _environ(JSII_NODE=str(LAUNCHER), MLOPS_IAC_NODE=node, MLOPS_IAC_PYTHON=sys.executable):
            import constructs  # noqa: F401
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
