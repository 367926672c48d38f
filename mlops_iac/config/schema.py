"""JSON Schemas of the YAML users edit, generated (never hand-written), for editors.

envs/: from the typed model. Every file may be partial (defaults.yaml and each environment overlay
each other), so the schema marks nothing required (the loader checks required keys after the
merge), and every setting accepts the `null` that removes a default. projects/: project.yaml from
its typed model, job and pipeline specs from the provider schema (projects/editor_schema.py).
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


def object_schema(cls: Any) -> dict:
    """The JSON Schema of a dataclass of the model (keys, types, enums, patterns, defaults)."""
    return _object(cls)


def _nullable(node: Any) -> Any:
    """Every property also accepts null: an overlay's `key: null` removes the default."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) if key in ("anyOf", "items", "additionalProperties") else value
           for key, value in node.items()}
    if "properties" in out:
        out["properties"] = {name: _or_null(_nullable(prop)) for name, prop in node["properties"].items()}
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _or_null(out["additionalProperties"])
    return out


def _or_null(prop: dict) -> dict:
    options = prop.get("anyOf")
    if options is not None:
        if {"type": "null"} in options:
            return prop
        return {**prop, "anyOf": options + [{"type": "null"}]}
    if not prop:
        return prop
    meta = {k: prop[k] for k in ("description", "default") if k in prop}
    body = {k: v for k, v in prop.items() if k not in meta}
    return {"anyOf": [body, {"type": "null"}], **meta}


def _document(title: str, cls: Any, nullable: bool = False) -> dict:
    body = _object(cls)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **(_nullable(body) if nullable else body)}


SCHEMAS = {
    "schema.json": ("MLOps environment (envs/defaults.yaml and envs/<name>.yaml)", EnvironmentConfig),
    "access.schema.json": ("MLOps access matrix (envs/access.yaml)", AccessFile),
}
# projects/<file> -> which YAML files it describes (for editors' schema mappings).
PROJECT_SCHEMAS = {
    "project.schema.json": "projects/*/project.yaml",
    "job.schema.json": "projects/*/jobs/*.yml, projects/*/tests/*.yml",
    "pipeline.schema.json": "projects/*/delta_live_tables/*.yml",
}


def render_schema(file_name: str = "schema.json") -> str:
    """The JSON Schema document for one of SCHEMAS, as committed in envs/."""
    title, cls = SCHEMAS[file_name]
    return json.dumps(_document(title, cls, nullable=file_name == "schema.json"), indent=2) + "\n"


def render_project_schema(file_name: str) -> str:
    """The JSON Schema document for one of PROJECT_SCHEMAS, as committed in projects/."""
    from .projects.editor_schema import spec_schema
    from .projects.model import ProjectConfig

    if file_name == "project.schema.json":
        document = _document("MLOps ML project (projects/<name>/project.yaml)", ProjectConfig)
    else:
        document = spec_schema(file_name.split(".", 1)[0])
    return json.dumps(document, indent=2) + "\n"
