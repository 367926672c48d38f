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

from .governance_model import AccessFile
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
    if tp is Any:
        return {}
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        options = [_schema(a, meta) for a in args if a is not type(None)]
        return {"anyOf": options + ([{"type": "null"}] if type(None) in args else [])}
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


def _document(title: str, cls: Any) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **_object(cls)}


SCHEMAS = {
    "schema.json": ("MLOps environment (envs/defaults.yaml and envs/<name>.yaml)", EnvironmentConfig),
    "access.schema.json": ("MLOps access matrix (envs/access.yaml)", AccessFile),
}


def render_schema(file_name: str = "schema.json") -> str:
    """The JSON Schema document for one of SCHEMAS, as committed in envs/."""
    title, cls = SCHEMAS[file_name]
    return json.dumps(_document(title, cls), indent=2) + "\n"
