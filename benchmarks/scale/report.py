"""Summaries of the scale benchmark: Markdown tables with medians, ranges and side-by-side ratios,
and the targets of the scale issue as PASS / FAIL lines."""
from __future__ import annotations

import statistics

KIB_PER_MIB = 1024
OUR_PHASES = (("config", "config"), ("import", "import"), ("construct", "construct"), ("synth", "synth"),
              ("guardrails", "guardrails"), ("other", "write + other"), ("startup", "start-up + exit"))
TS_PHASES = (("startup_and_import", "start-up + import"), ("read_input", "read input"),
             ("construct", "construct"), ("synth", "synth + write"), ("exit", "exit"))
TARGET_P1_SECONDS = 3.0
TARGET_RSS_MIB = 1024
TARGET_LINEAR = 3.2
TARGET_CONFIG_SECONDS = 1.0


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def wall(runs: list[dict]) -> list[float]:
    return [run["wall"] for run in runs]


def phase(runs: list[dict], key: str) -> list[float]:
    return [run["seconds"][key] for run in runs if key in run["seconds"]]


def our_rss_mib(run: dict) -> float:
    return (run["python_peak_rss_kib"] + run["node_peak_rss_kib"]) / KIB_PER_MIB


def _seconds(values: list[float]) -> str:
    if not values:
        return "-"
    text = f"{median(values):.2f}"
    return text if len(values) == 1 else f"{text} ({min(values):.2f}-{max(values):.2f})"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}x" if ours is not None and theirs else "-"


def headline(results: dict) -> list[str]:
    lines = [
        "| estate | resources | this project (s) | cdktf TypeScript (s) | time ours / TS "
        "| peak RSS ours: Python + Node (MiB) | peak RSS TS (MiB) | RSS ours / TS | jsii round trips "
        "| plain cdktf Python (s) | time ours / plain Python |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p, entry in results["estates"].items():
        ours, ts, plain = entry["ours"], entry["typescript"], entry.get("python", [])
        our_rss = median([our_rss_mib(run) for run in ours])
        py_rss = median([run["python_peak_rss_kib"] / KIB_PER_MIB for run in ours])
        node_rss = median([run["node_peak_rss_kib"] / KIB_PER_MIB for run in ours])
        ts_rss = median([run["peak_rss_kib"] / KIB_PER_MIB for run in ts])
        trips = median([run["jsii_requests"] + run["jsii_callbacks"] for run in ours])
        callbacks = median([run["jsii_callbacks"] for run in ours])
        lines.append(
            f"| P={p} | {entry['resources']:,} | {_seconds(wall(ours))} | {_seconds(wall(ts))} "
            f"| {_ratio(median(wall(ours)), median(wall(ts)))} "
            f"| {our_rss:.0f} ({py_rss:.0f} + {node_rss:.0f}) | {f'{ts_rss:.0f}' if ts_rss else '-'} "
            f"| {_ratio(our_rss, ts_rss)} | {trips:,.0f} ({callbacks:,.0f} callbacks) "
            f"| {_seconds(wall(plain))} | {_ratio(median(wall(ours)), median(wall(plain)))} |")
    return lines


def phases(results: dict) -> list[str]:
    lines = [
        "| estate | " + " | ".join(label for _, label in OUR_PHASES) + " | TS: "
        + " | TS: ".join(label for _, label in TS_PHASES) + " |",
        "|---|" + "---:|" * (len(OUR_PHASES) + len(TS_PHASES)),
    ]
    for p, entry in results["estates"].items():
        cells = [_one(phase(entry["ours"], key)) for key, _ in OUR_PHASES]
        cells += [_one(phase(entry["typescript"], key)) for key, _ in TS_PHASES]
        lines.append(f"| P={p} | " + " | ".join(cells) + " |")
    return lines


def _identical(entry: dict, key: str) -> str:
    return "-" if entry.get(key) is None else f"{entry[key]:,}"


def _one(values: list[float]) -> str:
    return f"{median(values):.2f}" if values else "-"


def targets(results: dict) -> list[tuple[str, str, str]]:
    """(target, PASS / FAIL / n/a, the measured figures)."""
    estates = results["estates"]

    def get(p: int):
        return estates.get(p) or estates.get(str(p))

    checks = []
    one, hundred, three_hundred = get(1), get(100), get(300)
    if hundred and hundred["typescript"]:
        ours, ts = median(wall(hundred["ours"])), median(wall(hundred["typescript"]))
        checks.append(("P=100 at least as fast as cdktf TypeScript", _verdict(ours <= ts),
                       f"{ours:.2f} s vs {ts:.2f} s ({ours / ts:.2f}x)"))
    else:
        checks.append(("P=100 at least as fast as cdktf TypeScript", "n/a", "P=100 or the baseline not run"))
    if one:
        t = median(wall(one["ours"]))
        checks.append((f"P=1 within {TARGET_P1_SECONDS:.0f} s", _verdict(t <= TARGET_P1_SECONDS), f"{t:.2f} s"))
    else:
        checks.append((f"P=1 within {TARGET_P1_SECONDS:.0f} s", "n/a", "P=1 not run"))
    if hundred:
        rss = median([our_rss_mib(run) for run in hundred["ours"]])
        checks.append(("peak RSS (Python + Node) at most 1 GiB at P=100", _verdict(rss <= TARGET_RSS_MIB),
                       f"{rss:.0f} MiB"))
        config = median(phase(hundred["ours"], "config"))
        checks.append((f"config loading under {TARGET_CONFIG_SECONDS:.0f} s at P=100",
                       _verdict(config is not None and config < TARGET_CONFIG_SECONDS),
                       f"{config:.2f} s" if config is not None else "phase not found"))
    else:
        checks.append(("peak RSS (Python + Node) at most 1 GiB at P=100", "n/a", "P=100 not run"))
        checks.append((f"config loading under {TARGET_CONFIG_SECONDS:.0f} s at P=100", "n/a", "P=100 not run"))
    name = f"linear: P=300 minus import at most {TARGET_LINEAR}x P=100 minus import"
    if hundred and three_hundred:
        imp100 = median(phase(hundred["ours"], "import")) or 0.0
        imp300 = median(phase(three_hundred["ours"], "import")) or 0.0
        t100, t300 = median(wall(hundred["ours"])) - imp100, median(wall(three_hundred["ours"])) - imp300
        checks.append((name, _verdict(t300 <= TARGET_LINEAR * t100), f"{t300:.2f} s vs {t100:.2f} s ({t300 / t100:.2f}x)"))
    else:
        checks.append((name, "n/a", "P=100 and P=300 not both run"))
    return checks


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def markdown(results: dict) -> str:
    info = results["machine"]
    runs = ", ".join(f"P={p}: {len(e['ours'])}" for p, e in results["estates"].items())
    lines = [
        f"Scale benchmark, {info['date']}: {info['cpu']}, nproc {info['nproc']}, load average "
        f"{info['load_before']} before / {info['load_after']} after; Python {info['python']}, Node {info['node']}. "
        f"Runs per estate (each a fresh process, ours and the baselines alternating): {runs}. "
        "Medians, (min-max) when more than one run.",
        "",
        *headline(results),
        "",
        "Phases (medians, seconds):",
        "",
        *phases(results),
        "",
        "Same resources (equal counts per stack are required; identical bodies, TypeScript / plain Python): "
        + "; ".join(f"P={p}: {_identical(e, 'bodies_identical')} / {_identical(e, 'python_bodies_identical')} "
                    f"of {e['resources']:,}" for p, e in results["estates"].items()) + ".",
        "",
        "| target | result | measured |",
        "|---|---|---|",
        *(f"| {name} | {verdict} | {figures} |" for name, verdict, figures in targets(results)),
    ]
    return "\n".join(lines)
