"""One measured `mlops-iac synth` in this (fresh) process: the real command line, with timers.

Run by the scale benchmark as ``python probe.py RESULT.json synth --envs envs --out out``. It calls
`mlops_iac.app.cli.main` with those arguments, exactly as `python -m stacks` does, after wrapping the
public functions of each phase; every wrapper is optional, so when the app is restructured a phase
it can no longer find is reported as missing (its time lands in "other") instead of failing:

- config: `mlops_iac.config.load_environments`, wherever it was imported by name;
- import: cdktf, the construct library and the app, imported right after the config is loaded
  (the app imports them lazily at that point too);
- construct: `mlops_iac.app.assembly.build_app`; synth: `cdktf.App.synth` and, around it,
  `constructs_lib.bulk_output.synth` (which writes the resource batches after it);
- guardrails: `mlops_iac.guardrails.model.evaluate` and the Aspect's `visit` (nested inside synth today,
  after it once guardrails run over the synthesized JSON). Times are exclusive: a phase nested in
  another is subtracted from the outer one.

It also counts the jsii round trips (requests sent to the Node kernel, and Node's callbacks into
Python) and reads the peak RSS of Python and of the Node kernel before the kernel shuts down.
"""
from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))


class Phases:
    """Exclusive wall time per phase, for wrappers that may nest."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.found: set[str] = set()
        self._open: list[list] = []  # [phase, start of its current slice]

    def enter(self, phase: str) -> None:
        now = time.perf_counter()
        if self._open:
            outer = self._open[-1]
            self.seconds[outer[0]] = self.seconds.get(outer[0], 0.0) + now - outer[1]
        self._open.append([phase, now])

    def leave(self) -> None:
        now = time.perf_counter()
        phase, since = self._open.pop()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - since
        if self._open:
            self._open[-1][1] = now

    def timed(self, phase: str, function):
        self.found.add(phase)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            self.enter(phase)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()
        wrapper.__benchmark_original__ = function
        return wrapper


PHASES = Phases()
ROUND_TRIPS = {"requests": 0, "callbacks": 0}


def replace_everywhere(original, replacement) -> None:
    """Point every module attribute that holds ``original`` (``from x import f`` copies) at
    ``replacement``."""
    for module in list(sys.modules.values()):
        names = [name for name, value in list(getattr(module, "__dict__", {}).items()) if value is original]
        for name in names:
            setattr(module, name, replacement)


def wrap_function(module_name: str, attribute: str, phase: str) -> None:
    module = sys.modules.get(module_name)
    original = getattr(module, attribute, None) if module else None
    if callable(original):
        replace_everywhere(original, PHASES.timed(phase, original))


def wrap_method(module_name: str, class_name: str, method: str, phase: str) -> None:
    cls = getattr(sys.modules.get(module_name), class_name, None)
    original = getattr(cls, method, None) if cls else None
    if callable(original):
        setattr(cls, method, PHASES.timed(phase, original))


def count_round_trips() -> None:
    """Count every request Python sends to the jsii kernel, and every callback Node makes."""
    try:
        from jsii import _kernel
        from jsii._kernel.providers import process
    except ImportError:
        return
    send, handle = process._NodeProcess.send, getattr(_kernel, "_handle_callback", None)

    def counted_send(self, *args, **kwargs):
        ROUND_TRIPS["requests"] += 1
        return send(self, *args, **kwargs)

    process._NodeProcess.send = counted_send
    if handle is not None:
        def counted_callback(*args, **kwargs):
            ROUND_TRIPS["callbacks"] += 1
            return handle(*args, **kwargs)
        _kernel._handle_callback = counted_callback


def import_app() -> None:
    """The import phase, then the wrappers on what it imported."""
    PHASES.enter("import")
    try:
        count_round_trips()
        import cdktf  # noqa: F401  starts the jsii kernel (Node) and loads the cdktf assembly
        import constructs_lib  # noqa: F401
        import mlops_iac.guardrails  # noqa: F401
        import mlops_iac.app.assembly  # noqa: F401
        for optional in ("guardrails.aspect", "constructs_lib.bulk_output"):
            try:
                __import__(optional)
            except ImportError:
                pass
    finally:
        PHASES.leave()
    PHASES.found.add("import")
    wrap_function("mlops_iac.app.assembly", "build_app", "construct")
    wrap_method("cdktf", "App", "synth", "synth")
    wrap_function("constructs_lib.bulk_output", "synth", "synth")  # App.synth + batches written by Python
    wrap_function("mlops_iac.guardrails.model", "evaluate", "guardrails")
    wrap_method("guardrails.aspect", "GuardrailsAspect", "visit", "guardrails")


def install() -> None:
    import mlops_iac.config
    import mlops_iac.app.cli  # noqa: F401  (light: argparse and the config package)

    load = getattr(mlops_iac.config, "load_environments", None)
    if load is None:
        return
    timed = PHASES.timed("config", load)

    @functools.wraps(load)
    def load_then_import(*args, **kwargs):
        environments = timed(*args, **kwargs)
        if "import" not in PHASES.found:
            import_app()
        return environments
    replace_everywhere(load, load_then_import)


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parent = int(text[text.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def node_peak_rss_kib() -> int:
    """Sum of VmHWM of the live Node processes below this one (jsii runtime + kernel), read
    before they exit: their peak is gone once they do."""
    total = 0
    for pid in _descendants(os.getpid()):
        status = _status(pid)
        if status.get("Name", "").strip() == "node" and "VmHWM" in status:
            total += int(status["VmHWM"].split()[0])
    return total


def python_peak_rss_kib() -> int:
    """VmHWM of this process's own memory map. Not getrusage: its maxrss survives fork and exec,
    so it would report the peak of the benchmark process that started this one."""
    hwm = _status(os.getpid()).get("VmHWM")
    return int(hwm.split()[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    result_path, cli_args = Path(argv[0]), argv[1:]
    install()
    from mlops_iac.app.cli import main as cli_main

    code = cli_main(cli_args)
    total = time.perf_counter() - STARTED
    node_kib = node_peak_rss_kib()
    seconds = dict(PHASES.seconds)
    seconds["other"] = max(0.0, total - sum(seconds.values()))
    seconds["in_process"] = total
    result_path.write_text(json.dumps({
        "exit_code": code,
        "seconds": seconds,
        "phases_found": sorted(PHASES.found),
        "jsii_requests": ROUND_TRIPS["requests"],
        "jsii_callbacks": ROUND_TRIPS["callbacks"],
        "python_peak_rss_kib": python_peak_rss_kib(),
        "node_peak_rss_kib": node_kib,
    }) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
