"""Field declarations for the typed model: one place for default, doc and constraints.

The binder (validation with locations) and the JSON Schema generator both read these, so the
schema editors use and the checks a run applies cannot drift apart.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

MISSING = dataclasses.MISSING


def setting(
    doc: str,
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    pattern: Optional[str] = None,
    expected: Optional[str] = None,
    min_len: Optional[int] = None,
    max_len: Optional[int] = None,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    unique: bool = False,
    derived: bool = False,
) -> Any:
    """Declare a model field.

    ``doc`` says what the value means and what happens when it is left out; ``expected`` is the
    human wording of ``pattern`` used in error messages; ``derived`` fields are not read from
    YAML (e.g. the environment name comes from the file name).
    """
    metadata = {
        "doc": doc, "pattern": pattern, "expected": expected, "min_len": min_len,
        "max_len": max_len, "minimum": minimum, "maximum": maximum, "unique": unique,
        "derived": derived,
    }
    if default_factory is not MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)
