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
from typing import Any, Optional, Union

import yaml as pyyaml
from ruamel.yaml import YAML, nodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .diagnostics import Diagnostic
from .safe_read import MAX_DEPTH, InputError, read_text

MAX_NODES = 100_000  # values of one file once its aliases are expanded
LARGE_TEXT = 256 * 1024  # characters: a syntax error in a larger file is reported as libyaml words it


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


class AliasBudget:
    """Alias expansion and nesting bounds of one file: a billion-laughs file or a recursive alias
    (``&a [1, *a]``) becomes one diagnostic instead of a hang or a RecursionError."""

    def __init__(self) -> None:
        self.nodes = 0
        self.open: set[int] = set()  # ids of the nodes being converted (an alias back to one: a cycle)
        self.failed = False


def _convert(file: str, node: nodes.Node, errors: list[Diagnostic], path: str,
             budget: Optional[AliasBudget] = None, depth: int = 0) -> Optional[LNode]:
    budget = budget or AliasBudget()
    if budget.failed:
        return None
    budget.nodes += 1
    problem = None
    if id(node) in budget.open:
        problem = "a YAML alias refers to a node that contains it (a recursive alias)"
    elif budget.nodes > MAX_NODES:
        problem = f"more than {MAX_NODES} values once aliases are expanded (an alias bomb?)"
    elif depth > MAX_DEPTH:
        problem = f"nested deeper than {MAX_DEPTH} levels"
    if problem:
        budget.failed = True
        errors.append(Diagnostic(_loc(file, node), path or "(top level)", problem))
        return None
    if isinstance(node, nodes.ScalarNode):
        return scalar_value(file, node, errors, path)
    budget.open.add(id(node))
    try:
        if isinstance(node, nodes.SequenceNode):
            items = [_convert(file, item, errors, f"{path}[{i}]", budget, depth + 1)
                     for i, item in enumerate(node.value)]
            return LSeq(_loc(file, node), [item for item in items if item is not None])
        result = LMap(_loc(file, node))
        for key_node, value_node in node.value:
            key_loc = _loc(file, key_node)
            if not isinstance(key_node, nodes.ScalarNode) or key_node.value == "<<":
                errors.append(Diagnostic(key_loc, path or "(top level)",
                                         "only plain string keys are supported "
                                         "(no YAML merge keys or complex keys)"))
                continue
            key = str(key_node.value)
            value = _convert(file, value_node, errors, _child(path, key), budget, depth + 1)
            if value is not None:
                _add_entry(result, key, key_loc, value, errors, path)
        return result
    finally:
        budget.open.discard(id(node))


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_JSON_LIKE = (str, int, float, bool, type(None))


def scalar_value(file: str, node: nodes.ScalarNode, errors: list[Diagnostic], path: str) -> Optional[LScalar]:
    """A scalar's value; one that fails to construct (``!foo x``, ``!!int "x"``, ``!!bool maybe``)
    or is no JSON-like value (``!!binary``) is a diagnostic. Dates stay the text they were
    written as: the model is JSON-like and Databricks and Azure take dates as strings."""
    loc = _loc(file, node)
    if _tag_text(node.tag) == _TIMESTAMP and not _explicit_tag(node):
        return LScalar(str(node.value), loc)
    try:
        value = _yaml.constructor.construct_object(node)
    except Exception as exc:  # noqa: BLE001 - every constructor failure is the file's problem
        detail = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
        errors.append(Diagnostic(loc, path or "(top level)",
                                 f"cannot read this value as {_tag_name(node.tag)}: {detail}",
                                 "a plain string, number, boolean or null (no YAML tags)"))
        return None
    finally:
        _yaml.constructor.constructed_objects.pop(node, None)
        _yaml.constructor.recursive_objects.pop(node, None)
    if not isinstance(value, _JSON_LIKE):
        errors.append(Diagnostic(loc, path or "(top level)",
                                 f"a {_tag_name(node.tag)} value is not supported here",
                                 "a plain string, number, boolean or null"))
        return None
    return LScalar(value, loc)


def _tag_text(tag: Any) -> str:
    return str(getattr(tag, "value", tag) or "")


def _explicit_tag(node: nodes.Node) -> bool:
    """Written with a tag (``!!timestamp 2024-13-45``): the node's text starts with '!'."""
    mark = node.start_mark
    buffer, pointer = getattr(mark, "buffer", None), getattr(mark, "pointer", None)
    return isinstance(buffer, str) and isinstance(pointer, int) and buffer.startswith("!", pointer)


def _tag_name(tag: Any) -> str:
    text = _tag_text(tag)
    return "!!" + text.rsplit(":", 1)[1] if text.startswith("tag:yaml.org,2002:") else f"tag '{text}'"


class _NotPlain(Exception):
    """The file uses a YAML feature the fast path leaves to ruamel.yaml."""


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH, found before anything recursed that deep."""

    def __init__(self, loc: Location, path: str):
        super().__init__(path)
        self.loc, self.path = loc, path


_PLAIN = (True, False)  # ruamel's "implicit" flags of a plain scalar: resolve its type from its text
_plain_values: dict[str, Any] = {}  # plain scalar text -> value (ints, bools, ... are immutable)


def _plain_value(text: str) -> Any:
    """A plain scalar's value exactly as ruamel.yaml's YAML 1.2 resolver and constructor give it."""
    try:
        return _plain_values[text]
    except KeyError:
        pass
    tag = _resolving.resolver.resolve(nodes.ScalarNode, text, _PLAIN)
    if _tag_text(tag) == _TIMESTAMP:
        return text  # dates stay strings (see _scalar)
    node = nodes.ScalarNode(tag, text)
    try:
        value = _resolving.constructor.construct_object(node)
    except Exception:  # noqa: BLE001 - the reference path reports it at its line
        raise _NotPlain from None
    finally:
        _resolving.constructor.constructed_objects.pop(node, None)
        _resolving.constructor.recursive_objects.pop(node, None)
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
    tree = _fast_node(next(events), events, file, errors, "", 0)
    next(events)  # DocumentEnd
    if not isinstance(next(events), pyyaml.StreamEndEvent):
        raise _NotPlain  # a second document: ruamel reports it
    return tree


def _fast_node(event, events, file: str, errors: list[Diagnostic], path: str, depth: int) -> LNode:
    if getattr(event, "anchor", None) is not None or isinstance(event, pyyaml.AliasEvent):
        raise _NotPlain
    loc = Location(file, event.start_mark.line + 1, event.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise _TooDeep(loc, path)
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
            seq.items.append(_fast_node(item, events, file, errors, f"{path}[{len(seq.items)}]", depth + 1))
            item = next(events)
        return seq
    result = LMap(loc)
    key = next(events)
    while not isinstance(key, pyyaml.MappingEndEvent):
        if not isinstance(key, pyyaml.ScalarEvent) or key.value == "<<" or key.anchor is not None \
                or not (key.implicit[0] or key.implicit[1]):
            raise _NotPlain  # complex, merge, anchored or tagged keys: ruamel reports them
        key_loc = Location(file, key.start_mark.line + 1, key.start_mark.column + 1)
        value = _fast_node(next(events), events, file, errors, _child(path, key.value), depth + 1)
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


def load_yaml(path: Path, display: str, errors: list[Diagnostic], root: Optional[Path] = None) -> LNode | None:
    """Parse one file into a located tree; unsafe files (see safe_read: outside ``root``, not a
    regular file, too large, not UTF-8), syntax and value errors become diagnostics, not exceptions."""
    try:
        text = read_text(path, root)
    except InputError as exc:
        errors.append(Diagnostic(Location(display, exc.line, exc.column), "(file)", exc.message))
        return None
    found: list[Diagnostic] = []
    try:
        tree = _fast_tree(text, display, found)
    except _TooDeep as exc:
        errors.append(Diagnostic(exc.loc, exc.path or "(top level)", f"nested deeper than {MAX_DEPTH} levels"))
        return None
    except pyyaml.MarkedYAMLError as exc:
        if len(text) > LARGE_TEXT:  # ruamel's pure-Python scanner would take seconds to say the same
            mark = exc.problem_mark or exc.context_mark
            errors.append(Diagnostic(Location(display, mark.line + 1, mark.column + 1) if mark
                                     else Location(display, 1, 1), "(syntax)", f"invalid YAML: {exc.problem or exc}"))
            return None
        return _ruamel_tree(text, display, errors)
    except (_NotPlain, pyyaml.YAMLError):
        return _ruamel_tree(text, display, errors)
    errors.extend(found)
    return tree


def nesting_too_deep(text: str, display: str) -> Optional[Diagnostic]:
    """Nesting beyond MAX_DEPTH, found from libyaml's events (iterative) before ruamel's
    recursive composer meets it."""
    depth = 0
    try:
        for event in pyyaml.parse(text, Loader=pyyaml.CSafeLoader):
            if isinstance(event, (pyyaml.SequenceStartEvent, pyyaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Diagnostic(Location(display, event.start_mark.line + 1, event.start_mark.column + 1),
                                      "(syntax)", f"nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, (pyyaml.SequenceEndEvent, pyyaml.MappingEndEvent)):
                depth -= 1
    except pyyaml.YAMLError:
        pass  # ruamel reports the syntax error
    return None


def _ruamel_tree(text: str, display: str, errors: list[Diagnostic]) -> LNode | None:
    """The reference path: ruamel.yaml's composer (pure Python, every YAML feature it supports)."""
    too_deep = nesting_too_deep(text, display)
    if too_deep is not None:
        errors.append(too_deep)
        return None
    try:
        node = _yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        errors.append(Diagnostic(loc, "(syntax)", f"invalid YAML: {exc.problem or exc}"))
        return None
    except YAMLError as exc:  # the reader's errors carry a position, not a mark
        line, column = _reader_position(text, getattr(exc, "position", None))
        errors.append(Diagnostic(Location(display, line, column), "(syntax)",
                                 f"invalid YAML: {str(exc).splitlines()[0]}"))
        return None
    except RecursionError:
        errors.append(Diagnostic(Location(display, 1, 1), "(syntax)", "invalid YAML: nested too deeply"))
        return None
    if node is None:  # empty file
        return LMap(Location(display, 1, 1))
    return _convert(display, node, errors, "")


def _reader_position(text: str, position: Optional[int]) -> tuple[int, int]:
    if not isinstance(position, int):
        return 1, 1
    return text.count("\n", 0, position) + 1, position - (text.rfind("\n", 0, position) + 1) + 1


def plain(node: LNode | None) -> Any:
    """Strip locations: the plain Python value of a located tree."""
    if node is None:
        return None
    if isinstance(node, LScalar):
        return node.value
    if isinstance(node, LSeq):
        return [plain(item) for item in node.items]
    return {key: plain(entry.value) for key, entry in node.entries.items()}
