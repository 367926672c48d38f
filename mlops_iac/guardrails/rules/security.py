"""NO-LITERAL-SECRETS and EXPLICIT-PERMISSIONS.

The secret detector is shared with the config loader (mlops_iac.provider_facts.secret_patterns), which
reports the same secrets earlier at their YAML or script line; here it guards what reaches the
JSON by other routes. Uploaded files (content_base64) are decoded and scanned line by line.
"""
import base64
import binascii
import json
from typing import Any, Iterable

from mlops_iac.provider_facts.secret_patterns import find_secret, find_secrets_in_text

from ..model import COMPLIANT, NOT_APPLICABLE, ResourceView, StackView, Verdict, non_compliant

GOVERNED = {  # resource type -> how an ACL names it
    "databricks_job": ("databricks_permissions", "job_id"),
    "databricks_pipeline": ("databricks_permissions", "pipeline_id"),
    "databricks_mlflow_experiment": ("databricks_permissions", "experiment_id"),
    "databricks_mlflow_model": ("databricks_permissions", "registered_model_id"),
    "databricks_registered_model": ("databricks_grants", "model"),
}


def _strings(value: Any, path: str = "", key: str = "") -> Iterable[tuple[str, str, Any]]:
    """(path, the key that holds the value, value); a {name: X, value: ...} item holds it under X."""
    if isinstance(value, dict):
        named = value.get("name") if isinstance(value.get("name"), str) else None
        for child, item in value.items():
            if child != "//":
                holder = named if named and child in ("default", "value") else child
                yield from _strings(item, f"{path}.{child}" if path else child, holder)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", key)
    elif isinstance(value, str) and value.startswith("{") and (inner := _json_object(value)) is not None:
        yield from _policy(inner, path)  # a policy definition: attribute -> {type, value}
    else:
        yield path, key, value


def _json_object(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _policy(definition: dict, path: str) -> Iterable[tuple[str, str, Any]]:
    for attribute, rule in definition.items():
        for field in ("value", "values", "defaultValue"):
            item = rule.get(field) if isinstance(rule, dict) else None
            for leaf in item if isinstance(item, list) else [item] if item is not None else []:
                yield f"{path}[{attribute}].{field}", str(attribute), leaf


def _decoded(value: str) -> str | None:
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _leaf_holds_secret(key: str, value: Any) -> bool:
    if key == "content_base64" and isinstance(value, str) and "${" not in value:
        content = _decoded(value)
        return content is not None and bool(find_secrets_in_text(content))
    return find_secret(value, key) is not None


def _holds_secret(value: Any, key: str = "") -> bool:
    """Whether the walk of ``_strings`` meets a secret: the same walk without building key paths or
    generators. Almost every resource holds none, and only those that do are walked again to say
    where."""
    if isinstance(value, dict):
        named = value.get("name") if isinstance(value.get("name"), str) else None
        return any(_holds_secret(item, named if named and child in ("default", "value") else child)
                   for child, item in value.items() if child != "//")
    if isinstance(value, list):
        return any(_holds_secret(item, key) for item in value)
    if isinstance(value, str) and value.startswith("{") and (inner := _json_object(value)) is not None:
        return any(_leaf_holds_secret(attribute, leaf) for _, attribute, leaf in _policy(inner, ""))
    return _leaf_holds_secret(key, value)


def no_literal_secrets(resource: ResourceView, stack: StackView) -> Verdict:
    if not _holds_secret(resource.config):
        return COMPLIANT
    for path, leaf, value in _strings(resource.config):
        if leaf == "content_base64" and isinstance(value, str) and "${" not in value:
            content = _decoded(value)
            found = find_secrets_in_text(content) if content is not None else []
            if found:
                return non_compliant(f"{path} (decoded, line {found[0].line}) holds {found[0].describe()}")
            continue
        secret = find_secret(value, leaf)
        if secret is not None:
            return non_compliant(f"{path} holds {secret.describe()}")
    return COMPLIANT


def explicit_permissions(resource: ResourceView, stack: StackView) -> Verdict:
    if resource.rtype not in GOVERNED:
        return NOT_APPLICABLE
    acl_type, argument = GOVERNED[resource.rtype]
    if resource.address in stack.referenced_by(acl_type, argument):
        return COMPLIANT
    return non_compliant(f"no {acl_type} names {resource.config.get('name', resource.name)}")
