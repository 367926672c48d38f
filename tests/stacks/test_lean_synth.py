"""The app synthesizes without loading any provider's jsii assembly (seconds and hundreds of MB
each), and a small environment takes a few dozen jsii round trips, not several per attribute."""
import json
import subprocess
import sys
import textwrap

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
    from stacks.cli import synthesize
    synthesize(Path(sys.argv[1]), Path(sys.argv[2]))
    loaded = sorted(m for m in sys.modules if m.startswith("cdktf_cdktf_provider_") and m.endswith("._jsii"))
    print(json.dumps({"assemblies": loaded, "round_trips": calls[0]}))
""")

DEFAULTS = """\
azure:
  tenant_id: 11111111-2222-3333-4444-555555555555
  location: eastus2
  tags: {cost_center: ml-platform, project: demo}
"""
DEV = """\
stage: development
display_name: Dev
azure:
  subscription_id: 00000000-0000-0000-0000-000000000001
  resource_group: rg-dev
workspace:
  name: dbw-dev
"""


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
