"""NO-LITERAL-SECRETS and EXPLICIT-PERMISSIONS."""
import re
from typing import Any, Iterable

from ..model import COMPLIANT, NOT_APPLICABLE, SECRET_KEYS, SECRET_PATTERNS, ResourceView, StackView, Verdict, non_compliant

GOVERNED = {  # resource type -> how an ACL names it
    "databricks_job": ("databricks_permissions", "job_id"),
    "databricks_pipeline": ("databricks_permissions", "pipeline_id"),
    "databricks_mlflow_experiment": ("databricks_permissions", "experiment_id"),
    "databricks_mlflow_model": ("databricks_permissions", "registered_model_id"),
    "databricks_registered_model": ("databricks_grants", "model"),
}


def _strings(value: Any, path: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "//":
                yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")
    else:
        yield path, value


ANY_SECRET = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in SECRET_PATTERNS))


def no_literal_secrets(resource: ResourceView, stack: StackView) -> Verdict:
    for path, value in _strings(resource.config):
        leaf = path.rsplit(".", 1)[-1]
        if leaf in SECRET_KEYS and isinstance(value, str) and value and "${" not in value:
            return non_compliant(f"{path} holds a literal value")
        if isinstance(value, str) and ANY_SECRET.search(value):  # one scan; which one only on a hit
            for what, pattern in SECRET_PATTERNS:
                if pattern.search(value):
                    return non_compliant(f"{path} looks like a {what}")
    return COMPLIANT


def explicit_permissions(resource: ResourceView, stack: StackView) -> Verdict:
    if resource.rtype not in GOVERNED:
        return NOT_APPLICABLE
    acl_type, argument = GOVERNED[resource.rtype]
    if resource.address in stack.referenced_by(acl_type, argument):
        return COMPLIANT
    return non_compliant(f"no {acl_type} names {resource.config.get('name', resource.name)}")
