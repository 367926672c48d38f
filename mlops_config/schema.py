"""JSON Schema of the environment YAML, generated from the typed model (never hand-written).

Every file in envs/ may be partial (defaults.yaml and each environment overlay each other), so the
schema checks keys, types, enums and patterns but marks nothing required; the loader checks
required keys after the merge.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, Union

from .model import EnvironmentConfig



def _constraints(meta: dict) -> dict:
    out: dict[str, Any] = {}
    if meta.get("pattern"):
        out["pattern"] = f"^(?:{meta['pattern']})$"
    for key, name in (("min_len", "minLength"), ("max_len", "maxLength"),
                      ("minimum", "minimum"), ("maximum", "maximum")):
        if meta.get(key) is not None:
            out[name] = meta[key]
    return out


def _schema(tp: Any, meta: dict) -> dict:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return {"anyOf": [_schema(inner[0], meta), {"type": "null"}]}
    if dataclasses.is_dataclass(tp):
        return _object(tp)
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin in (tuple, list):
        out = {"type": "array", "items": _schema(typing.get_args(tp)[0], meta)}
        if meta.get("unique"):
            out["uniqueItems"] = True
        return out
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema(typing.get_args(tp)[1], {})}
    base = {str: "string", bool: "boolean", int: "integer"}[tp]
    return {"type": base, **_constraints(meta)}


def _default(f: dataclasses.Field) -> Any:
    value = f.default if f.default is not dataclasses.MISSING else (
        f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
    if dataclasses.is_dataclass(value) or value is dataclasses.MISSING or value is None:
        return dataclasses.MISSING
    return list(value) if isinstance(value, tuple) else value


def _object(cls: Any) -> dict:
    hints = typing.get_type_hints(cls)
    properties = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("derived"):
            continue
        prop = _schema(hints[f.name], dict(f.metadata))
        prop["description"] = f.metadata.get("doc", "")
        default = _default(f)
        if default is not dataclasses.MISSING:
            prop["default"] = default
        properties[f.name] = prop
    return {"type": "object", "additionalProperties": False, "properties": properties}


def environment_schema() -> dict:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "MLOps environment (envs/defaults.yaml and envs/<name>.yaml)",
        **_object(EnvironmentConfig),
    }
    return schema


def render_schema() -> str:
    return json.dumps(environment_schema(), indent=2, sort_keys=False) + "\n"
