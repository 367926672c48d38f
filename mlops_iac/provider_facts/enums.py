"""Enum values and integer fields of the Jobs and Pipelines API (extracted from the pinned
databricks-sdk by extract_enums.py into api_enums.json). Paths are API field names with '*' for
list items: ("tasks", "*", "condition_task", "op")."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("api_enums.json")
ApiPath = tuple[str, ...]


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def enum_fields(resource: str) -> dict[ApiPath, tuple[str, ...]]:
    """API path -> the values Databricks accepts, for every enum-typed field of a resource."""
    return {tuple(path.split(".")): tuple(spec["values"]) for path, spec in _data()[resource]["enums"].items()}


@lru_cache(maxsize=None)
def integer_fields(resource: str) -> frozenset[ApiPath]:
    """API paths typed as integers: a number there must be whole."""
    return frozenset(tuple(path.split(".")) for path in _data()[resource]["integers"])


def source() -> str:
    return _data()["source"]
