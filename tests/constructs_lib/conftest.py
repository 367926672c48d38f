"""Construct tests synthesize a construct in a throwaway stack with cdktf's Testing helpers."""
import json

import pytest

import constructs_lib  # noqa: F401  (loads the bindings the light way first)
from cdktf import TerraformStack, Testing


@pytest.fixture
def synth():
    """synth(build) -> the stack's Terraform JSON as a dict; build(stack) adds constructs."""
    def run(build) -> dict:
        stack = TerraformStack(Testing.app(), "test")
        build(stack)
        return json.loads(Testing.synth(stack))
    return run
