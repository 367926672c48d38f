"""Cluster policy definitions: are they well formed, and does a cluster satisfy one?

Pure logic over plain values (no locations, no config model), with Databricks' semantics:
- `fixed`: the value must equal the rule's; left out, Databricks sets it (`hidden` only hides it
  in the UI);
- `forbidden`: the attribute must be absent;
- `allowlist` / `blocklist`: the value is (not) one of `values`;
- `regex`: the whole value matches `pattern`;
- `range`: a number within `minValue` / `maxValue`;
- `unlimited`: anything;
- an attribute left out takes `defaultValue` only with apply_policy_default_values; a limited
  attribute neither given nor defaulted is required unless `isOptional`;
- the virtual attribute `cluster_type` is all-purpose, job or dlt.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Optional

from mlops_iac.provider_facts.policies import (
    CLUSTER_TYPES, MAP_ATTRIBUTES, RULE_FIELDS, RULE_REQUIRES, RULE_TYPES, attribute_type,
)

from .diagnostics import closest

# Attributes Databricks does not need when their alternative is given (fixed size vs autoscale),
# or that a cluster type does not take: a DLT pipeline's runtime follows its channel, and job and
# pipeline clusters end with their run (no auto-termination).
ALTERNATIVES = {"num_workers": "autoscale.", "autoscale.min_workers": "num_workers",
                "autoscale.max_workers": "num_workers"}
NOT_TAKEN = {"job": ("autotermination_minutes",), "dlt": ("spark_version", "autotermination_minutes")}


@dataclass(frozen=True)
class Problem:
    """A malformed rule: the attribute, the rule field at fault (or None), what is wrong."""
    attribute: str
    field: Optional[str]
    message: str
    expected: Optional[str] = None
    suggestion: Optional[str] = None


@dataclass(frozen=True)
class Violation:
    """A cluster attribute against a rule: what was given and what the rule allows."""
    attribute: str
    rule: str
    message: str
    allowed: str


def text(value: Any) -> str:
    """A value as Databricks compares it: numbers without a spurious '.0', booleans lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value) or math.isinf(value)
    if isinstance(value, Mapping):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_non_finite(v) for v in value)
    return False


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float))


def _type_fits(value: Any, kind: Optional[str]) -> bool:
    if kind == "number":
        return _is_number(value)
    if kind == "bool":
        return isinstance(value, bool)
    return _scalar(value)


# --- definitions -------------------------------------------------------------------------------

def definition_problems(definition: Mapping[str, Any]) -> list[Problem]:
    """Every malformed rule of a definition: unknown attributes and rule types, fields a type
    needs or does not take, NaN / Infinity, values of the wrong type."""
    problems: list[Problem] = []
    for attribute, rule in definition.items():
        problems.extend(_rule_problems(str(attribute), rule))
    return problems


def _rule_problems(attribute: str, rule: Any) -> Iterator[Problem]:
    kind = attribute_type(attribute)
    if kind is None:
        yield Problem(attribute, None, f"'{attribute}' is not a cluster attribute a policy can limit",
                      "a Clusters API attribute path such as node_type_id, custom_tags.<tag>, "
                      "autoscale.max_workers or the virtual cluster_type",
                      closest(attribute, _known_paths()))
    if not isinstance(rule, Mapping):
        yield Problem(attribute, None, "a rule must be an object", '{"type": "fixed", "value": ...}')
        return
    rule_type = rule.get("type")
    if rule_type not in RULE_TYPES:
        yield Problem(attribute, "type", f"unknown rule type {rule_type!r}" if rule_type is not None
                      else "rule without a type", "one of " + ", ".join(RULE_TYPES),
                      closest(str(rule_type), RULE_TYPES) if rule_type is not None else None)
        return
    if _non_finite(rule):
        yield Problem(attribute, None, "NaN or Infinity in a rule", "finite JSON numbers")
        return
    for field in rule:
        if field not in RULE_FIELDS[rule_type]:
            yield Problem(attribute, field, f"'{field}' does not belong to a {rule_type} rule",
                          "one of " + ", ".join(RULE_FIELDS[rule_type]), closest(field, RULE_FIELDS[rule_type]))
    for field in RULE_REQUIRES.get(rule_type, ()):
        if field not in rule:
            yield Problem(attribute, None, f"a {rule_type} rule needs '{field}'")
    if rule_type == "range" and "minValue" not in rule and "maxValue" not in rule:
        yield Problem(attribute, None, "a range rule needs minValue or maxValue")
    for flag in ("hidden", "isOptional"):
        if flag in rule and not isinstance(rule[flag], bool):
            yield Problem(attribute, flag, f"{flag} is {text(rule[flag])!r}", "true or false")
    yield from _value_problems(attribute, rule_type, rule, kind)


def _value_problems(attribute: str, rule_type: str, rule: Mapping[str, Any], kind: Optional[str]) -> Iterator[Problem]:
    what = {"number": "a number", "bool": "true or false"}.get(kind or "", "a string, number or boolean")
    if "value" in rule and not _type_fits(rule["value"], kind):
        yield Problem(attribute, "value", f"value {rule['value']!r} does not fit {attribute}", what)
    if "values" in rule:
        values = rule["values"]
        if not isinstance(values, list) or not values:
            yield Problem(attribute, "values", "values must be a non-empty list", "[value, ...]")
        else:
            for value in values:
                if not _type_fits(value, kind):
                    yield Problem(attribute, "values", f"value {value!r} does not fit {attribute}", what)
    if "pattern" in rule:
        if not isinstance(rule["pattern"], str):
            yield Problem(attribute, "pattern", "pattern must be a string", "a regular expression")
        else:
            try:
                re.compile(rule["pattern"])
            except re.error as exc:
                yield Problem(attribute, "pattern", f"pattern does not compile: {exc}", "a regular expression")
    if rule_type == "range":
        if kind not in (None, "number"):
            yield Problem(attribute, "type", f"a range rule on {attribute}, which is not a number",
                          "allowlist, regex or fixed for text")
        for field in ("minValue", "maxValue"):
            if field in rule and not _is_number(rule[field]):
                yield Problem(attribute, field, f"{field} {rule[field]!r} is not a number", "a number")
        low, high = rule.get("minValue"), rule.get("maxValue")
        if _is_number(low) and _is_number(high) and low > high:
            yield Problem(attribute, "minValue", f"minValue {text(low)} is above maxValue {text(high)}",
                          "minValue <= maxValue")
    if attribute == "cluster_type":
        for value in ([rule["value"]] if "value" in rule else []) + list(rule.get("values") or []):
            if value not in CLUSTER_TYPES:
                yield Problem(attribute, "value" if "value" in rule else "values",
                              f"{value!r} is not a cluster type", "one of " + ", ".join(CLUSTER_TYPES),
                              closest(str(value), CLUSTER_TYPES))
    if "defaultValue" in rule:
        default = rule["defaultValue"]
        broken = _check(rule_type, rule, default) if _type_fits(default, kind) else f"{default!r} is not {what}"
        if broken:
            yield Problem(attribute, "defaultValue", f"defaultValue breaks its own rule: {broken}",
                          _allowed(rule_type, rule))


def _known_paths() -> list[str]:
    from mlops_iac.provider_facts.policies import cluster_attribute_types
    return sorted(cluster_attribute_types())


def effective_definition(definition: Optional[Mapping[str, Any]], family: Optional[Mapping[str, Any]],
                         overrides: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """What Databricks enforces: the definition, or the family's rules with overrides on top."""
    if definition is not None:
        return dict(definition)
    return {**(family or {}), **(overrides or {})}


# --- clusters ----------------------------------------------------------------------------------

def flatten(cluster: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A cluster spec as policy attribute paths: autoscale.max_workers, custom_tags.team,
    spark_conf.<key> (keys keep their dots), init_scripts.0.workspace.destination."""
    out: dict[str, Any] = {}
    for key, value in cluster.items():
        path = prefix + str(key)
        if not prefix and key in MAP_ATTRIBUTES and isinstance(value, Mapping):
            out.update({f"{path}.{k}": v for k, v in value.items()})
        elif isinstance(value, Mapping):
            out.update(flatten(value, path + "."))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    out.update(flatten(item, f"{path}.{i}."))
                else:
                    out[f"{path}.{i}"] = item
        else:
            out[path] = value
    return out


def evaluate(definition: Mapping[str, Any], cluster: Mapping[str, Any], cluster_type: str,
             apply_policy_default_values: bool) -> list[Violation]:
    """Every rule of a (well-formed) definition the cluster breaks."""
    values = {**flatten(cluster), "cluster_type": cluster_type}
    found: list[Violation] = []
    for attribute, rule in sorted(definition.items()):
        rule_type = rule.get("type")
        if attribute == "dbus_per_hour":
            continue  # depends on prices Databricks knows, not the spec
        if "*" in attribute:
            pattern = re.compile(re.escape(attribute).replace(r"\*", r"[0-9]+"))
            matches = [(k, v) for k, v in sorted(values.items()) if pattern.fullmatch(k)]
        else:
            matches = [(attribute, values[attribute])] if attribute in values else []
        if not matches:
            missing = _missing(attribute, rule, values, cluster_type, apply_policy_default_values)
            if missing:
                found.append(Violation(attribute, rule_type, missing, _allowed(rule_type, rule)))
            continue
        for path, value in matches:
            broken = _check(rule_type, rule, value)
            if broken:
                found.append(Violation(path, rule_type, broken, _allowed(rule_type, rule)))
    return found


def _missing(attribute: str, rule: Mapping[str, Any], values: Mapping[str, Any], cluster_type: str,
             apply_defaults: bool) -> Optional[str]:
    rule_type = rule.get("type")
    if rule_type in ("fixed", "forbidden") or "*" in attribute or rule.get("isOptional") is True:
        return None
    if apply_defaults and "defaultValue" in rule:
        return None
    alternative = ALTERNATIVES.get(attribute)
    if alternative and any(k == alternative or k.startswith(alternative) for k in values):
        return None
    if attribute in NOT_TAKEN.get(cluster_type, ()):
        return None
    why = ("the policy's defaultValue applies only with apply_policy_default_values: true"
           if "defaultValue" in rule else "the policy requires it (no defaultValue, not isOptional)")
    return f"{attribute} is not set and {why}"


def _check(rule_type: str, rule: Mapping[str, Any], value: Any) -> Optional[str]:
    """Why a value breaks a rule, or None."""
    given = text(value)
    shown = given if isinstance(value, (bool, int, float)) else f"'{given}'"
    if rule_type == "fixed":
        return None if given == text(rule.get("value")) else f"{shown} differs from the fixed value"
    if rule_type == "forbidden":
        return f"{shown} is set but the attribute is forbidden"
    if rule_type in ("allowlist", "blocklist"):
        listed = given in {text(v) for v in rule.get("values") or ()}
        if rule_type == "allowlist" and not listed:
            return f"{shown} is not in the allowlist"
        if rule_type == "blocklist" and listed:
            return f"{shown} is in the blocklist"
        return None
    if rule_type == "regex":
        return None if re.fullmatch(str(rule.get("pattern", "")), given) else f"{shown} does not match the pattern"
    if rule_type == "range":
        if not _is_number(value):
            return f"{shown} is not a number"
        low, high = rule.get("minValue"), rule.get("maxValue")
        if low is not None and value < low:
            return f"{given} is below the minimum"
        if high is not None and value > high:
            return f"{given} is above the maximum"
    return None


def _allowed(rule_type: Optional[str], rule: Mapping[str, Any]) -> str:
    if rule_type == "fixed":
        return f"fixed: {text(rule.get('value'))}"
    if rule_type == "forbidden":
        return "forbidden: leave it out"
    if rule_type in ("allowlist", "blocklist"):
        values = ", ".join(text(v) for v in rule.get("values") or ())
        return f"one of {values}" if rule_type == "allowlist" else f"none of {values}"
    if rule_type == "regex":
        return f"a value matching {rule.get('pattern')}"
    if rule_type == "range":
        low, high = rule.get("minValue"), rule.get("maxValue")
        if low is not None and high is not None:
            return f"{text(low)} to {text(high)}"
        return f"at least {text(low)}" if low is not None else f"at most {text(high)}"
    return "any value"
