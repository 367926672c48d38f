"""Read a Databricks Asset Bundle into located trees: databricks.yml, its `include:` globs, and
YAML anchors and merge keys (`<<: *cluster`), which bundles use and project specs do not."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ruamel.yaml import YAML, nodes
from ruamel.yaml.error import MarkedYAMLError

from ..located import LEntry, LMap, LNode, LScalar, LSeq, Location

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


def _convert(file: str, node: nodes.Node) -> LNode:
    if isinstance(node, nodes.ScalarNode):
        return LScalar(_yaml.constructor.construct_object(node), _loc(file, node))
    if isinstance(node, nodes.SequenceNode):
        return LSeq(_loc(file, node), [_convert(file, item) for item in node.value])
    result = LMap(_loc(file, node))
    merged: dict[str, LEntry] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, nodes.ScalarNode) and key_node.value == "<<":
            sources = value_node.value if isinstance(value_node, nodes.SequenceNode) else [value_node]
            for source in sources:
                converted = _convert(file, source)
                if isinstance(converted, LMap):
                    for key, entry in converted.entries.items():
                        merged.setdefault(key, entry)
            continue
        result.entries[str(key_node.value)] = LEntry(_loc(file, key_node), _convert(file, value_node))
    for key, entry in merged.items():  # explicit keys win over merged ones
        result.entries.setdefault(key, entry)
    return result


def read_yaml(path: Path, rel: str) -> LMap:
    try:
        node = _yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleError(f"{rel}: cannot read: {exc}") from exc
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BundleError(f"{rel}:{mark.line + 1 if mark else 1}: invalid YAML: {exc.problem or exc}") from exc
    converted = _convert(rel, node) if node is not None else LMap(Location(rel, 1, 1))
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
    main = BundleFile(main_path.name, read_yaml(main_path, main_path.name))
    bundle = Bundle(root, main, [main])
    for rel in _includes(root, main.node):
        bundle.files.append(BundleFile(rel, read_yaml(root / rel, rel)))
    return bundle
