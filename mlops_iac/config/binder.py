"""Bind a located YAML tree to the frozen dataclass model, collecting every problem.

Checks: unknown keys (with the closest valid key suggested), wrong types, missing required
keys, enum values (Literal), patterns, lengths, ranges and duplicate list items. Records the
location of every bound value under its key path, so later rules can report file:line.

An environment is bound from its merged settings (see merge.py: every value keeps the location of
the file that set it). Given the environment's own tree (EnvironmentSource), a problem located in
a shared file names the environment, and a required key that neither file sets is reported in
the environment's own file, where the user would add it.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from .diagnostics import Diagnostic, closest
from .located import LMap, LNode, LScalar, LSeq, Location, plain

Path = tuple  # of str keys and int list indexes

INVALID = object()


def render_path(path: Path) -> str:
    """`storage.containers[2]`; a part already in brackets names a keyed item: `tasks[train]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("["):
            text += part
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


@dataclass(frozen=True)
class EnvironmentSource:
    """One environment's settings before the merge: its own file's tree and the defaults file."""
    name: str
    own: LNode
    defaults_file: Optional[str] = None

    @property
    def own_file(self) -> str:
        return self.own.loc.file

    def nearest_in_own_file(self, path: Path) -> Location:
        """The deepest mapping or list along ``path`` that the environment's own file writes."""
        node = self.own
        for part in path:
            if isinstance(node, LMap) and isinstance(part, str) and part in node.entries:
                node = node.entries[part].value
            elif isinstance(node, LSeq) and isinstance(part, int) and part < len(node.items):
                node = node.items[part]
            else:
                break
        return node.loc


class Locations:
    """Key path -> location of the value (and of the key) that set it."""

    def __init__(self, source: Optional[EnvironmentSource] = None) -> None:
        self.values: dict[Path, Location] = {}
        self.keys: dict[Path, Location] = {}
        self.source = source

    def environment_at(self, loc: Location) -> Optional[str]:
        """The environment to name in a diagnostic at ``loc``: set when the line lies outside the
        environment's own file (a default shared by every environment)."""
        if self.source is None or loc.file == self.source.own_file:
            return None
        return self.source.name

    def of(self, path: Path) -> Location:
        """The location of a path, or of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values[()]

    def key_of(self, path: Path) -> Location:
        return self.keys.get(tuple(path)) or self.of(path)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string '{value}'"
    if value is None:
        return "null"
    return type(value).__name__


def type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "a string"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(tp))
    if origin in (tuple, list):
        return "a list"
    if origin is dict or dataclasses.is_dataclass(tp):
        return "a mapping"
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) for a in typing.get_args(tp) if a is not type(None))
    return str(tp)


def _pick_by_shape(options: list, node: LNode) -> Any:
    """For `str | dict[...]`-style unions: the member that fits the YAML node's shape."""
    def shape(tp: Any) -> type:
        origin = typing.get_origin(tp)
        if dataclasses.is_dataclass(tp) or origin is dict:
            return LMap
        return LSeq if origin in (tuple, list) else LScalar
    for option in options:
        if isinstance(node, shape(option)):
            return option
    return options[0]


def _node_kind(node: LNode) -> str:
    if isinstance(node, LMap):
        return "a mapping"
    if isinstance(node, LSeq):
        return "a list"
    return _describe(node.value)


def diagnostic_at(locations: Locations, path: Path, message: str, expected: str | None = None,
                  suggestion: str | None = None) -> Diagnostic:
    """A diagnostic at the line that set ``path`` (or its nearest located parent)."""
    loc = locations.of(path)
    return Diagnostic(loc, render_path(path), message, expected, suggestion,
                      environment=locations.environment_at(loc))


@functools.lru_cache(maxsize=None)
def _shape(cls: type) -> tuple[dict[str, dataclasses.Field], dict[str, Any]]:
    """A dataclass's bindable fields and resolved type hints: resolving the string annotations
    costs more than binding a small mapping, and a model class never changes."""
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("derived")}
    return fields, typing.get_type_hints(cls)


class Binder:
    def __init__(self, source: Optional[EnvironmentSource] = None) -> None:
        self.errors: list[Diagnostic] = []
        self.locations = Locations(source)

    def error(self, loc: Location, path: Path, message: str, expected: str | None = None,
              suggestion: str | None = None) -> None:
        self.errors.append(Diagnostic(loc, render_path(path), message, expected, suggestion,
                                      environment=self.locations.environment_at(loc)))

    def missing(self, node: LMap, path: Path, name: str, expected: str) -> None:
        """A required key neither file sets: reported in the environment's own file (its nearest
        mapping there), saying where a default could come from. Inside a list the whole list
        comes from one file, so the key is reported where that list is written."""
        source = self.locations.source
        message = f"missing required key '{name}'"
        loc = node.loc
        if source is not None and not any(isinstance(part, int) for part in path):
            files = [source.own_file] + ([source.defaults_file] if source.defaults_file else [])
            message += ": not set in " + " nor in ".join(files)
            if loc.file != source.own_file:
                message += f" ({render_path(path)} comes from {loc})"
                loc = source.nearest_in_own_file(path)
        self.error(loc, path + (name,), message, expected)

    def bind(self, tp: Any, node: LNode, path: Path, meta: dict | None = None,
             derived: dict | None = None) -> Any:
        self.locations.values.setdefault(tuple(path), node.loc)
        origin = typing.get_origin(tp)
        if tp is Any:  # free-form data (e.g. a cluster policy definition): kept as written
            return plain(node)
        if origin in (Union, types.UnionType):
            inner = [a for a in typing.get_args(tp) if a is not type(None)]
            if isinstance(node, LScalar) and node.value is None:
                return None
            return self.bind(_pick_by_shape(inner, node), node, path, meta)
        if dataclasses.is_dataclass(tp):
            return self._bind_dataclass(tp, node, path, derived or {})
        if origin in (tuple, list):
            return self._bind_list(typing.get_args(tp)[0], node, path, meta or {})
        if origin is dict:
            return self._bind_dict(typing.get_args(tp)[1], node, path, meta or {})
        return self._bind_scalar(tp, node, path, meta or {})

    def _bind_dataclass(self, cls: Any, node: LNode, path: Path, derived: dict) -> Any:
        if not isinstance(node, LMap):
            self.error(node.loc, path, f"expected a mapping, got {_node_kind(node)}")
            return INVALID
        fields, hints = _shape(cls)
        for key, entry in node.entries.items():
            if key not in fields:
                self.error(entry.key_loc, path + (key,), f"unknown key '{key}'",
                           expected="one of " + ", ".join(sorted(fields)),
                           suggestion=closest(key, fields))
        values: dict[str, Any] = dict(derived)
        ok = True
        for name, f in fields.items():
            entry = node.entries.get(name)
            if entry is None:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    self.missing(node, path, name,
                                 type_name(hints[name]) + f" - {f.metadata.get('doc', '')}".rstrip(" -"))
                    ok = False
                continue
            self.locations.keys[path + (name,)] = entry.key_loc
            value = self.bind(hints[name], entry.value, path + (name,), dict(f.metadata))
            if value is INVALID:
                ok = False
            else:
                values[name] = value
        return cls(**values) if ok else INVALID

    def _bind_list(self, item_tp: Any, node: LNode, path: Path, meta: dict) -> Any:
        if not isinstance(node, LSeq):
            self.error(node.loc, path, f"expected a list, got {_node_kind(node)}")
            return INVALID
        items = [self.bind(item_tp, item, path + (i,), meta) for i, item in enumerate(node.items)]
        if any(item is INVALID for item in items):
            return INVALID
        if meta.get("unique"):
            seen: dict[Any, int] = {}
            for i, item in enumerate(items):
                if item in seen:
                    self.error(node.items[i].loc, path + (i,), f"duplicate entry '{item}'",
                               expected=f"each entry once (first at line {node.items[seen[item]].loc.line})")
                    return INVALID
                seen[item] = i
        return tuple(items)

    def _bind_dict(self, value_tp: Any, node: LNode, path: Path, meta: dict) -> Any:
        if not isinstance(node, LMap):
            self.error(node.loc, path, f"expected a mapping, got {_node_kind(node)}")
            return INVALID
        result = {}
        for key in sorted(node.entries):
            entry = node.entries[key]
            self.locations.keys[path + (key,)] = entry.key_loc
            value = self.bind(value_tp, entry.value, path + (key,), {})
            if value is INVALID:
                return INVALID
            result[key] = value
        return result

    def _bind_scalar(self, tp: Any, node: LNode, path: Path, meta: dict) -> Any:
        expected = type_name(tp)
        if not isinstance(node, LScalar):
            self.error(node.loc, path, f"expected {expected}, got {_node_kind(node)}")
            return INVALID
        value = node.value
        if typing.get_origin(tp) is Literal:
            options = typing.get_args(tp)
            if value not in options or isinstance(value, bool) != any(isinstance(o, bool) for o in options):
                self.error(node.loc, path, f"{_describe(value)} is not allowed",
                           expected=expected, suggestion=closest(str(value), map(str, options)))
                return INVALID
            return value
        if tp is str and not isinstance(value, str):
            hint = " (quote it to make it a string)" if isinstance(value, (int, float, bool)) else ""
            self.error(node.loc, path, f"expected a string, got {_describe(value)}{hint}")
            return INVALID
        if tp is bool and not isinstance(value, bool):
            self.error(node.loc, path, f"expected true or false, got {_describe(value)}")
            return INVALID
        if tp is int and (not isinstance(value, int) or isinstance(value, bool)):
            self.error(node.loc, path, f"expected a whole number, got {_describe(value)}")
            return INVALID
        return value if self._constraints_hold(value, node.loc, path, meta) else INVALID

    def _constraints_hold(self, value: Any, loc: Location, path: Path, meta: dict) -> bool:
        wording = meta.get("expected")
        if isinstance(value, str):
            if meta.get("min_len") is not None and len(value) < meta["min_len"] or \
               meta.get("max_len") is not None and len(value) > meta["max_len"]:
                self.error(loc, path, f"'{value}' has {len(value)} characters",
                           expected=wording or f"{meta.get('min_len') or 0}-{meta.get('max_len')} characters")
                return False
            if meta.get("pattern") and not re.fullmatch(meta["pattern"], value):
                self.error(loc, path, f"'{value}' breaks the naming rule",
                           expected=wording or f"a value matching {meta['pattern']}")
                return False
        if isinstance(value, int):
            low, high = meta.get("minimum"), meta.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                bounds = (f"a number from {low} to {high}" if low is not None and high is not None
                          else f"at least {low}" if low is not None else f"at most {high}")
                self.error(loc, path, f"{value} is out of range", expected=wording or bounds)
                return False
        return True


def bind_node(cls: Any, node: LNode, errors: list) -> tuple[Any, "Locations"] | None:
    """Bind a whole file's located tree to ``cls``: the object and its locations, or None (the
    problems are added to ``errors``)."""
    binder = Binder()
    bound = binder.bind(cls, node, ())
    errors.extend(binder.errors)
    return None if bound is INVALID else (bound, binder.locations)
