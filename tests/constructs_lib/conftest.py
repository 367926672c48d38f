"""Construct tests synthesize a construct in a throwaway stack with cdktf's Testing helpers."""
import json

import pytest

import constructs_lib  # noqa: F401  (loads the bindings the light way first)
from cdktf import TerraformStack, Testing


@pytest.fixture
def synth(tmp_path):
    """synth(build) -> the stack's Terraform JSON as a dict; build(stack) adds constructs.

    The app's outdir is inside tmp_path: Testing.app() alone makes a cdktf.outdir.* folder in
    the system temp dir per call and never removes it."""
    def run(build) -> dict:
        stack = TerraformStack(Testing.app(outdir=str(tmp_path / "cdktf.out")), "test")
        build(stack)
        return json.loads(Testing.synth(stack))
    return run
