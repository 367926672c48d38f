"""Read a Databricks Asset Bundle into located trees: databricks.yml, its `include:` globs, and
YAML anchors and merge keys (`<<: *cluster`), which bundles use and project specs do not."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ruamel.yaml import YAML, nodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..diagnostics import Diagnostic
from ..located import (MAX_NODES, AliasBudget, LEntry, LMap, LNode, LScalar, LSeq, Location, nesting_too_deep,
                       scalar_value)
from ..safe_read import MAX_DEPTH, InputError, read_text

BUNDLE_FILES = ("databricks.yml", "databricks.yaml", "bundle.yml", "bundle.yaml")
_yaml = YAML(typ="safe", pure=True)


class BundleError(Exception):
    """The bundle cannot be read at all (no databricks.yml, invalid YAML)."""


@dataclass
class BundleFile:
    rel: str  # relative to the bundle root, e.g. resources/train.job.yml
    node: LMap


@dataclass
class Bundle:
    root: Path
    main: BundleFile
    files: list[BundleFile] = field(default_factory=list)  # main first, then includes in order


def _loc(file: str, node: nodes.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(file: str, node: nodes.Node, budget: AliasBudget, depth: int = 0) -> LNode:
    """Merge keys resolved; aliases expanded within the same bounds as the config loader."""
    budget.nodes += 1
    if id(node) in budget.open or budget.nodes > MAX_NODES or depth > MAX_DEPTH:
        raise BundleError(f"{_loc(file, node)}: recursive alias, alias expansion beyond {MAX_NODES} "
                          f"values or nesting beyond {MAX_DEPTH} levels")
    if isinstance(node, nodes.ScalarNode):
        errors: list[Diagnostic] = []
        scalar = scalar_value(file, node, errors, "")
        if scalar is None:
            raise BundleError(f"{errors[0].location}: {errors[0].message}")
        return scalar
    budget.open.add(id(node))
    try:
        if isinstance(node, nodes.SequenceNode):
            return LSeq(_loc(file, node), [_convert(file, item, budget, depth + 1) for item in node.value])
        result = LMap(_loc(file, node))
        merged: dict[str, LEntry] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, nodes.ScalarNode) and key_node.value == "<<":
                sources = value_node.value if isinstance(value_node, nodes.SequenceNode) else [value_node]
                for source in sources:
                    converted = _convert(file, source, budget, depth + 1)
                    if isinstance(converted, LMap):
                        for key, entry in converted.entries.items():
                            merged.setdefault(key, entry)
                continue
            result.entries[str(key_node.value)] = LEntry(_loc(file, key_node),
                                                         _convert(file, value_node, budget, depth + 1))
        for key, entry in merged.items():  # explicit keys win over merged ones
            result.entries.setdefault(key, entry)
        return result
    finally:
        budget.open.discard(id(node))


def read_yaml(path: Path, rel: str, root: Optional[Path] = None) -> LMap:
    try:
        text = read_text(path, root)
    except InputError as exc:
        raise BundleError(f"{rel}:{exc.line}: cannot read: {exc.message}") from None
    too_deep = nesting_too_deep(text, rel)
    if too_deep is not None:
        raise BundleError(f"{too_deep.location}: {too_deep.message}")
    try:
        node = _yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BundleError(f"{rel}:{mark.line + 1 if mark else 1}: invalid YAML: {exc.problem or exc}") from exc
    except (YAMLError, RecursionError) as exc:
        raise BundleError(f"{rel}:1: invalid YAML: {exc}") from None
    converted = _convert(rel, node, AliasBudget()) if node is not None else LMap(Location(rel, 1, 1))
    if not isinstance(converted, LMap):
        raise BundleError(f"{rel}:1: expected a mapping")
    return converted


def _includes(root: Path, main: LMap) -> list[str]:
    entry = main.entries.get("include")
    patterns = [i.value for i in entry.value.items if isinstance(i, LScalar)] if entry and isinstance(
        entry.value, LSeq) else []
    found: list[str] = []
    for pattern in patterns:
        for path in sorted(root.glob(str(pattern).removeprefix("./"))):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if path.is_file() and rel not in found:
                found.append(rel)
    return found


def read_bundle(root: Path) -> Bundle:
    main_path: Optional[Path] = next((root / n for n in BUNDLE_FILES if (root / n).is_file()), None)
    if main_path is None:
        raise BundleError(f"{root}: no databricks.yml (not a bundle folder)")
    main = BundleFile(main_path.name, read_yaml(main_path, main_path.name, root))
    bundle = Bundle(root, main, [main])
    for rel in _includes(root, main.node):
        bundle.files.append(BundleFile(rel, read_yaml(root / rel, rel, root)))
    return bundle
