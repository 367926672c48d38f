"""The app synthesizes without loading any provider's jsii assembly (seconds and hundreds of MB
each), and a small environment takes a few dozen jsii round trips, not several per attribute."""
import json
import subprocess
import sys
import textwrap

from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV

PROBE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from jsii._kernel.providers import process
    calls = [0]
    send = process._NodeProcess.send
    def counting(self, request, response_type):
        calls[0] += 1
        return send(self, request, response_type)
    process._NodeProcess.send = counting
    from mlops_iac.app.cli import synthesize
    synthesize(Path(sys.argv[1]), Path(sys.argv[2]))
    loaded = sorted(m for m in sys.modules if m.startswith("cdktf_cdktf_provider_") and m.endswith("._jsii"))
    print(json.dumps({"assemblies": loaded, "round_trips": calls[0]}))
""")

DEFAULTS = MINIMAL_DEFAULTS.replace("{cost_center: ml-platform}", "{cost_center: ml-platform, project: demo}")
DEV = MINIMAL_ENV


def probe(tmp_path) -> dict:
    envs = tmp_path / "envs"
    envs.mkdir()
    (envs / "defaults.yaml").write_text(DEFAULTS)
    (envs / "dev.yaml").write_text(DEV)
    result = subprocess.run([sys.executable, "-c", PROBE, str(envs), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_synth_loads_no_provider_assembly(tmp_path):
    found = probe(tmp_path)
    assert found["assemblies"] == []
    assert found["round_trips"] < 100  # 41 today for two stacks (typed bindings: several hundred)
