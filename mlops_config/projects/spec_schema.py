"""Check a job or pipeline spec (API shape, located) against the pinned provider's schema and
translate it into the provider's shape.

A field the provider does not know is an error naming the field, file and line, never dropped or
passed through. Deprecated fields are rejected with their replacement; fields Databricks sets
itself are rejected too. Values keep their Python type; references (JobRef, ...) pass through.
"""
from __future__ import annotations

from typing import Any

from provider_facts.specs import API_RENAMES, DEPRECATED

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


class SpecChecker:
    def __init__(self, keyed: dict[str, str]) -> None:
        self.errors: list[Diagnostic] = []
        self.keyed = keyed

    def error(self, node_loc, path: Path, message: str, expected: str | None = None,
              suggestion: str | None = None) -> None:
        self.errors.append(Diagnostic(node_loc, render(path), message, expected, suggestion))

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
                else:
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
                node = node.items[0]
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
            if isinstance(value, bool) or value is None:
                self.error(node.loc, path, f"expected text, got {_kind(node)}")
                return _INVALID
            return value if isinstance(value, str) else str(value)
        if tf_type == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.error(node.loc, path, f"expected a number, got {_kind(node)}")
                return _INVALID
            return value
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
