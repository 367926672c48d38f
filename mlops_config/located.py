"""YAML parsed into trees whose every key and value remembers file, line and column.

The locations survive merging and binding so that a rule running late can still point at the
line that set a value. Built on ruamel.yaml's composed nodes (``start_mark``), which follow YAML
1.2: job specs copied from the Jobs API, such as ``{quartz_cron_expression: 0 0 0 * * ?}``, parse
as written (YAML 1.1 parsers stop a flow scalar at '?'), and ``yes``/``on`` stay strings. Never
imports cdktf.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

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
            child_path = f"{path}.{key}" if path else key
            if key in result.entries:
                first = result.entries[key].key_loc
                errors.append(Diagnostic(key_loc, child_path,
                                         f"duplicate key '{key}' (first set at line {first.line}); "
                                         "YAML would silently keep only the last one"))
                continue
            result.entries[key] = LEntry(key_loc, _convert(file, value_node, errors, child_path))
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - there are no others


def load_yaml(path: Path, display: str, errors: list[Diagnostic]) -> LNode | None:
    """Parse one file into a located tree; syntax errors become diagnostics, not exceptions."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(Diagnostic(Location(display, 1, 1), "(file)", f"cannot read file: {exc}"))
        return None
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
