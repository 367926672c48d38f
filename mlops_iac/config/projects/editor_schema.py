"""JSON Schemas of job and pipeline specs for editors, generated from the pinned provider schema.

Written the way users write specs: API list names (`tasks`, `job_clusters`, `libraries`,
`git_source.git_url`), the same mapping the spec checker uses (spec_schema.py), so an editor
flags what the loader would reject: unknown and deprecated fields, fields Databricks sets itself,
wrong types. Where a number or boolean is expected, a whole-value placeholder (`'{workers}'`,
`'{job:train}'`) is accepted too, since placeholders are replaced before the check.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from mlops_iac.provider_facts.specs import API_RENAMES, TASK_TYPES, resource_schema

from .model import DeployOptions

PLACEHOLDER_ONLY = r"^\{[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z0-9_.-]+)?\}$"
_PLACEHOLDER = {"type": "string", "pattern": PLACEHOLDER_ONLY, "description": "a placeholder replaced per environment"}
# What the tool adds to a field's meaning (the provider schema carries no descriptions).
NOTES = {
    "name": "Job or pipeline name; deployed as <env>-<project>-<name>. Left out: the file name.",
    "notebook_path": "Absolute workspace path, '{REPO_PATH}/...', or relative to this spec as in a bundle "
                     "(resolved against the environment's git folder; notebook extension dropped).",
    "python_file": "Absolute path, '{REPO_PATH}/...', or relative to this spec (resolved against the git folder).",
    "path": "Absolute path, '{REPO_PATH}/...', or relative to this spec (resolved against the git folder).",
    "include": "A glob, relative to this spec or absolute; resolved against the git folder.",
    "whl": "One wheel file (no glob): absolute, '{REPO_PATH}/...', or relative to this spec.",
    "requirements": "A requirements file: absolute, '{REPO_PATH}/...', or relative to this spec.",
    "policy_id": "A key of the environment's cluster_policies. Left out: its job-compute policy.",
    "job_id": "'{job:<spec>}' for a job of this project, or a job id.",
    "pipeline_id": "'{pipeline:<spec>}' for a pipeline of this project, or a pipeline id.",
}
# Lists the API names in the singular too (depends_on, webhook events).
SINGULAR_LISTS = ("depends_on", "on_duration_warning_threshold_exceeded", "on_failure", "on_start",
                  "on_streaming_backlog_exceeded", "on_success")
SINGLE_TASK_FORMAT = TASK_TYPES + ("new_cluster", "libraries", "existing_cluster_id")
SHARED_MIN_SIZE = 2000  # a block this large, repeated, goes to $defs once
KINDS = {"job": ("databricks_job", "Jobs API 2.1"), "pipeline": ("databricks_pipeline", "Pipelines API")}


def _api_name(tf: str, spec: dict, renames: dict[str, str]) -> str:
    plural = next((api for api, name in renames.items() if name == tf), None)
    multi = spec["nesting"] != "single" and spec.get("max_items") != 1
    return plural or (tf + "s" if multi and not tf.endswith("s") and tf not in SINGULAR_LISTS else tf)


def _type(tf_type: Any) -> dict:
    if isinstance(tf_type, list) and tf_type[0] in ("list", "set"):
        return {"type": "array", "items": _type(tf_type[1])}
    if isinstance(tf_type, list) and tf_type[0] == "map":
        return {"type": "object", "additionalProperties": _type(tf_type[1])}
    if isinstance(tf_type, list):
        return {}
    if tf_type == "number":
        return {"anyOf": [{"type": "number"}, _PLACEHOLDER]}
    if tf_type == "bool":
        return {"anyOf": [{"type": "boolean"}, _PLACEHOLDER]}
    return {"type": "string"}


def _block(schema: dict, name: str) -> dict:
    renames = {**API_RENAMES["*"], **API_RENAMES.get(name, {})}
    properties: dict[str, dict] = {}
    required = []
    for tf, spec in sorted(schema["attributes"].items()):
        if spec.get("computed_only") or spec.get("deprecated"):
            continue
        api = next((a for a, t in renames.items() if t == tf), tf)
        note = NOTES.get(api, "")
        properties[api] = {**_type(spec["type"]), "description": f"{note} (provider: {tf})".strip()}
        if spec.get("required"):
            required.append(api)
    for tf, spec in sorted(schema["blocks"].items()):
        if spec.get("deprecated") or tf == "dbfs":
            continue
        api = _api_name(tf, spec, renames)
        inner = _block(spec["block"], tf)
        multi = spec["nesting"] != "single" and spec.get("max_items") != 1
        described = f"provider block {tf}{' (a list)' if multi else ''}"
        properties[api] = ({"type": "array", "items": inner, "description": described} if multi
                           else {**inner, "description": described})
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        out["required"] = sorted(required)
    return out


def spec_schema(kind: str) -> dict:
    """The JSON Schema document for job (jobs/*.yml, tests/*.yml) or pipeline specs."""
    from ..schema import object_schema

    resource, api = KINDS[kind]
    body = _block(resource_schema(resource), "")
    if kind == "job":  # the deprecated single-task format: the loader names the replacement
        for key in SINGLE_TASK_FORMAT:
            body["properties"].pop(key, None)
    deploy = object_schema(DeployOptions)
    deploy["description"] = "Where and how the tool deploys this spec; removed before it reaches Databricks."
    body["properties"]["deploy"] = deploy
    defs = _shared(body)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"MLOps {kind} spec ({api} payload, provider {resource} 1.99.0)", **body,
            **({"$defs": defs} if defs else {})}


def _shared(body: dict) -> dict:
    """Move large blocks that occur more than once (new_cluster, ...) into $defs."""
    seen: dict[str, tuple[str, int]] = {}

    def count(node: Any, name: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                text = json.dumps({k: v for k, v in node.items() if k != "description"}, sort_keys=True)
                if len(text) >= SHARED_MIN_SIZE:
                    seen[text] = (seen.get(text, (name, 0))[0], seen.get(text, (name, 0))[1] + 1)
            for key, value in node.items():
                count(value, key if key not in ("properties", "items") else name)
        elif isinstance(node, list):
            for item in node:
                count(item, name)

    count(body, "spec")
    shared = {text: name for text, (name, times) in seen.items() if times > 1}
    names: dict[str, str] = {}
    for text, name in sorted(shared.items(), key=lambda kv: (kv[1], kv[0])):
        unique, n = name, 2
        while unique in names.values():
            unique, n = f"{name}_{n}", n + 1
        names[text] = unique
    defs = {}

    def replace(node: Any, top: bool = False) -> Any:
        if isinstance(node, dict):
            if not top and node.get("type") == "object" and "properties" in node:
                text = json.dumps({k: v for k, v in node.items() if k != "description"}, sort_keys=True)
                if text in names:
                    if names[text] not in defs:
                        defs[names[text]] = replace(json.loads(text), top=True)
                    return {"$ref": f"#/$defs/{names[text]}",
                            **({"description": node["description"]} if "description" in node else {})}
            return {key: replace(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replace(item) for item in node]
        return node

    body.update(replace(body, top=True))
    return dict(sorted(defs.items()))


def expects_text(kind: str, path: tuple) -> bool:
    """Whether the spec field at an API-shaped path (keys and list indexes) takes text."""
    document = _documents(kind)
    node: Any = document
    for part in path:
        while isinstance(node, dict) and "$ref" in node:
            node = document["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
        else:
            properties = node.get("properties") if isinstance(node, dict) else None
            node = properties.get(part, {}) if properties is not None else (
                node.get("additionalProperties", {}) if isinstance(node, dict) else {})
    return isinstance(node, dict) and node.get("type") == "string"


@lru_cache(maxsize=None)
def _documents(kind: str) -> dict:
    return spec_schema(kind)
