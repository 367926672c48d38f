"""The probe's phase accounting and its tolerance of phases the app no longer has (no timing)."""
import types

from benchmarks.scale import probe
from benchmarks.scale.report import targets


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_nested_phase_is_subtracted_from_the_outer_one(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(probe.time, "perf_counter", clock)
    phases = probe.Phases()

    def inner():
        clock.now += 2.0

    timed_inner = phases.timed("guardrails", inner)

    def outer():
        clock.now += 1.0
        timed_inner()
        clock.now += 4.0

    phases.timed("synth", outer)()

    assert phases.seconds == {"synth": 5.0, "guardrails": 2.0}


def test_every_imported_copy_of_a_function_is_wrapped(monkeypatch):
    def load():
        return "loaded"

    home, user = types.ModuleType("bench_home"), types.ModuleType("bench_user")
    home.load = user.load = load  # `from bench_home import load` in bench_user
    monkeypatch.setitem(probe.sys.modules, "bench_home", home)
    monkeypatch.setitem(probe.sys.modules, "bench_user", user)
    monkeypatch.setattr(probe, "PHASES", probe.Phases())

    probe.wrap_function("bench_home", "load", "config")

    assert home.load is user.load and home.load is not load
    assert user.load() == "loaded" and "config" in probe.PHASES.seconds


def test_a_phase_the_app_no_longer_has_is_skipped(monkeypatch):
    monkeypatch.setattr(probe, "PHASES", probe.Phases())

    probe.wrap_function("no_such_module_here", "build_app", "construct")
    probe.wrap_method("probe_test_missing", "App", "synth", "synth")

    assert probe.PHASES.found == set()


def _runs(wall, config=0.5, imp=2.0, python=100, node=500):
    return [{"wall": wall, "seconds": {"config": config, "import": imp},
             "python_peak_rss_kib": python * 1024, "node_peak_rss_kib": node * 1024}]


def test_targets_compare_side_by_side_and_say_what_was_not_run():
    results = {"estates": {
        1: {"ours": _runs(2.5), "typescript": [{"wall": 1.0}]},
        100: {"ours": _runs(30.0, config=1.5, node=1000), "typescript": [{"wall": 40.0}]},
    }}

    verdicts = {name.split(" ")[0] + " " + name.split(" ")[1]: verdict for name, verdict, _ in targets(results)}

    assert verdicts == {"P=100 at": "PASS", "P=1 within": "PASS", "peak RSS": "FAIL",
                        "config loading": "FAIL", "linear: P=300": "n/a"}
