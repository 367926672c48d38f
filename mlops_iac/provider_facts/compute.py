"""Compute facts: cluster policies and clusters."""
from __future__ import annotations

import json
from typing import Any

POLICY_NAME_MAX = 100

# Minutes; Databricks rejects other values (0 would mean "never", which this tool does not allow).
AUTOTERMINATION_RANGE = (10, 43200)

DATA_SECURITY_MODES = ("SINGLE_USER", "USER_ISOLATION", "NONE")

# The API reports these aliases back as the canonical name: Terraform then sees a diff forever.
DATA_SECURITY_MODE_ALIASES = {
    "DATA_SECURITY_MODE_DEDICATED": "SINGLE_USER",
    "DATA_SECURITY_MODE_STANDARD": "USER_ISOLATION",
}


def canonical_json(value: Any) -> str:
    """Policy JSON as Databricks returns it (sorted keys, compact): no phantom diffs on plan."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
