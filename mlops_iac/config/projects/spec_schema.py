"""Check a job or pipeline spec (API shape, located) against the pinned provider's schema and
translate it into the provider's shape.

A field the provider does not know is an error naming the field, file and line, never dropped or
passed through. Deprecated fields are rejected with their replacement; fields Databricks sets
itself are rejected too. Values keep their Python type; references (JobRef, ...) pass through.

Values are checked as the API checks them: enum fields against the values of the pinned
databricks-sdk (a value differing only in case gets "did you mean"), numbers for integrality,
documented limits and what survives the trip through cdktf (JavaScript numbers), keys (task_key,
job_cluster_key, ...) must be text. Booleans and numbers where text is expected elsewhere are
converted as Terraform would convert them ("true", "2.5"), with a warning.
"""
from __future__ import annotations

import functools
from typing import Any

from decimal import Decimal

from mlops_iac.provider_facts.enums import enum_fields, integer_fields
from mlops_iac.provider_facts.specs import API_RENAMES, CASE_INSENSITIVE_ENUMS, DEPRECATED, KEY_FIELDS, NUMBER_LIMITS

from ..binder import render_path as render
from ..diagnostics import Diagnostic, closest
from ..located import LMap, LNode, LScalar, LSeq
from .refs import Ref

Path = tuple


def item_label(node: LNode, index: int, key: str | None) -> str:
    """`[train]` for a keyed list item, `[2]` otherwise: errors name tasks as users do."""
    if key and isinstance(node, LMap) and key in node.entries:
        value = node.entries[key].value
        if isinstance(value, LScalar) and isinstance(value.value, str):
            return f"[{value.value}]"
    return f"[{index}]"


INT64 = (-(2 ** 63), 2 ** 63 - 1)
EXACT_IN_JAVASCRIPT = 2 ** 53  # cdktf passes numbers through JavaScript doubles


@functools.lru_cache(maxsize=16384)  # the same paths in every spec and environment
def api_path(path: Path) -> tuple[str, ...]:
    """A rendered key path as the enum tables name it: tasks[train].run_if -> tasks.*.run_if."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append("*")
        elif "[" in part:
            out += [part[:part.index("[")], "*"]
        else:
            out.append(part)
    return tuple(out)


def terraform_text(value: Any) -> str:
    """A boolean or number as Terraform converts it to a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


class SpecChecker:
    def __init__(self, keyed: dict[str, str], resource: str | None = None) -> None:
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.keyed = keyed
        self.enums = enum_fields(resource) if resource else {}
        self.integers = integer_fields(resource) if resource else frozenset()

    def error(self, node_loc, path: Path, message: str, expected: str | None = None,
              suggestion: str | None = None) -> None:
        self.errors.append(Diagnostic(node_loc, render(path), message, expected, suggestion))

    def warning(self, node_loc, path: Path, message: str, expected: str | None = None) -> None:
        self.warnings.append(Diagnostic(node_loc, render(path), message, expected, severity="warning"))

    def enum(self, node: LNode, path: Path) -> bool:
        """False (and an error) when an enum field holds a value the API does not accept."""
        key = api_path(path)
        options = self.enums.get(key)
        if options is None and isinstance(node, LSeq) and key + ("*",) in self.enums:
            return all([self.enum(item, path + (i,)) for i, item in enumerate(node.items)])
        if options is None or not isinstance(node, LScalar) or isinstance(node.value, Ref):
            return True
        if isinstance(node.value, str) and node.value in options:
            return True
        if isinstance(node.value, str) and key[-1] in CASE_INSENSITIVE_ENUMS and \
                node.value.lower() in {o.lower() for o in options}:
            return True
        self.error(node.loc, path, f"{_kind(node)} is not a valid {path[-1] if isinstance(path[-1], str) else 'value'}",
                   "one of " + ", ".join(options), closest(str(node.value), options))
        return False

    def number(self, node: LScalar, value: Any, path: Path) -> bool:
        """False (and an error) for a number the API or the trip through cdktf would not keep."""
        field = next((p for p in reversed(api_path(path)) if p != "*"), "")
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            self.error(node.loc, path, f"{_kind(node)} is not a number Databricks accepts", "a finite number")
            return False
        if api_path(path) in self.integers and not (isinstance(value, int) or value.is_integer()):
            self.error(node.loc, path, f"{_kind(node)} is not a whole number", f"an integer {field}")
            return False
        if not INT64[0] <= value <= INT64[1]:
            self.error(node.loc, path, f"{_kind(node)} is outside the 64-bit integer range", "a smaller number")
            return False
        if abs(value) > EXACT_IN_JAVASCRIPT:
            self.error(node.loc, path, f"{_kind(node)} would lose precision on its way through cdktf "
                       "(JavaScript numbers are exact only up to 2^53)", f"at most {EXACT_IN_JAVASCRIPT}")
            return False
        low, high = NUMBER_LIMITS.get(field, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (f"{low} to {high}" if high is not None else f"at least {low}") if low is not None \
                else f"at most {high}"
            self.error(node.loc, path, f"{field} {terraform_text(value)} is outside what Databricks accepts",
                       bounds)
            return False
        return True

    def block(self, node: LNode, schema: dict, path: Path, name: str = "") -> dict | None:
        if not isinstance(node, LMap):
            self.error(node.loc, path, f"expected a mapping, got {_kind(node)}")
            return None
        attributes, blocks = schema["attributes"], schema["blocks"]
        renames = {**API_RENAMES["*"], **API_RENAMES.get(name, {})}
        out: dict[str, Any] = {}
        for key, entry in node.entries.items():
            child = path + (key,)
            tf = renames.get(key) or (key if key in attributes or key in blocks else None)
            if tf is None and key.endswith("s") and key[:-1] in blocks:
                tf = key[:-1]
            if tf is None:
                api_names = self._api_names(schema, renames)  # only for the message: costly per block
                self.error(entry.key_loc, child, f"unknown field '{key}' for provider databricks 1.99.0",
                           "one of " + ", ".join(sorted(api_names)), closest(key, api_names))
                continue
            if tf in attributes:
                spec = attributes[tf]
                if spec.get("computed_only"):
                    self.error(entry.key_loc, child, f"'{key}' is set by Databricks, not by a spec")
                elif spec.get("deprecated"):
                    self.error(entry.key_loc, child, f"'{key}' is deprecated in provider 1.99",
                               DEPRECATED.get(tf, "its replacement in the provider docs"))
                elif self.enum(entry.value, child):
                    value = self.attribute(entry.value, spec["type"], child)
                    if value is not _INVALID:
                        out[tf] = value
            else:
                value = self.nested(entry.value, blocks[tf], child, tf)
                if value is not None:
                    out[tf] = value
        for tf, spec in attributes.items():
            if spec.get("required") and tf not in out and not any(
                    renames.get(k) == tf or k == tf for k in node.entries):
                self.error(node.loc, path + (tf,), f"missing required field '{tf}'")
        return out

    def nested(self, node: LNode, spec: dict, path: Path, name: str) -> Any:
        if name in ("dbfs",) or spec.get("deprecated"):
            self.error(node.loc, path, f"'{name}' is deprecated in provider 1.99",
                       DEPRECATED.get(name, "its replacement in the provider docs"))
            return None
        single = spec["nesting"] == "single" or spec.get("max_items") == 1
        if single:
            if isinstance(node, LSeq):
                if len(node.items) != 1:
                    self.error(node.loc, path, f"'{name}' takes one mapping, got a list of {len(node.items)}")
                    return None
                node, path = node.items[0], path[:-1] + (f"{path[-1]}[0]",)
            return self.block(node, spec["block"], path, name)
        items = node.items if isinstance(node, LSeq) else [node]
        key = self.keyed.get(path[-1]) if path else None
        out = []
        for i, item in enumerate(items):
            value = self.block(item, spec["block"], path[:-1] + (path[-1] + item_label(item, i, key),), name)
            if value is not None:
                out.append(value)
        return out

    def attribute(self, node: LNode, tf_type: Any, path: Path) -> Any:
        if isinstance(tf_type, list) and tf_type[0] in ("list", "set"):
            if not isinstance(node, LSeq):
                self.error(node.loc, path, f"expected a list, got {_kind(node)}")
                return _INVALID
            values = [self.attribute(item, tf_type[1], path + (i,)) for i, item in enumerate(node.items)]
            return _INVALID if _INVALID in values else values
        if isinstance(tf_type, list) and tf_type[0] == "map":
            if not isinstance(node, LMap):
                self.error(node.loc, path, f"expected a mapping, got {_kind(node)}")
                return _INVALID
            values = {k: self.attribute(e.value, tf_type[1], path + (k,)) for k, e in sorted(node.entries.items())}
            return _INVALID if _INVALID in values.values() else values
        if isinstance(tf_type, list):  # object types: rare in these resources; kept as written
            from ..located import plain
            return plain(node)
        if not isinstance(node, LScalar):
            wanted = {"string": "text", "number": "a number", "bool": "true or false"}.get(tf_type, tf_type)
            self.error(node.loc, path, f"expected {wanted}, got {_kind(node)}")
            return _INVALID
        value = node.value
        if isinstance(value, Ref):
            return value
        if tf_type == "string":
            if isinstance(value, str):
                return value
            if value is None or not isinstance(value, (bool, int, float)):
                self.error(node.loc, path, f"expected text, got {_kind(node)}")
                return _INVALID
            field = path[-1] if path else ""
            if field in KEY_FIELDS or (field == "name" and len(path) > 1 and str(path[-2]).startswith("parameters")):
                self.error(node.loc, path, f"expected text, got {_kind(node)}", f"a {field} in quotes, e.g. "
                           f"'{terraform_text(value)}' (keys are compared as text)")
                return _INVALID
            converted = terraform_text(value)
            self.warning(node.loc, path, f"{_kind(node)} where text is expected: sent as '{converted}', as "
                         "Terraform would convert it", f"text: write it in quotes, '{converted}'")
            return converted
        if tf_type == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                quoted = isinstance(value, str) and value.strip().lstrip("-").replace(".", "", 1).isdigit()
                self.error(node.loc, path, f"expected a number, got {_kind(node)}",
                           f"{value.strip()} without quotes (numbers are not converted)" if quoted else None)
                return _INVALID
            return value if self.number(node, value, path) else _INVALID
        if tf_type == "bool":
            if not isinstance(value, bool):
                self.error(node.loc, path, f"expected true or false, got {_kind(node)}")
                return _INVALID
            return value
        return value

    @staticmethod
    def _api_names(schema: dict, renames: dict[str, str]) -> set[str]:
        names = {n for n, s in schema["attributes"].items() if not s.get("computed_only") and not s.get("deprecated")}
        for name, spec in schema["blocks"].items():
            plural = next((api for api, tf in renames.items() if tf == name), None)
            multi = spec["nesting"] != "single" and spec.get("max_items") != 1
            names.add(plural or (name + "s" if multi and not name.endswith("s") else name))
        names |= {api for api, tf in renames.items() if tf in schema["attributes"]}
        return names


_INVALID = object()


def _kind(node: LNode) -> str:
    if isinstance(node, LMap):
        return "a mapping"
    if isinstance(node, LSeq):
        return "a list"
    value = node.value
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "null"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, str) else f"'{value}'"
