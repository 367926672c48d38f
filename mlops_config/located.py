"""YAML parsed into trees whose every key and value remembers file, line and column.

The locations survive merging and binding so that a rule running late can still point at the
line that set a value. Scalars follow YAML 1.2 as ruamel.yaml resolves them: job specs copied from
the Jobs API, such as ``{quartz_cron_expression: 0 0 0 * * ?}``, parse as written, ``yes``/``on``
stay strings, octal needs ``0o``.

Two parsers, one result. The fast path reads libyaml's parse events (PyYAML's C parser, marks
included) and builds the located tree directly; scalars are resolved by ruamel's YAML 1.2 resolver.
It takes plain documents only: a file with a directive, an anchor, an alias, an explicit tag, an
empty value (`key:`, whose position the two parsers report differently) or a second document, and
any file libyaml rejects, goes through ruamel.yaml's pure-Python composer (the reference behaviour,
also for syntax error messages). Loading a hundred projects takes a fraction of a second instead of
seconds. Never imports cdktf.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml as pyyaml
from ruamel.yaml import YAML, nodes
from ruamel.yaml.error import MarkedYAMLError

from .diagnostics import Diagnostic


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class LScalar:
    value: Any
    loc: Location

    @property
    def is_null(self) -> bool:
        return self.value is None


@dataclass
class LEntry:
    key_loc: Location
    value: "LNode"


@dataclass
class LMap:
    loc: Location
    entries: dict[str, LEntry] = field(default_factory=dict)


@dataclass
class LSeq:
    loc: Location
    items: list["LNode"] = field(default_factory=list)


LNode = Union[LScalar, LMap, LSeq]

_yaml = YAML(typ="safe", pure=True)
_resolving = YAML(typ="safe", pure=True)  # never parses, so it always resolves by YAML 1.2


def _loc(file: str, node: nodes.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(file: str, node: nodes.Node, errors: list[Diagnostic], path: str) -> LNode:
    if isinstance(node, nodes.ScalarNode):
        return LScalar(_yaml.constructor.construct_object(node), _loc(file, node))
    if isinstance(node, nodes.SequenceNode):
        return LSeq(
            _loc(file, node),
            [_convert(file, item, errors, f"{path}[{i}]") for i, item in enumerate(node.value)],
        )
    if isinstance(node, nodes.MappingNode):
        result = LMap(_loc(file, node))
        for key_node, value_node in node.value:
            key_loc = _loc(file, key_node)
            if not isinstance(key_node, nodes.ScalarNode) or key_node.value == "<<":
                errors.append(Diagnostic(key_loc, path or "(top level)",
                                         "only plain string keys are supported "
                                         "(no YAML merge keys or complex keys)"))
                continue
            key = str(key_node.value)
            _add_entry(result, key, key_loc, _convert(file, value_node, errors, _child(path, key)), errors, path)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - there are no others


class _NotPlain(Exception):
    """The file uses a YAML feature the fast path leaves to ruamel.yaml."""


_PLAIN = (True, False)  # ruamel's "implicit" flags of a plain scalar: resolve its type from its text
_plain_values: dict[str, Any] = {}  # plain scalar text -> value (ints, bools, ... are immutable)


def _plain_value(text: str) -> Any:
    """A plain scalar's value exactly as ruamel.yaml's YAML 1.2 resolver and constructor give it."""
    try:
        return _plain_values[text]
    except KeyError:
        pass
    tag = _resolving.resolver.resolve(nodes.ScalarNode, text, _PLAIN)
    node = nodes.ScalarNode(tag, text)
    value = _resolving.constructor.construct_object(node)
    _resolving.constructor.constructed_objects.pop(node, None)
    _plain_values[text] = value
    return value


def _fast_tree(text: str, file: str, errors: list[Diagnostic]) -> LNode:
    """Build the located tree from libyaml's events; _NotPlain or YAMLError: use ruamel."""
    events = pyyaml.parse(text, Loader=pyyaml.CSafeLoader)
    next(events)  # StreamStart
    start = next(events)
    if isinstance(start, pyyaml.StreamEndEvent):
        return LMap(Location(file, 1, 1))  # empty file
    if start.version or start.tags:  # %YAML / %TAG directives: ruamel switches its rules
        raise _NotPlain
    tree = _fast_node(next(events), events, file, errors, "")
    next(events)  # DocumentEnd
    if not isinstance(next(events), pyyaml.StreamEndEvent):
        raise _NotPlain  # a second document: ruamel reports it
    return tree


def _fast_node(event, events, file: str, errors: list[Diagnostic], path: str) -> LNode:
    if getattr(event, "anchor", None) is not None or isinstance(event, pyyaml.AliasEvent):
        raise _NotPlain
    loc = Location(file, event.start_mark.line + 1, event.start_mark.column + 1)
    if isinstance(event, pyyaml.ScalarEvent):
        plain_scalar, quoted = event.implicit
        if plain_scalar:
            if event.start_mark.index == event.end_mark.index:
                raise _NotPlain  # an empty value (`key:`): ruamel places it differently
            return LScalar(_plain_value(event.value), loc)
        if quoted:
            return LScalar(event.value, loc)
        raise _NotPlain  # an explicit tag
    if event.tag is not None and not event.implicit:
        raise _NotPlain
    if isinstance(event, pyyaml.SequenceStartEvent):
        seq = LSeq(loc)
        item = next(events)
        while not isinstance(item, pyyaml.SequenceEndEvent):
            seq.items.append(_fast_node(item, events, file, errors, f"{path}[{len(seq.items)}]"))
            item = next(events)
        return seq
    result = LMap(loc)
    key = next(events)
    while not isinstance(key, pyyaml.MappingEndEvent):
        if not isinstance(key, pyyaml.ScalarEvent) or key.value == "<<" or key.anchor is not None \
                or not (key.implicit[0] or key.implicit[1]):
            raise _NotPlain  # complex, merge, anchored or tagged keys: ruamel reports them
        key_loc = Location(file, key.start_mark.line + 1, key.start_mark.column + 1)
        value = _fast_node(next(events), events, file, errors, _child(path, key.value))
        _add_entry(result, key.value, key_loc, value, errors, path)
        key = next(events)
    return result


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _add_entry(result: LMap, key: str, key_loc: Location, value: LNode, errors: list[Diagnostic],
               path: str) -> None:
    if key in result.entries:
        first = result.entries[key].key_loc
        errors.append(Diagnostic(key_loc, _child(path, key),
                                 f"duplicate key '{key}' (first set at line {first.line}); "
                                 "YAML would silently keep only the last one"))
        return
    result.entries[key] = LEntry(key_loc, value)


def load_yaml(path: Path, display: str, errors: list[Diagnostic]) -> LNode | None:
    """Parse one file into a located tree; syntax errors become diagnostics, not exceptions."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(Diagnostic(Location(display, 1, 1), "(file)", f"cannot read file: {exc}"))
        return None
    found: list[Diagnostic] = []
    try:
        tree = _fast_tree(text, display, found)
    except (_NotPlain, pyyaml.YAMLError):
        return _ruamel_tree(text, display, errors)
    errors.extend(found)
    return tree


def _ruamel_tree(text: str, display: str, errors: list[Diagnostic]) -> LNode | None:
    """The reference path: ruamel.yaml's composer (pure Python, every YAML feature it supports)."""
    try:
        node = _yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        errors.append(Diagnostic(loc, "(syntax)", f"invalid YAML: {exc.problem or exc}"))
        return None
    if node is None:  # empty file
        return LMap(Location(display, 1, 1))
    return _convert(display, node, errors, "")


def plain(node: LNode | None) -> Any:
    """Strip locations: the plain Python value of a located tree."""
    if node is None:
        return None
    if isinstance(node, LScalar):
        return node.value
    if isinstance(node, LSeq):
        return [plain(item) for item in node.items]
    return {key: plain(entry.value) for key, entry in node.entries.items()}
