"""Values that differ per environment: one value, or a mapping keyed by environment name, stage
(development, staging, production) or 'default'. The environment's own key wins over its stage,
the stage over 'default'."""
from __future__ import annotations

from typing import Any, Optional

STAGES = ("development", "staging", "production")


def for_environment(value: Any, environment: str, stage: str) -> tuple[Optional[Any], tuple]:
    """The value for one environment and the key that chose it (for error paths)."""
    if not isinstance(value, dict):
        return value, ()
    for key in (environment, stage, "default"):
        if key in value:
            return value[key], (key,)
    return None, ()


def is_per_environment_key(key: str, environments: tuple[str, ...]) -> bool:
    return key in environments or key in STAGES or key == "default"
